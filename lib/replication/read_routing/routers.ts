/**
 * Ready-made read routers: the naive one, and each classic fix for replication-lag anomalies.
 * Each factory returns a fresh router (routers remember sessions, so never share one between runs).
 */
import type { NodeId } from "../../sim/trace";
import { stableHash, upFollowers, type ReadRequest, type ReadRouter, type RouterView } from "./router";

/** A follower chosen at random among those up, skipping nodes that already failed this read; the leader if none. */
export function randomFollower(read: ReadRequest, view: RouterView, allowed: (position: number) => boolean = () => true): NodeId {
  const candidates = upFollowers(view).filter((r) => !read.failedNodes.includes(r.node) && allowed(r.position));
  if (candidates.length === 0) return view.leader;
  return candidates[read.random.int(0, candidates.length - 1)]!.node;
}

/** Reads scaled out naively: every read goes to a random follower. */
export function randomRouter(): ReadRouter {
  return { name: "random follower", route: (read, view) => randomFollower(read, view) };
}

/** Every read from the leader: no lag anomalies at all, and no read scaling either. */
export function leaderRouter(): ReadRouter {
  return { name: "always the leader", route: (_read, view) => view.leader };
}

/**
 * Fix 1 (read-your-writes): read what the user may have changed (their own profile) from the
 * leader, everything else from a random follower. Works across devices, costs a leader read for
 * every look at one's own data, and does nothing for other people's data.
 */
export function ownDataFromLeaderRouter(): ReadRouter {
  return {
    name: "own data from the leader",
    route: (read, view) => (read.ownData ? view.leader : randomFollower(read, view)),
  };
}

/**
 * Fix 2 (read-your-writes): for `windowMs` after a session's last write, read everything from
 * the leader. Correct only while every follower lags by less than the window.
 */
export function leaderWindowRouter(windowMs: number): ReadRouter {
  const lastWriteMs = new Map<string, number>();
  return {
    name: `leader for ${windowMs} ms after a write`,
    route(read, view) {
      const last = lastWriteMs.get(read.session);
      return last !== undefined && read.nowMs - last < windowMs ? view.leader : randomFollower(read, view);
    },
    onWriteAcknowledged: (e) => void lastWriteMs.set(e.session, e.nowMs),
  };
}

/**
 * Fix 3 (read-your-writes): the client remembers the log position of its last write and reads
 * only from a follower the monitor reported at or past it (else the leader). Per session by
 * default; `acrossDevices: true` keeps the position per user in a shared place, which the
 * cross-device case needs.
 */
export function writePositionRouter(options: { acrossDevices?: boolean } = {}): ReadRouter {
  const lastWrite = new Map<string, number>();
  const scope = (e: { session: string; user: string }) => (options.acrossDevices ? e.user : e.session);
  return {
    name: options.acrossDevices ? "last write position, per user" : "last write position, per session",
    route(read, view) {
      const needed = lastWrite.get(scope(read)) ?? 0;
      return randomFollower(read, view, (position) => position >= needed);
    },
    onWriteAcknowledged: (e) => void lastWrite.set(scope(e), Math.max(lastWrite.get(scope(e)) ?? 0, e.position)),
  };
}

/**
 * Fix 4 (monotonic reads): pin each user to one follower by a hash of the user id, so their
 * reads never jump between replicas with different lag. When the pinned follower is down,
 * `onFailure: "next"` moves the user to the next follower (which may be further behind: reads go
 * back in time) and `"leader"` reads from the leader until the pin is back.
 */
export function hashPinnedRouter(options: { onFailure?: "next" | "leader" } = {}): ReadRouter {
  const onFailure = options.onFailure ?? "next";
  return {
    name: `pinned by user hash, failover to ${onFailure === "next" ? "the next follower" : "the leader"}`,
    route(read, view) {
      const followers = view.replicas.filter((r) => r.role === "follower");
      if (followers.length === 0) return view.leader;
      const start = stableHash(read.user) % followers.length;
      for (let i = 0; i < followers.length; i++) {
        const f = followers[(start + i) % followers.length]!;
        if (f.up && !read.failedNodes.includes(f.node)) return f.node;
        if (onFailure === "leader") return view.leader;
      }
      return view.leader;
    },
  };
}
