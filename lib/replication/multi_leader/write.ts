/**
 * A write as it travels between leaders, and the version vectors that tell "happened after" from
 * "concurrent".
 */
import type { NodeId } from "../../sim/trace";

/** What a client asked for: set a value, or insert / update a row (the overtaking example). */
export type LeaderWriteOp = "set" | "insert" | "update";

/** A version vector: for each leader, how many of its writes (a prefix 1..n) have been applied. */
export type WriteDeps = Readonly<Record<NodeId, number>>;

/** One client write, accepted by its origin leader and replicated to the others. */
export interface LeaderWrite {
  /** `${origin}:${seq}`, unique in the cluster. */
  readonly id: string;
  /** The leader that accepted the write. */
  readonly origin: NodeId;
  /** 1 for the origin's first write, 2 for its second... */
  readonly seq: number;
  readonly key: string;
  readonly value: string;
  readonly op: LeaderWriteOp;
  /** The origin's local clock when it accepted the write (skewed clocks give skewed timestamps). */
  readonly timestampMs: number;
  /** What the origin had applied when it accepted the write: every write covered happened before it. */
  readonly deps: WriteDeps;
}

/** True when `later` was written by a leader that had already applied `earlier`. */
export function writeHappenedBefore(earlier: LeaderWrite, later: LeaderWrite): boolean {
  return (later.deps[earlier.origin] ?? 0) >= earlier.seq;
}

/** True when neither write could have seen the other: a conflict if they touch the same key. */
export function writesConcurrent(a: LeaderWrite, b: LeaderWrite): boolean {
  return a.id !== b.id && !writeHappenedBefore(a, b) && !writeHappenedBefore(b, a);
}

/** Orders writes by (timestamp, origin id, id): the last-write-wins order, total and the same everywhere. */
export function compareWritesByTimestamp(a: LeaderWrite, b: LeaderWrite): number {
  if (a.timestampMs !== b.timestampMs) return a.timestampMs < b.timestampMs ? -1 : 1;
  if (a.origin !== b.origin) return a.origin < b.origin ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
