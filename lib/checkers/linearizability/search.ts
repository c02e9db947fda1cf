/**
 * The search for a linearization of one partition: Wing & Gong's algorithm with Lowe's cache, as
 * in Porcupine.
 *
 * The history is a list of call and return events in time order. The search repeatedly picks an
 * operation whose call comes before the first remaining return (so it may take effect now), asks
 * the model whether it is possible in the current state, and if so "linearizes" it: removes its
 * two events from the list and goes on. When it meets a return event, the operation it belongs to
 * should already have taken effect, so the last choice was wrong: it backtracks. The list becomes
 * empty exactly when every operation has been placed in a legal order.
 *
 * The cache remembers every (set of linearized operations, state) pair it has reached: reaching
 * the same pair again by another order cannot lead anywhere new, which prunes most of the search.
 * An operation with an unknown outcome returns at +∞, so it can be placed anywhere after its call,
 * including after everything else (which is the same as "never" for what the others observed).
 *
 * Speed: the search meets the same few states over and over (a register has a handful of values),
 * so every distinct state gets a small number once (`StateTable`), and the model's answer for
 * (state, operation) is remembered. A step is then mostly integer work: no model call, no state
 * hashing or comparison of long values, and the cache compares state numbers.
 *
 * Fewer states: where the model offers `readReachability` (kv does), a branch in which a read that
 * was already called can never succeed is abandoned at once (`hopelessRead`), rather than when
 * that read's return is reached after every order of the operations before it was tried.
 */
import type { Model } from "./model";

/** An operation ready for the search. */
export interface SearchOp {
  /** Index in the partition's operation list. */
  readonly index: number;
  readonly f: string;
  readonly input: unknown;
  /** undefined when the outcome is unknown. */
  readonly output: unknown;
  readonly callTime: number;
  /** +∞ when the outcome is unknown. */
  readonly returnTime: number;
}

/** Shared limits of one check; the search stops with "unknown" when they run out. */
export interface SearchBudget {
  /** Steps left for the whole check (one step = one event looked at). */
  stepsLeft: number;
  /** Absolute time on `now`'s clock after which the search gives up, or +∞. */
  readonly deadline: number;
  readonly now: () => number;
  /** Set when the budget ran out: what ran out, in words. */
  exhausted?: string;
}

/** Why an operation that could have been placed next was not. */
export interface Candidate {
  readonly index: number;
  /**
   * rejected: the model says it is impossible in that state;
   * dead-end: it is possible, but every way of going on from there failed.
   */
  readonly reason: "rejected" | "dead-end";
}

/** Where the search got stuck: the deepest point it reached before giving up on every branch. */
export interface Stuck<S> {
  /** The longest sequence of operations (indices) it managed to place, in order. */
  readonly prefix: readonly number[];
  /** The state after that prefix. */
  readonly state: S;
  /** The operation whose return was reached while it was still unplaced. */
  readonly blocking: number;
  /** Every operation that could have been placed right after the prefix, and why it was not. */
  readonly candidates: readonly Candidate[];
}

export type SearchOutcome<S> =
  | { readonly kind: "linearizable"; readonly order: readonly number[]; readonly steps: number }
  | { readonly kind: "not-linearizable"; readonly stuck: Stuck<S>; readonly steps: number }
  | { readonly kind: "unknown"; readonly reason: string; readonly steps: number; readonly stuck?: Stuck<S> };

interface Entry {
  readonly isCall: boolean;
  readonly op: number;
  readonly time: number;
  /** The return entry of a call (null on return entries). */
  match: Entry | null;
  prev: Entry | null;
  next: Entry | null;
}

