/**
 * Failover policies shipped with the model. The safe one is the learner's exercise
 * (exercises/failover_coordinator.ts), so the library only ships the naive policy the chapter
 * uses to show what goes wrong, and a wrapper that records every decision.
 */
import type { NodeId } from "../../sim/trace";
import type { CandidateInfo, FailoverDecision, FailoverObservation, FailoverPolicy, SafetyVerdict } from "../failover_types";

/** LSNs in `acknowledgedLsns` (ascending, deduplicated) that `leader`'s log does not hold. */
function lostWith(observation: FailoverObservation, leader: CandidateInfo): number[] {
  const oldEpoch = observation.oldLeader.epoch;
  const keeps = (lsn: number) => leader.lastEpoch > oldEpoch || (leader.lastEpoch === oldEpoch && leader.lastLsn >= lsn);
  return [...new Set(observation.acknowledgedLsns)].filter((lsn) => !keeps(lsn)).sort((a, b) => a - b);
}

/**
 * The policy of a hurried script: the first reachable follower becomes leader at once, in the
 * old leader's epoch plus one. No majority check, no wait for the old lease, no look at who has
 * the most data. The chapter uses it to reproduce lost writes and split brain.
 */
export const naiveFailoverPolicy: FailoverPolicy = {
  validateSafeFailover(): SafetyVerdict {
    return { safe: true };
  },
  electNewLeader(observation: FailoverObservation): FailoverDecision {
    const first = observation.candidates.find((c) => c.reachable);
    if (first === undefined) return { promote: false, code: "no-majority", reason: "no follower answered" };
    return { promote: true, leader: first.id, epoch: observation.oldLeader.epoch + 1, lostLsns: lostWith(observation, first) };
  },
};

/** One call made to a policy wrapped by `timedPolicy`. */
export interface PolicyCall {
  /** Which failover this call belongs to (1 for the first). */
  failover: number;
  call: "validateSafeFailover" | "electNewLeader";
  oldLeader: NodeId;
  oldEpoch: number;
  /** The observation's coordinator time. */
  nowMs: number;
  /** Coordinator time since the first call of this failover: how long the policy has made it wait. */
  waitedMs: number;
  result: SafetyVerdict | FailoverDecision;
  /** Time the call took, by the `measure` clock passed to `timedPolicy` (absent without one). */
  computeMs?: number;
}

/** A policy that records its calls (see `timedPolicy`). */
export interface TimedPolicy extends FailoverPolicy {
  /** Every call so far, in order. */
  readonly calls: PolicyCall[];
  /** For each failover that promoted: how long after its first call, in coordinator time. */
  readonly decisionDelaysMs: number[];
}

/**
 * Wraps a policy to record each decision: when it was asked, how long the failover had been
 * waiting on it, and what it answered. Pass `measure` (e.g. `performance.now` from a benchmark
 * script) to also time how long each call computes; the library itself never reads a real clock.
 */
export function timedPolicy(policy: FailoverPolicy, options: { measure?: () => number } = {}): TimedPolicy {
  const calls: PolicyCall[] = [];
  const decisionDelaysMs: number[] = [];
  let failover = 0;
  let current: { oldLeader: NodeId; oldEpoch: number; firstMs: number } | undefined;

  const record = <R extends SafetyVerdict | FailoverDecision>(
    call: PolicyCall["call"],
    observation: FailoverObservation,
    run: () => R,
  ): R => {
    const { id, epoch } = observation.oldLeader;
    if (current === undefined || current.oldLeader !== id || current.oldEpoch !== epoch) {
      failover++;
      current = { oldLeader: id, oldEpoch: epoch, firstMs: observation.nowMs };
    }
    const started = options.measure?.();
    const result = run();
    const entry: PolicyCall = {
      failover,
      call,
      oldLeader: id,
      oldEpoch: epoch,
      nowMs: observation.nowMs,
      waitedMs: observation.nowMs - current.firstMs,
      result: structuredClone(result),
    };
    if (started !== undefined) entry.computeMs = options.measure!() - started;
    calls.push(entry);
    if (call === "electNewLeader" && (result as FailoverDecision).promote) {
      decisionDelaysMs.push(entry.waitedMs);
      current = undefined;
    }
    return result;
  };

  return {
    calls,
    decisionDelaysMs,
    validateSafeFailover: (observation) => record("validateSafeFailover", observation, () => policy.validateSafeFailover(observation)),
    electNewLeader: (observation) => record("electNewLeader", observation, () => policy.electNewLeader(observation)),
  };
}
