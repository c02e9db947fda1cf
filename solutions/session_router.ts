/**
 * Exercise: session_router (chapter 04).
 *
 * Reads are spread over followers that lag behind the leader by different, changing amounts,
 * and a follower sometimes crashes. Write the read router of a client library (or proxy) that
 * gives every session two guarantees, while keeping most reads off the leader:
 *
 *   - read-your-writes: after a write of the session is acknowledged, its reads return that
 *     write or something newer;
 *   - monotonic reads: a session never sees an older version of a key than it saw before;
 *   - including across a follower failure: a crashed follower must not make reads fail or go
 *     back in time.
 *
 * What you get (see lib/replication/read_routing/router.ts):
 *   route(read, view)          read.session, read.key, read.attempt, read.failedNodes, read.random;
 *                              view.leader and view.replicas: the monitor's latest report of every
 *                              replica (role, up, position, reportedAtMs). A reported position is
 *                              a little old: the replica has at least that much by now.
 *   onWriteAcknowledged(e)     e.session's write is at log position e.position.
 *   onReadServed(e)            e.node answered e.session's read; its applied position was e.position.
 *   onReadFailed(e)            e.node did not answer (crashed or too slow); the read is routed again.
 *
 * Return the leader or a follower id from `route`. Graded by the session checkers over many seeds
 * of the standard workload (zero violations, no failed reads) and by cost: at most half of the
 * reads (averaged over the seeds) may go to the leader.
 *
 * Run `npm run grade session_router` to check your work and `npm run hint session_router` when stuck.
 */
import type { NodeId } from "../lib/sim/trace";
import type { ReadFailed, ReadRequest, ReadRouter, ReadServed, RouterView, WriteAcknowledged } from "../lib/replication/read_routing/router";
// @starter import { notImplemented } from "../lib/exercise_support/not_implemented";

export type { ReadFailed, ReadRequest, ReadRouter, ReadServed, RouterView, WriteAcknowledged };

/** A read router that keeps read-your-writes and monotonic reads per session. */
export class SessionRouter implements ReadRouter {
  readonly name = "session router (exercise)";
  // @solution-begin
  /** Per session: the log position every replica serving it must have reached. */
  private readonly floor = new Map<string, number>();
  /** When each node last failed a read: it is avoided until a newer report shows it up. */
  private readonly failedAt = new Map<NodeId, number>();

  private raise(session: string, position: number): void {
    this.floor.set(session, Math.max(this.floor.get(session) ?? 0, position));
  }
  // @solution-end

  /** Picks the node for one read: the leader or a follower. */
  route(read: ReadRequest, view: RouterView): NodeId {
    // @solution-begin
    const floor = this.floor.get(read.session) ?? 0;
    const candidates = view.replicas.filter(
      (r) =>
        r.role === "follower" &&
        r.up &&
        r.position >= floor &&
        !read.failedNodes.includes(r.node) &&
        (this.failedAt.get(r.node) ?? -1) < r.reportedAtMs,
    );
    if (candidates.length === 0) return view.leader;
    return candidates[read.random.int(0, candidates.length - 1)]!.node;
    // @solution-end
    // @starter throw notImplemented("SessionRouter.route");
  }

  /** The leader acknowledged a write of `event.session` at `event.position`. */
  onWriteAcknowledged(event: WriteAcknowledged): void {
    // @solution-begin
    this.raise(event.session, event.position);
    // @solution-end
    // @starter void event;
  }

  /** `event.node` answered a read of `event.session`; it had applied up to `event.position`. */
  onReadServed(event: ReadServed): void {
    // @solution-begin
    this.raise(event.session, event.position);
    // @solution-end
    // @starter void event;
  }

  /** `event.node` did not answer a read in time. */
  onReadFailed(event: ReadFailed): void {
    // @solution-begin
    this.failedAt.set(event.node, event.nowMs);
    // @solution-end
    // @starter void event;
  }
}

/** A fresh router (routers remember sessions: one per run). */
export function createSessionRouter(): ReadRouter {
  return new SessionRouter();
}