/** Builds the time-ordered event list; on equal times calls come first (the two overlap). */
function buildList(ops: readonly SearchOp[]): Entry {
  const entries: Entry[] = [];
  for (const op of ops) {
    const ret: Entry = { isCall: false, op: op.index, time: op.returnTime, match: null, prev: null, next: null };
    const call: Entry = { isCall: true, op: op.index, time: op.callTime, match: ret, prev: null, next: null };
    entries.push(call, ret);
  }
  entries.sort((a, b) => a.time - b.time || (a.isCall === b.isCall ? a.op - b.op : a.isCall ? -1 : 1));
  const head: Entry = { isCall: false, op: -1, time: Number.NEGATIVE_INFINITY, match: null, prev: null, next: null };
  let last = head;
  for (const e of entries) {
    last.next = e;
    e.prev = last;
    last = e;
  }
  return head;
}

function lift(call: Entry): void {
  call.prev!.next = call.next;
  call.next!.prev = call.prev;
  const ret = call.match!;
  ret.prev!.next = ret.next;
  if (ret.next !== null) ret.next.prev = ret.prev;
}

function unlift(call: Entry): void {
  const ret = call.match!;
  ret.prev!.next = ret;
  if (ret.next !== null) ret.next.prev = ret;
  call.prev!.next = call;
  call.next!.prev = call;
}

/** Deterministic 32-bit pseudo-random numbers (mulberry32) for Zobrist hashing of the set. */
function zobristTable(n: number): Uint32Array {
  const table = new Uint32Array(n);
  let a = 0x9e3779b9;
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    table[i] = (t ^ (t >>> 14)) >>> 0;
  }
  return table;
}


/**
 * Numbers the distinct states of one search and remembers the model's transitions between them.
 *
 * Two states the model calls equal get the same number. The model is deterministic and the cache
 * already treats equal states as interchangeable, so `step(state, op)` depends only on the state's
 * number and the operation, and can be remembered.
 *
 * The transitions are remembered in a fixed-size, direct-mapped table (like a CPU cache: each
 * (state, op) pair has one slot, and a newer pair overwrites an older one). A register history
 * has a few dozen transitions, which all fit; a kv history with long appended strings can have
 * hundreds of thousands, nearly all used once, and a growing Map of them would cost more (memory,
 * garbage collection) than calling the model again.
 */
class StateTable<S> {
  /** State number → one representative state. */
  readonly states: S[] = [];
  /** State hash → numbers of the states with that hash. */
  private readonly byHash = new Map<number, number[]>();
  /** The slots of the transition table: the pair (state, op) held, and the next state (or REJECTED). */
  private readonly slotState = new Int32Array(TRANSITION_SLOTS).fill(-1);
  private readonly slotOp = new Int32Array(TRANSITION_SLOTS);
  private readonly slotNext = new Int32Array(TRANSITION_SLOTS);

  constructor(
    private readonly model: Model<S, unknown, unknown>,
    private readonly ops: readonly SearchOp[],
    private readonly equal: (a: S, b: S) => boolean,
    private readonly hash: (s: S) => number,
  ) {}

  /** The number of `state`, giving it a new one if no equal state was seen before. */
  intern(state: S): number {
    const h = this.hash(state);
    const ids = this.byHash.get(h);
    if (ids !== undefined) {
      for (const id of ids) if (this.equal(this.states[id]!, state)) return id;
    }
    const id = this.states.length;
    this.states.push(state);
    if (ids === undefined) this.byHash.set(h, [id]);
    else ids.push(id);
    return id;
  }

  /** The state number after operation `op` in state `from`, or REJECTED if the model refuses it. */
  step(from: number, op: number): number {
    const slot = (Math.imul(from, 0x9e3779b1) ^ Math.imul(op, 0x85ebca6b)) >>> (32 - TRANSITION_BITS);
    if (this.slotState[slot] === from && this.slotOp[slot] === op) return this.slotNext[slot]!;
    const o = this.ops[op]!;
    const state = this.states[from]!;
    const r = this.model.step(state, o.f, o.input, o.output);
    // A read hands back the very same state object: no need to hash it to find its number.
    const next = !r.ok ? REJECTED : r.state === state ? from : this.intern(r.state);
    this.slotState[slot] = from;
    this.slotOp[slot] = op;
    this.slotNext[slot] = next;
    return next;
  }
}

