/**
 * What a failover coordinator can observe, and what it decides. Shared by the simulator's
 * single-leader cluster (which asks a policy to decide) and the failover_coordinator exercise
 * (which implements one).
 *
 * Log positions (LSNs) count entries from 1. Every entry was written by a leader in some epoch;
 * a node's log is ordered by (epoch of its last entry, LSN) when comparing freshness, the rule
 * Raft calls "at least as up-to-date".
 */

/** One node that could become the new leader, as the coordinator last heard from it. */
export interface CandidateInfo {
  id: string;
  /** Whether the coordinator can reach the node right now (it answered the status probe). */
  reachable: boolean;
  /** Position of the last entry in the node's log (0 for an empty log). */
  lastLsn: number;
  /** Epoch in which that last entry was written (0 for an empty log). */
  lastEpoch: number;
  /** Highest epoch the node has seen (it rejects leaders with a lower one). */
  epoch: number;
}

/** The leader being replaced, as the coordinator knows it. */
export interface OldLeaderInfo {
  id: string;
  /** The epoch it leads in: every write it acknowledged carries this epoch. */
  epoch: number;
  /**
   * Coordinator time (ms) of the last heartbeat the coordinator sent it. Each heartbeat the leader
   * receives extends its lease, so its lease may run until this time plus `leaseMs`.
   */
  lastHeartbeatSentMs: number;
  /** How long a leader keeps accepting writes after the last heartbeat it received. */
  leaseMs: number;
}

/** Everything a failover policy is told: the coordinator's view when its probe round started. */
export interface FailoverObservation {
  /** Coordinator clock now (ms). */
  nowMs: number;
  /** Number of nodes in the cluster, the old leader included. */
  clusterSize: number;
  /** How far apart two clocks may drift over a lease (ms): the coordinator waits this much longer. */
  clockUncertaintyMs: number;
  /** The leader being replaced. */
  oldLeader: OldLeaderInfo;
  /** Every node except the old leader. */
  candidates: CandidateInfo[];
  /** LSNs of the writes the old leader acknowledged to clients in its epoch. */
  acknowledgedLsns: number[];
}

/** Why a failover must not happen now. */
export type RefusalCode = "no-majority" | "lease-may-be-valid";

/** `validateSafeFailover`'s answer: safe to fail over now, or why not. */
export type SafetyVerdict = { safe: true } | { safe: false; code: RefusalCode; reason: string };

/** `electNewLeader`'s answer: whom to promote in which epoch, or why nobody. */
export type FailoverDecision =
  | {
      promote: true;
      /** The node to promote. */
      leader: string;
      /** The new epoch: greater than every epoch in the observation. */
      epoch: number;
      /** Acknowledged LSNs (ascending) that the new leader does not have: these writes are lost. */
      lostLsns: number[];
    }
  | { promote: false; code: RefusalCode; reason: string };

/** The pair of functions the failover_coordinator exercise implements. */
export interface FailoverPolicy {
  /** Whether a failover may happen now (a majority reachable, the old lease surely over). */
  validateSafeFailover(observation: FailoverObservation): SafetyVerdict;
  /** Called only after a safe verdict: the candidate to promote and its epoch. */
  electNewLeader(observation: FailoverObservation): FailoverDecision;
}
