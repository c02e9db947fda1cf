/**
 * What the checker needs to know about the object a history talks about (a register, a key-value
 * map...): a sequential specification. The checker itself knows nothing about registers; plug in
 * any model with this shape.
 */

/** The outcome of applying one operation to a state in the sequential specification. */
export interface StepResult<S> {
  /** Whether the operation, with the output it returned, is possible in this state. */
  readonly ok: boolean;
  /** The state after the operation (only meaningful when ok). */
  readonly state: S;
}

/**
 * A sequential specification.
 *
 * `output` is `undefined` when the operation's outcome is unknown (timeout, crash): the model must
 * then accept the operation (ok: true) and return the state it would leave if it took effect.
 * Models are deterministic: the new state depends only on the state, the call and the output.
 */
export interface Model<S = unknown, I = unknown, O = unknown> {
  /** Short name used in explanations, e.g. "register". */
  readonly name: string;
  /** The state before any operation. */
  init(): S;
  /** Applies operation `f(input)` that returned `output` (undefined: outcome unknown). */
  step(state: S, f: string, input: I, output: O | undefined): StepResult<S>;
  /**
   * Whether two states are equal. The search caches the (set of linearized operations, state)
   * pairs it has explored and compares states with this. Default: equal `stateKey`s.
   */
  equal?(a: S, b: S): boolean;
  /**
   * A hash of a state (equal states must hash alike), so the cache compares only states that are
   * probably equal. Default: a hash of `stateKey`.
   */
  hash?(state: S): number;
  /**
   * A canonical string of a state: two states are equal exactly when their keys are equal. Used
   * when `equal` is not given. Default: JSON.stringify.
   */
  stateKey?(state: S): string;
  /**
   * Operations with different keys touch independent parts of the state (P-compositionality), so
   * each key's sub-history is checked on its own, which is much faster. Default: one partition.
   */
  partitionKey?(f: string, input: I): string;
  /**
   * True for operations that never change the state (reads); `step` must then return the same
   * state. Such an operation whose outcome is unknown constrains nothing, so the checker drops
   * it; and one that is possible now is placed at once without trying alternatives.
   */
  readOnly?(f: string, input: I): boolean;
  /**
   * Optional, only to make the search faster. Given every operation of one partition, returns a
   * test `stillPossible(state, read, placed)`: false only when NO order of the operations not yet
   * placed (`placed(i)` is false), starting from `state`, could make operation `read` (an index
   * of `ops`, a `readOnly` one with a known output) possible. Return undefined when it cannot
   * tell. The search then abandons at once a branch where a read already called can never
   * succeed, instead of trying every order of what comes before that read's return. Example: kv
   * appends only lengthen a string, so a get can succeed later only if the string so far, or the
   * value of a put not yet placed, is a prefix of what it read. A wrong false hides linearizations.
   */
  readReachability?(
    ops: readonly { readonly f: string; readonly input: I; readonly output: O | undefined }[],
  ): ((state: S, read: number, placed: (op: number) => boolean) => boolean) | undefined;
  /** The operation in words, e.g. `write(3)`, `read() → 3`; output undefined = unknown outcome. */
  describeOperation?(f: string, input: I, output: O | undefined): string;
  /** A state in words, e.g. `3` or `{x: "a"}`. */
  describeState?(state: S): string;
}

/**
 * One client operation as the checker reads it. The course's `HistoryOp` (lib/sim/history.ts) has
 * this shape, so `sim.history.ops` can be passed directly; the file parsers produce it too.
 */
export interface CheckedOp<I = unknown, O = unknown> {
  /** Unique id, used in explanations and results (e.g. the index in the history). */
  readonly id: number;
  /** The client (or Jepsen process) that issued the operation; drawn as one timeline lane. */
  readonly client: string | number;
  /** Operation name, e.g. "read", "write", "cas", "get", "put", "append". */
  readonly f: string;
  readonly input: I;
  /**
   * ok: it happened, with `output`; fail: it certainly did not happen (ignored by the checker);
   * unknown / pending: it may have taken effect at any time after its invocation, or never.
   */
  readonly status: "ok" | "fail" | "unknown" | "pending";
  /** The answer, when status is "ok" (missing: the model is given null). */
  readonly output?: O;
  /** Invocation time (any unit: milliseconds, or a line number for recorded logs). */
  readonly invokeMs: number;
  /** Completion time; required when status is "ok". */
  readonly completeMs?: number;
}
