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
import { notImplemented } from "../lib/exercise_support/not_implemented";

export type { CandidateInfo, FailoverDecision, FailoverObservation, SafetyVerdict };

/** Decides whether promoting a new leader is safe now. */
export function validateSafeFailover(observation: FailoverObservation): SafetyVerdict {
  throw notImplemented("validateSafeFailover");
}

/** Chooses the new leader and its epoch, or refuses. */
export function electNewLeader(observation: FailoverObservation): FailoverDecision {
  throw notImplemented("electNewLeader");
}
