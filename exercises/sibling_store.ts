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
import { notImplemented } from "../lib/exercise_support/not_implemented";

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
  throw notImplemented("readKey");
}

/** `replica` accepts `value` from a client that had read `context`. */
export function writeKey<V>(state: KeyState<V>, replica: string, context: VersionVector, value: V): KeyState<V> {
  throw notImplemented("writeKey");
}

/** Anti-entropy: the state two replicas agree on after exchanging theirs. */
export function mergeKeyStates<V>(a: KeyState<V>, b: KeyState<V>): KeyState<V> {
  throw notImplemented("mergeKeyStates");
}