/** The transition table has 2^TRANSITION_BITS slots (3 × 64 KiB per partition). */
const TRANSITION_BITS = 14;
const TRANSITION_SLOTS = 1 << TRANSITION_BITS;

/** `StateTable.step`'s answer when the model says the operation is impossible. */
const REJECTED = -1;

/** How often (in steps) the clock is read: reading it every step would dominate the run time. */
const CLOCK_EVERY = 4096;

/**
 * Lowe's cache: the (set of placed operations, state number) pairs seen so far.
 *
 * It holds hundreds of thousands of entries on the big histories, so it avoids one object per
 * entry: the sets are copied one after another into a single growing Uint32Array, and a Map from
 * a 30-bit hash of the pair to the entry numbers with that hash finds the candidates to compare.
 */
class VisitedCache {
  private readonly words: number;
  /** Entry i's set is `sets[i * words .. (i + 1) * words)`. */
  private sets: Uint32Array;
  private readonly states: number[] = [];
  private readonly byHash = new Map<number, number | number[]>();

  constructor(words: number) {
    this.words = words;
    this.sets = new Uint32Array(words * 1024);
  }

  /** Adds (bits, state) under `hash`; false if the pair was there already. */
  add(hash: number, bits: Uint32Array, state: number): boolean {
    const found = this.byHash.get(hash);
    if (found !== undefined) {
      if (typeof found === "number") {
        if (this.holds(found, bits, state)) return false;
      } else {
        for (const i of found) if (this.holds(i, bits, state)) return false;
      }
    }
    const i = this.states.length;
    this.states.push(state);
    if (this.sets.length < (i + 1) * this.words) {
      const bigger = new Uint32Array(this.sets.length * 2);
      bigger.set(this.sets);
      this.sets = bigger;
    }
    this.sets.set(bits, i * this.words);
    // Most hashes have one entry: keep it as a bare number rather than a one-element array.
    if (found === undefined) this.byHash.set(hash, i);
    else if (typeof found === "number") this.byHash.set(hash, [found, i]);
    else found.push(i);
    return true;
  }

  private holds(i: number, bits: Uint32Array, state: number): boolean {
    if (this.states[i] !== state) return false;
    const sets = this.sets;
    const base = i * this.words;
    for (let w = 0; w < bits.length; w++) if (sets[base + w] !== bits[w]) return false;
    return true;
  }
}

/**
 * A resumable search over one partition: `run(slice)` works for at most `slice` steps and
 * returns "paused" if it has not decided yet, so several partitions can be searched in turns
 * (a violation in any of them ends the whole check early, like Porcupine's parallel search).
 */
export class PartitionSearch<S> {
  private readonly table: StateTable<S>;
  private readonly head: Entry;
  private readonly bits: Uint32Array;
  private readonly zobrist: Uint32Array;
  private hash = 0;
  private readonly cache: VisitedCache;
  /**
   * The operations placed so far, with the state number before each; `forced` ones (reads) were
   * the only choice worth trying.
   */
  private readonly stack: { call: Entry; state: number; forced: boolean }[] = [];
  /** Per operation: the model says it never changes the state (a read). */
  private readonly readOnly: boolean[];
  /** The model's test that a read can still become possible (see `Model.readReachability`), if any. */
  private readonly stillPossible: ((state: S, read: number, placed: (op: number) => boolean) => boolean) | undefined;
  /** True right after an operation was placed: look for a read to place first. */
  private fresh = true;
  /** The current state's number. */
  private state: number;
  private entry: Entry | null;
  private stuck: Stuck<S> | undefined;
  private result: SearchOutcome<S> | undefined;
  /** Steps spent so far. */
  steps = 0;

