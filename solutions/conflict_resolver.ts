/**
 * Exercise: conflict_resolver (chapter 05).
 *
 * Every leader of a multi-leader cluster receives the same concurrent writes to a key, but each
 * in its own order, sometimes twice. Each leader folds them, one at a time as they arrive, into the
 * state it shows for the key:
 *
 *   let state = undefined;
 *   for (const write of arrivals) state = applyWrite(state, write, strategy);
 *
 * Write `applyWrite` so that every leader ends with EXACTLY the same state (deep-equal), whatever
 * the order and however many duplicates it received. The strategies:
 *
 *   last-write-wins  — the write with the greatest `timestampMs` wins; on equal timestamps the
 *                      greater `origin` wins ("us" > "eu"); on equal origins the greater `id`.
 *                      `writes` holds only the winner.
 *   replica-priority — the write whose origin comes first in `strategy.order` wins; origins not
 *                      in the list rank after all that are; writes of equal rank: last write wins.
 *   merge            — nothing is lost: `writes` holds every distinct write (by `id`) sorted by
 *                      id; `value` is every distinct value, sorted (plain `sort()`), joined with
 *                      "/": B and C give "B/C".
 *
 * `value` is always what the key shows; `writes` the writes that value keeps. Do not modify
 * `state` or `incoming`: return a new state.
 *
 * Run `npm run grade conflict_resolver` to check your work and `npm run hint conflict_resolver` when stuck.
 */
// @starter import { notImplemented } from "../lib/exercise_support/not_implemented";

/** One write to the key, as it arrives from another leader. */
export interface ConcurrentWrite {
  /** Unique: the same id twice is the same write delivered twice. */
  readonly id: string;
  /** The leader that accepted it. */
  readonly origin: string;
  readonly value: string;
  /** The origin's clock when it accepted the write. */
  readonly timestampMs: number;
}

/** How concurrent writes are reconciled. */
export type ResolverStrategy =
  | { kind: "last-write-wins" }
  | { kind: "replica-priority"; order: readonly string[] }
  | { kind: "merge" };

/** What a leader shows for the key, and the writes that value keeps. */
export interface RegisterState {
  value: string;
  writes: ConcurrentWrite[];
}

/** Folds one arriving write into the key's state (see the comment at the top of the file). */
export function applyWrite(state: RegisterState | undefined, incoming: ConcurrentWrite, strategy: ResolverStrategy): RegisterState {
  // @solution-begin
  if (strategy.kind === "merge") {
    const byId = new Map<string, ConcurrentWrite>();
    for (const w of [...(state?.writes ?? []), incoming]) if (!byId.has(w.id)) byId.set(w.id, w);
    const writes = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const value = [...new Set(writes.map((w) => w.value))].sort().join("/");
    return { value, writes };
  }
  const current = state?.writes[0];
  const winner = current === undefined || beats(incoming, current, strategy) ? incoming : current;
  return { value: winner.value, writes: [winner] };
  // @solution-end
  // @starter throw notImplemented("applyWrite");
}
// @solution-begin

/** True when `a` wins against `b`: a total order, so the winner never depends on arrival order. */
function beats(a: ConcurrentWrite, b: ConcurrentWrite, strategy: ResolverStrategy): boolean {
  if (strategy.kind === "replica-priority") {
    const rank = (w: ConcurrentWrite) => {
      const r = strategy.order.indexOf(w.origin);
      return r < 0 ? strategy.order.length : r;
    };
    if (rank(a) !== rank(b)) return rank(a) < rank(b);
  }
  if (a.timestampMs !== b.timestampMs) return a.timestampMs > b.timestampMs;
  if (a.origin !== b.origin) return a.origin > b.origin;
  return a.id > b.id;
}
// @solution-end
