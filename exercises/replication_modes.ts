/**
 * Exercise: replication_modes (chapter 01).
 *
 * You are the leader. A client's write is in your own log, durably; followers acknowledge the
 * positions they have stored. Decide when you may tell the client "ok". The cluster runs your rule
 * for every pending write each time something changes (a follower acknowledged, time passed).
 *
 *   durableOn(observation)
 *     - the nodes that durably hold the write at `observation.lsn`: the leader first, then every
 *       follower whose `ackedLsn` has reached `lsn`, in the order given.
 *
 *   chooseSyncFollower(followers, preferred)          (semi-synchronous mode)
 *     - `preferred` undefined: return undefined ("any one follower will do");
 *     - the preferred follower while it is in the list and connected;
 *     - otherwise the first connected follower: an asynchronous follower is promoted to synchronous;
 *     - nobody connected: the preferred one if it is a follower, else the first follower
 *       (undefined if there are no followers).
 *
 *   decideAck(observation) -> { acknowledge, durableOn }
 *     - "async":     acknowledge at once (the leader's own write is enough);
 *     - "sync":      only once every follower has the write;
 *     - "semi-sync": once the synchronous follower (chooseSyncFollower) has it; when any one
 *                    follower will do, once at least one follower has it;
 *     - "quorum":    once a strict majority of the cluster (followers + the leader) has it.
 *
 * Run `npm run grade replication_modes` to check your work and `npm run hint replication_modes`
 * when stuck.
 */
import type { AckDecision, AckMode, AckObservation, FollowerAck } from "../lib/replication/ack_rule_types";
import { notImplemented } from "../lib/exercise_support/not_implemented";

export type { AckDecision, AckMode, AckObservation, FollowerAck };

/** The nodes holding the write durably now: the leader, then the followers that acknowledged it. */
export function durableOn(observation: AckObservation): string[] {
  throw notImplemented("durableOn");
}

/** Semi-sync: the follower the leader waits for (undefined: any one follower will do). */
export function chooseSyncFollower(followers: readonly FollowerAck[], preferred: string | undefined): string | undefined {
  throw notImplemented("chooseSyncFollower");
}

/** Whether the leader may acknowledge the write at `observation.lsn` now, and where it is durable. */
export function decideAck(observation: AckObservation): AckDecision {
  throw notImplemented("decideAck");
}
