/**
 * Detecting concurrent writes without losing any: version vectors and siblings.
 *
 * A replica stores, per key, the values no write has overwritten yet (*siblings*), each tagged
 * with a *dot*: the replica that accepted it and that replica's counter for the key. It also
 * keeps a version vector: for each replica, the highest counter it has seen. A read returns the
 * siblings and the vector (the *context*). A write carries the context the writer read, and
 * replaces exactly the siblings that context covers: the values the writer had seen. Siblings
 * it had not seen were written concurrently and stay. With a single replica the vector has one
 * entry and this is the version-number algorithm of the shopping-cart example.
 */

/** Replica id -> highest counter seen from that replica. Missing entries are 0. */
export type VersionVector = Readonly<Record<string, number>>;

/** How two version vectors relate: one happened before the other, they are equal, or concurrent. */
export type VectorOrder = "before" | "after" | "equal" | "concurrent";

/** Compares two version vectors ("before": every entry of a <= b's, and they differ). */
export function compareVersionVectors(a: VersionVector, b: VersionVector): VectorOrder {
  let aBigger = false;
  let bBigger = false;
  for (const id of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = a[id] ?? 0;
    const y = b[id] ?? 0;
    if (x > y) aBigger = true;
    if (y > x) bBigger = true;
  }
  return aBigger && bBigger ? "concurrent" : aBigger ? "after" : bBigger ? "before" : "equal";
}

/** Entry-wise maximum, with keys sorted so equal vectors print alike. */
export function mergeVersionVectors(a: VersionVector, b: VersionVector): VersionVector {
  const out: Record<string, number> = {};
  for (const id of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) out[id] = Math.max(a[id] ?? 0, b[id] ?? 0);
  return out;
}

/** "{a:2, b:1}" */
export function formatVersionVector(v: VersionVector): string {
  const keys = Object.keys(v).sort();
  return `{${keys.map((k) => `${k}:${v[k]}`).join(", ")}}`;
}

/** Which write a sibling came from: the accepting replica and its counter. */
export interface Dot {
  readonly replica: string;
  readonly counter: number;
}

/** One value that no write has overwritten yet. */
export interface SiblingValue<V> {
  readonly value: V;
  readonly dot: Dot;
}

/** What a read returns: every sibling and the context to send back with the next write. */
export interface SiblingRead<V> {
  readonly values: V[];
  readonly context: VersionVector;
}

/** True when the context has seen the write that made this dot. */
function covers(context: VersionVector, dot: Dot): boolean {
  return (context[dot.replica] ?? 0) >= dot.counter;
}

/** One key's state on a replica: the siblings not overwritten yet and the version vector seen. */
export interface SiblingState<V> {
  readonly siblings: readonly SiblingValue<V>[];
  readonly vector: VersionVector;
}

/** The state of a key nobody has written. */
export const EMPTY_SIBLING_STATE: SiblingState<never> = { siblings: [], vector: {} };

/**
 * `replica` accepts a write of `value` from a client that read `context` (`{}`: read nothing).
 * Siblings the context covers are overwritten, the others stay. The new dot is one more than the
 * highest counter of `replica` known to the state or the context.
 */
export function writeSibling<V>(state: SiblingState<V>, replica: string, value: V, context: VersionVector): { state: SiblingState<V>; dot: Dot } {
  const vector = mergeVersionVectors(state.vector, context);
  const dot: Dot = { replica, counter: (vector[replica] ?? 0) + 1 };
  return {
    dot,
    state: {
      siblings: [...state.siblings.filter((s) => !covers(context, s.dot)), { value, dot }],
      vector: mergeVersionVectors(vector, { [replica]: dot.counter }),
    },
  };
}

const sameDot = (a: Dot, b: Dot) => a.replica === b.replica && a.counter === b.counter;

/**
 * Merges another replica's state for a key into mine (anti-entropy, read repair, handoff): a
 * sibling stays when both sides hold it or when the side lacking it has not seen its dot; one
 * side has seen and dropped was overwritten and must not come back. Vectors merge entry-wise.
 */
export function mergeSiblingStates<V>(mine: SiblingState<V>, theirs: SiblingState<V>): SiblingState<V> {
  const keepMine = mine.siblings.filter((s) => theirs.siblings.some((t) => sameDot(t.dot, s.dot)) || !covers(theirs.vector, s.dot));
  const addTheirs = theirs.siblings.filter((t) => !mine.siblings.some((s) => sameDot(s.dot, t.dot)) && !covers(mine.vector, t.dot));
  return { siblings: [...keepMine, ...addTheirs], vector: mergeVersionVectors(mine.vector, theirs.vector) };
}

/** "a:1,b:2|{a:2, b:2}": the dots (sorted) and the vector; equal states give equal text. */
export function describeSiblingState(state: SiblingState<unknown> | undefined): string {
  if (state === undefined) return "-";
  const dots = state.siblings.map((s) => `${s.dot.replica}:${s.dot.counter}`).sort();
  return `${dots.join(",")}|${formatVersionVector(state.vector)}`;
}

/**
 * One replica of a sibling-keeping key-value store (Riak-style, with dotted version vectors).
 * Replicas exchange state with `syncFrom` (anti-entropy); nothing is lost that nobody saw.
 */
export class SiblingReplica<V> {
  private readonly data = new Map<string, SiblingState<V>>();

  constructor(readonly id: string) {}

  /** Every sibling of `key` (oldest dot first) and the context for the next write. */
  get(key: string): SiblingRead<V> {
    const state = this.data.get(key);
    return { values: state ? state.siblings.map((s) => s.value) : [], context: state ? state.vector : {} };
  }

  /** The siblings with their dots, for tables. */
  siblings(key: string): readonly SiblingValue<V>[] {
    return this.data.get(key)?.siblings ?? [];
  }

  /**
   * Writes `value` with the context the writer read (`{}` for a writer that read nothing):
   * siblings the context covers are overwritten, the others stay as siblings. Returns the dot.
   */
  put(key: string, value: V, context: VersionVector): Dot {
    const written = writeSibling(this.data.get(key) ?? EMPTY_SIBLING_STATE, this.id, value, context);
    this.data.set(key, written.state);
    return written.dot;
  }

  /** Takes in another replica's state: keeps every sibling the other side has not seen overwritten. */
  syncFrom(other: SiblingReplica<V>): void {
    for (const [key, theirs] of other.data) this.data.set(key, mergeSiblingStates(this.data.get(key) ?? EMPTY_SIBLING_STATE, theirs));
  }
}

/** A shopping cart as a sibling value: what is in it, and tombstones for what was removed. */
export interface Cart {
  readonly items: readonly string[];
  /** Items removed: kept so that merging by union does not bring them back. */
  readonly removed: readonly string[];
}

/** Merges sibling carts: the union of their items, minus every item any of them removed. */
export function mergeCarts(carts: readonly Cart[]): Cart {
  const removed = [...new Set(carts.flatMap((c) => c.removed))].sort();
  const items = [...new Set(carts.flatMap((c) => c.items))].filter((i) => !removed.includes(i)).sort();
  return { items, removed };
}
