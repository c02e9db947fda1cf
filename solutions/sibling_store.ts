/**
 * Exercise: sibling_store (chapter 06).
 *
 * Several replicas accept writes for the same key, and clients write without coordinating. You
 * write the per-key algorithm that keeps every concurrent write as a *sibling* and drops exactly
 * the values a writer had seen. A key's state is its siblings, each tagged with a *dot* (the
 * replica that accepted it and that replica's counter), and a *version vector*: for each
 * replica, the highest counter this state has seen from it. Missing vector entries count as 0.
 *
 *   readKey(state)
 *     - returns every sibling's value and the state's version vector as the `context` the client
 *       sends back with its next write.
 *
 *   writeKey(state, replica, context, value)
 *     - `replica` accepts a write of `value` from a client that had read `context` (`{}` if it
 *       read nothing);
 *     - the new value's dot is (replica, one more than the highest counter of `replica` known to
 *       the state or the context);
 *     - drop every sibling the context has seen (its dot's counter <= context[its replica]); keep
 *       the others: they were written concurrently;
 *     - the new vector covers the old one, the context, and the new dot.
 *
 *   mergeKeyStates(a, b)
 *     - anti-entropy between two replicas: the result keeps a sibling when both sides have it,
 *       or when the side that lacks it has not seen its dot (its vector does not cover it). A
 *       sibling one side has seen and dropped was overwritten: it must not come back. The
 *       vector is the entry-wise maximum.
 *
 * All three are pure: return new objects, never modify the arguments.
 * Run `npm run grade sibling_store` to check your work and `npm run hint sibling_store` when stuck.
 */
import type { VersionVector } from "../lib/replication/leaderless/siblings";
// @starter import { notImplemented } from "../lib/exercise_support/not_implemented";

export type { VersionVector };

/** Which write a sibling came from. */
export interface Dot {
  readonly replica: string;
  readonly counter: number;
}

/** A value no write has overwritten yet. */
export interface Sibling<V> {
  readonly value: V;
  readonly dot: Dot;
}

/** What one replica keeps for one key. */
export interface KeyState<V> {
  readonly siblings: readonly Sibling<V>[];
  readonly vector: VersionVector;
}

/** The state of a key nobody has written yet. */
export function emptyKeyState<V>(): KeyState<V> {
  return { siblings: [], vector: {} };
}

/** Every sibling's value, and the context for the client's next write. */
export function readKey<V>(state: KeyState<V>): { values: V[]; context: VersionVector } {
  // @solution-begin
  return { values: state.siblings.map((s) => s.value), context: { ...state.vector } };
  // @solution-end
  // @starter throw notImplemented("readKey");
}

/** `replica` accepts `value` from a client that had read `context`. */
export function writeKey<V>(state: KeyState<V>, replica: string, context: VersionVector, value: V): KeyState<V> {
  // @solution-begin
  const known = maxVector(state.vector, context);
  const dot: Dot = { replica, counter: (known[replica] ?? 0) + 1 };
  const survivors = state.siblings.filter((s) => !covers(context, s.dot));
  return { siblings: [...survivors, { value, dot }], vector: maxVector(known, { [replica]: dot.counter }) };
  // @solution-end
  // @starter throw notImplemented("writeKey");
}

/** Anti-entropy: the state two replicas agree on after exchanging theirs. */
export function mergeKeyStates<V>(a: KeyState<V>, b: KeyState<V>): KeyState<V> {
  // @solution-begin
  const inB = (s: Sibling<V>) => b.siblings.some((t) => sameDot(s.dot, t.dot));
  const inA = (t: Sibling<V>) => a.siblings.some((s) => sameDot(s.dot, t.dot));
  const fromA = a.siblings.filter((s) => inB(s) || !covers(b.vector, s.dot));
  const fromB = b.siblings.filter((t) => !inA(t) && !covers(a.vector, t.dot));
  return { siblings: [...fromA, ...fromB], vector: maxVector(a.vector, b.vector) };
  // @solution-end
  // @starter throw notImplemented("mergeKeyStates");
}
// @solution-begin

function covers(vector: VersionVector, dot: Dot): boolean {
  return (vector[dot.replica] ?? 0) >= dot.counter;
}

function sameDot(a: Dot, b: Dot): boolean {
  return a.replica === b.replica && a.counter === b.counter;
}

function maxVector(a: VersionVector, b: VersionVector): VersionVector {
  const out: Record<string, number> = { ...a };
  for (const [id, n] of Object.entries(b)) out[id] = Math.max(out[id] ?? 0, n);
  return out;
}
// @solution-end