  constructor(
    private readonly model: Model<S, unknown, unknown>,
    private readonly ops: readonly SearchOp[],
  ) {
    this.table = new StateTable(model, ops, stateEquality(model), stateHasher(model));
    this.head = buildList(ops);
    this.bits = new Uint32Array(Math.ceil(ops.length / 32) || 1);
    this.zobrist = zobristTable(ops.length);
    this.cache = new VisitedCache(this.bits.length);
    this.state = this.table.intern(model.init());
    this.entry = this.head.next;
    this.readOnly = ops.map((op) => model.readOnly?.(op.f, op.input) === true);
    this.stillPossible = model.readReachability?.(ops);
  }

  /**
   * Searches for up to `slice` steps within `budget`; undefined while undecided.
   *
   * One refinement over Porcupine: a read (an operation the model marks readOnly) that is
   * possible right now is placed at once, as the only choice tried at that point. This loses
   * nothing: every operation that had to come before the read is already placed (its return is
   * before the read's call, and the read's call is before the first remaining return), and a read
   * leaves the state unchanged, so any order that places it later can place it now instead.
   */
  run(budget: SearchBudget, slice: number): SearchOutcome<S> | undefined {
    if (this.result !== undefined) return this.result;
    const { table, head, bits, zobrist, cache, stack, readOnly } = this;
    let state = this.state;
    let entry = this.entry;
    let hash = this.hash;
    let steps = this.steps;
    let fresh = this.fresh;
    const sliceEnd = steps + slice;
    const save = () => {
      this.state = state;
      this.entry = entry;
      this.hash = hash;
      this.steps = steps;
      this.fresh = fresh;
    };
    /** Tries to place `e` (already accepted by the model, giving `next`); false if seen before. */
    const place = (e: Entry, next: number, forced: boolean): boolean => {
      const w = e.op >>> 5;
      const mask = 1 << (e.op & 31);
      bits[w]! |= mask;
      const newHash = (hash ^ zobrist[e.op]!) & 0x3fffffff;
      // Keyed by set and state together: many orders of the same set lead to different states.
      const key = (newHash ^ Math.imul(next + 1, 0x9e3779b1)) & 0x3fffffff;
      if (!cache.add(key, bits, next)) {
        bits[w]! &= ~mask;
        return false;
      }
      stack.push({ call: e, state, forced });
      state = next;
      hash = newHash;
      lift(e);
      entry = head.next;
      fresh = true;
      return true;
    };
    /** Undoes the last choice that had alternatives (and the forced ones above it); false if none. */
    const backtrack = (): boolean => {
      for (;;) {
        const top = stack.pop();
        if (top === undefined) return false;
        state = top.state;
        bits[top.call.op >>> 5]! &= ~(1 << (top.call.op & 31));
        hash = (hash ^ zobrist[top.call.op]!) & 0x3fffffff;
        unlift(top.call);
        entry = top.call.next;
        fresh = false;
        if (!top.forced) return true;
      }
    };
    const notLinearizable = (): SearchOutcome<S> => {
      save();
      this.result = { kind: "not-linearizable", stuck: this.stuck!, steps };
      return this.result;
    };

    while (head.next !== null) {
      if (steps >= sliceEnd) {
        save();
        return undefined;
      }
      steps++;
      budget.stepsLeft--;
      if (budget.exhausted === undefined) {
        if (budget.stepsLeft < 0) budget.exhausted = "the step limit was reached";
        else if (steps % CLOCK_EVERY === 0 && budget.deadline !== Number.POSITIVE_INFINITY && budget.now() >= budget.deadline) {
          budget.exhausted = "the time limit was reached";
        }
      }
      if (budget.exhausted !== undefined) {
        save();
        this.result = { kind: "unknown", reason: budget.exhausted, steps, ...(this.stuck === undefined ? {} : { stuck: this.stuck }) };
        return this.result;
      }
      if (fresh) {
        fresh = false;
        let read: Entry | null = null;
        let readState = REJECTED;
        for (let e: Entry | null = head.next; e !== null && e.isCall; e = e.next) {
          if (!readOnly[e.op]) continue;
          readState = table.step(state, e.op);
          if (readState !== REJECTED) {
            read = e;
            break;
          }
        }
        if (read !== null) {
          // The only choice worth trying here; if it was explored before, this point fails.
          if (place(read, readState, true)) continue;
          if (!backtrack()) return notLinearizable();
          continue;
        }
        const hopeless = this.hopelessRead(state);
        if (hopeless !== null) {
          // A read already called can never become possible from here: this point fails, without
          // trying every order of the operations before that read's return.
          if (this.stuck === undefined || stack.length > this.stuck.prefix.length) this.stuck = this.describeStuck(hopeless, table.states[state]!);
          if (!backtrack()) return notLinearizable();
          continue;
        }
      }
      const e = entry!;
      if (e.isCall) {
        // A read here is certainly impossible: had it been possible, the look for a read above,
        // made in this same state and with the same list, would have placed it.
        const next = readOnly[e.op] ? REJECTED : table.step(state, e.op);
        if (next !== REJECTED && place(e, next, false)) continue;
        entry = e.next;
      } else {
        // A return: its operation should have been placed already. Undo the last choice.
        if (this.stuck === undefined || stack.length > this.stuck.prefix.length) this.stuck = this.describeStuck(e, table.states[state]!);
        if (!backtrack()) return notLinearizable();
      }
    }
    save();
    this.result = { kind: "linearizable", order: stack.map((s) => s.call.op), steps };
    return this.result;
  }

