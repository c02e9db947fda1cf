/**
 * What a leader knows when it decides whether a write may be acknowledged, and what it decides.
 * Shared by the single-leader model (which asks an `AckRule`) and the replication_modes exercise
 * (which implements one), the way `failover_types.ts` is shared with the failover exercise.
 *
 * Log positions (LSNs) count entries from 1. A follower's `ackedLsn` is the highest position it has
 * told the leader it stored durably; because a follower stores its log in order, it then holds
 * every position up to `ackedLsn` as well.
 */
import type { AckMode } from "./single_leader/types";

export type { AckMode };

/** One follower of the leader, as the leader sees it right now. */
export interface FollowerAck {
  id: string;
  /** Highest LSN the follower has acknowledged (stored durably); 0 before its first acknowledgement. */
  ackedLsn: number;
  /**
   * Whether the leader considers the follower connected: it heard from it within
   * `semiSync.disconnectAfterMs` (by default: ever). A disconnected follower may be down.
   */
  connected: boolean;
}

/** Everything an `AckRule` is told about one pending write. */
export interface AckObservation {
  /** The cluster's acknowledgement mode. */
  mode: AckMode;
  /** The leader: it has written the entry to its own log durably before asking. */
  leader: string;
  /** The write's log position. */
  lsn: number;
  /** The leader's followers (every member but the leader), in the cluster's priority order. */
  followers: FollowerAck[];
  /**
   * Semi-sync only: the configured synchronous follower, first choice while it is connected.
   * `undefined` means "any one follower will do" (MySQL's semi-synchronous replication).
   */
  preferredSyncFollower: string | undefined;
}

/** `decideAck`'s answer. */
export interface AckDecision {
  /** True when the leader may tell the client "ok" now. */
  acknowledge: boolean;
  /** Nodes that durably hold the write now: the leader first, then followers in the given order. */
  durableOn: string[];
}

/** The acknowledgement rule of the single-leader model; the replication_modes exercise implements it. */
export interface AckRule {
  /**
   * Semi-sync: which follower the leader waits for. The preferred one while it is a connected
   * follower; otherwise the first connected follower (an asynchronous follower is promoted to
   * synchronous); with nobody connected, still the preferred one (or the first follower). Returns
   * `undefined` when `preferred` is undefined (any follower will do) or there are no followers.
   */
  chooseSyncFollower(followers: readonly FollowerAck[], preferred: string | undefined): string | undefined;
  /** Whether the write at `observation.lsn` may be acknowledged now, and where it is durable. */
  decideAck(observation: AckObservation): AckDecision;
}
