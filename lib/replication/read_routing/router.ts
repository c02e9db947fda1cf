/**
 * The read-routing layer of chapter 04: a `ReadRouter` decides which replica serves each read of a
 * client session. Writes always go to the leader; the router hears about every acknowledged
 * write and every answered or failed read, and sees the replicas' status as a monitor last
 * reported it (as a proxy reads pg_stat_replication: a little out of date, never from the future).
 *
 * A router is plain code with no I/O, so the same object runs in the simulator, in a test, or
 * (in a real system) inside a proxy or the client library.
 */
import type { RandomStream } from "../../sim/random";
import type { NodeId } from "../../sim/trace";

/** What the monitor last reported about one replica. */
export interface ReplicaStatus {
  readonly node: NodeId;
  readonly role: "leader" | "follower";
  /** False when the monitor found the node down (crashed or not answering). */
  readonly up: boolean;
  /** The replica's applied log position at `reportedAtMs` (it only grows while the node lives). */
  readonly position: number;
  /** When the monitor took this sample (true simulated time). */
  readonly reportedAtMs: number;
}

/** What a router may look at: the leader and the monitor's latest report of every replica. */
export interface RouterView {
  readonly leader: NodeId;
  /** Leader first, then the followers in configuration order. */
  readonly replicas: readonly ReplicaStatus[];
}

/** One read to route. */
export interface ReadRequest {
  readonly session: string;
  /** The person behind the session (two devices of one user share it). */
  readonly user: string;
  readonly key: string;
  /** True when the key is the user's own data (their profile), which only they write. */
  readonly ownData: boolean;
  /** Now (true simulated time). */
  readonly nowMs: number;
  /** 0 for the first try; a read that failed or timed out is routed again with attempt + 1. */
  readonly attempt: number;
  /** Nodes that already failed this read. */
  readonly failedNodes: readonly NodeId[];
  /** The session's own random stream, for routers that pick at random (deterministic per seed). */
  readonly random: RandomStream;
}

/** A write of the session was acknowledged by the leader at `position`. */
export interface WriteAcknowledged {
  readonly session: string;
  readonly user: string;
  readonly key: string;
  readonly position: number;
  readonly nowMs: number;
}

/** A replica answered a read; `position` is the replica's applied position when it answered. */
export interface ReadServed {
  readonly session: string;
  readonly user: string;
  readonly key: string;
  readonly node: NodeId;
  readonly position: number;
  readonly nowMs: number;
}

/** A read failed or timed out at `node`. */
export interface ReadFailed {
  readonly session: string;
  readonly user: string;
  readonly key: string;
  readonly node: NodeId;
  readonly nowMs: number;
}

/** Picks the replica for each read; the callbacks let it remember what each session has seen. */
export interface ReadRouter {
  /** A short name for tables. */
  readonly name: string;
  /** The node that should serve this read (the leader or a follower). */
  route(read: ReadRequest, view: RouterView): NodeId;
  onWriteAcknowledged?(event: WriteAcknowledged): void;
  onReadServed?(event: ReadServed): void;
  onReadFailed?(event: ReadFailed): void;
}

/** The followers the monitor last saw up, in configuration order. */
export function upFollowers(view: RouterView): ReplicaStatus[] {
  return view.replicas.filter((r) => r.role === "follower" && r.up);
}

/** A small, stable string hash (FNV-1a), for pinning a user to a replica. */
export function stableHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
