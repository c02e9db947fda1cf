/**
 * Exercise: failover_coordinator (chapter 02).
 *
 * The leader has stopped answering heartbeats. You are the coordinator (think Patroni or
 * Orchestrator) and must decide whether a failover is safe right now and, if so, which follower
 * to promote. Everything you know is in the `FailoverObservation`; you cannot ask again.
 *
 *   validateSafeFailover(observation)
 *     - refuse ("no-majority") unless a strict majority of the cluster (clusterSize counts the
 *       old leader) is reachable among the candidates;
 *     - refuse ("lease-may-be-valid") while the old leader may still hold its lease: its lease can
 *       last until lastHeartbeatSentMs + leaseMs, and clocks may disagree by clockUncertaintyMs.
 *
 *   electNewLeader(observation)
 *     - refuse for the same reasons (return { promote: false, code, reason });
 *     - otherwise promote the most up-to-date *reachable* candidate: the higher lastEpoch wins,
 *       then the higher lastLsn; break remaining ties by the smallest id so every coordinator
 *       picks the same node;
 *     - issue an epoch greater than any epoch in the observation, so the old leader is fenced;
 *     - report, ascending, the acknowledged LSNs that the new leader does not have.
 *
 * Run `npm run grade failover_coordinator` to check your work and `npm run hint
 * failover_coordinator` when stuck.
 */
import type {
  CandidateInfo,
  FailoverDecision,
  FailoverObservation,
  SafetyVerdict,
} from "../lib/replication/failover_types";
// @starter import { notImplemented } from "../lib/exercise_support/not_implemented";

export type { CandidateInfo, FailoverDecision, FailoverObservation, SafetyVerdict };

/** Decides whether promoting a new leader is safe now. */
export function validateSafeFailover(observation: FailoverObservation): SafetyVerdict {
  // @solution-begin
  const reachable = observation.candidates.filter((c) => c.reachable).length;
  const majority = Math.floor(observation.clusterSize / 2) + 1;
  if (reachable < majority) {
    return {
      safe: false,
      code: "no-majority",
      reason: `only ${reachable} of ${observation.clusterSize} nodes are reachable; a majority is ${majority}`,
    };
  }

  const { lastHeartbeatSentMs, leaseMs } = observation.oldLeader;
  const leaseSafeAtMs = lastHeartbeatSentMs + leaseMs + observation.clockUncertaintyMs;
  if (observation.nowMs < leaseSafeAtMs) {
    return {
      safe: false,
      code: "lease-may-be-valid",
      reason: `the old leader may hold its lease until ${leaseSafeAtMs.toFixed(1)} ms (now ${observation.nowMs.toFixed(1)} ms)`,
    };
  }
  return { safe: true };
  // @solution-end
  // @starter throw notImplemented("validateSafeFailover");
}

/** Chooses the new leader and its epoch, or refuses. */
export function electNewLeader(observation: FailoverObservation): FailoverDecision {
  // @solution-begin
  const verdict = validateSafeFailover(observation);
  if (!verdict.safe) return { promote: false, code: verdict.code, reason: verdict.reason };

  let best: CandidateInfo | undefined;
  for (const c of observation.candidates) {
    if (c.reachable && (best === undefined || isFresher(c, best))) best = c;
  }
  // A reachable majority is never empty, so `best` is set.
  const leader = best!;

  const epochsSeen = [observation.oldLeader.epoch, ...observation.candidates.map((c) => Math.max(c.epoch, c.lastEpoch))];
  const epoch = Math.max(...epochsSeen) + 1;

  const oldEpoch = observation.oldLeader.epoch;
  const keeps = (lsn: number) => leader.lastEpoch > oldEpoch || (leader.lastEpoch === oldEpoch && leader.lastLsn >= lsn);
  const lostLsns = [...new Set(observation.acknowledgedLsns)].filter((lsn) => !keeps(lsn)).sort((a, b) => a - b);

  return { promote: true, leader: leader.id, epoch, lostLsns };
  // @solution-end
  // @starter throw notImplemented("electNewLeader");
}
// @solution-begin

/** True when `a` has a log at least as up-to-date as `b`, preferring the smaller id on a tie. */
function isFresher(a: CandidateInfo, b: CandidateInfo): boolean {
  if (a.lastEpoch !== b.lastEpoch) return a.lastEpoch > b.lastEpoch;
  if (a.lastLsn !== b.lastLsn) return a.lastLsn > b.lastLsn;
  return a.id < b.id;
}
// @solution-end