  /**
   * A read among the operations that may come next (called before the first remaining return)
   * that the model says can never become possible from state `state`, or null. Such a read must
   * still be placed before its return, so the current point is a dead end. Only asked when no
   * read is possible now.
   */
  private hopelessRead(state: number): Entry | null {
    const stillPossible = this.stillPossible;
    if (stillPossible === undefined) return null;
    const s = this.table.states[state]!;
    const bits = this.bits;
    const placed = (op: number) => (bits[op >>> 5]! & (1 << (op & 31))) !== 0;
    for (let e: Entry | null = this.head.next; e !== null && e.isCall; e = e.next) {
      if (this.readOnly[e.op] && this.ops[e.op]!.output !== undefined && !stillPossible(s, e.op, placed)) return e;
    }
    return null;
  }

  /**
   * Where the search is stuck: the prefix placed so far and every candidate for the next place.
   * `blocking` is the return reached while its operation was unplaced, or the call of a read
   * found hopeless (`hopelessRead`); the candidates are the calls before the first return.
   */
  private describeStuck(blocking: Entry, state: S): Stuck<S> {
    const candidates: Candidate[] = [];
    for (let e = this.head.next; e !== null && e.isCall; e = e.next) {
      const op = this.ops[e.op]!;
      const r = this.model.step(state, op.f, op.input, op.output);
      candidates.push({ index: e.op, reason: r.ok ? "dead-end" : "rejected" });
    }
    return { prefix: this.stack.map((s) => s.call.op), state, blocking: blocking.op, candidates };
  }
}

/** The model's state equality: `equal`, else equal `stateKey`s, else equal JSON. */
function stateEquality<S>(model: Model<S, unknown, unknown>): (a: S, b: S) => boolean {
  if (model.equal !== undefined) return (a, b) => a === b || model.equal!(a, b);
  const key = model.stateKey ?? ((s: S) => JSON.stringify(s) ?? "undefined");
  return (a, b) => a === b || key(a) === key(b);
}

/** 32-bit FNV-1a hash of a string. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The model's state hash: `hash`, else the hash of `stateKey`, else of the JSON text. */
function stateHasher<S>(model: Model<S, unknown, unknown>): (s: S) => number {
  if (model.hash !== undefined) return (s) => model.hash!(s);
  const key = model.stateKey ?? ((s: S) => JSON.stringify(s) ?? "undefined");
  return (s) => hashString(key(s));
}

/** Searches one partition to the end (or until the budget runs out). */
export function searchLinearization<S>(model: Model<S, unknown, unknown>, ops: readonly SearchOp[], budget: SearchBudget): SearchOutcome<S> {
  const search = new PartitionSearch(model, ops);
  return search.run(budget, Number.POSITIVE_INFINITY)!;
}
