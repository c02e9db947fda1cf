/**
 * `checkLinearizability(model, ops)`: is there an order of the operations, consistent with their
 * real-time order, in which the model's sequential specification explains every answer?
 */
import { HistoryInputError } from "./errors";
import type { CheckedOp, Model } from "./model";
import { PartitionSearch, type SearchBudget, type SearchOp, type SearchOutcome, type Stuck } from "./search";

/** linearizable / not linearizable, or unknown when a search limit ran out first. */
export type Verdict = "linearizable" | "not linearizable" | "unknown";

/** Limits and choices of one check. Every check is bounded: nothing can hang. */
export interface CheckOptions {
  /**
   * Most search steps for the whole check (default 20,000,000; roughly a few seconds). When they
   * run out the verdict is "unknown".
   */
  maxSteps?: number;
  /** Wall-clock time limit in milliseconds (default: none, the step limit still applies). */
  timeLimitMs?: number;
  /** The clock `timeLimitMs` is measured with (default Date.now); tests pass a fake one. */
  now?: () => number;
  /**
   * Stop as soon as one partition is found not linearizable (default true): the verdict is then
   * known; partitions still undecided are reported as "not checked". The partitions are searched
   * in turns, so the first violation found is usually the one that is quickest to prove.
   */
  stopAtFirstViolation?: boolean;
}

/** One partition's (e.g. one key's) operation, as the result reports it. */
export interface ResultOp<I = unknown, O = unknown> {
  /** The operation as given to the checker. */
  readonly op: CheckedOp<I, O>;
  /** Its output, or undefined when its outcome was unknown (status unknown or pending). */
  readonly output: O | undefined;
  /** Completion time used by the search: +∞ for an unknown outcome. */
  readonly returnTime: number;
  /** The model's description of it, e.g. `write(3)`. */
  readonly description: string;
}

/** Where a partition failed: the longest prefix found and what could not come next. */
export interface PartitionFailure<S = unknown> {
  /** The longest sequence of operations that could be linearized, in order. */
  readonly prefix: readonly ResultOp[];
  /** The state after that prefix. */
  readonly state: S;
  /** The model's description of that state. */
  readonly stateDescription: string;
  /** The operation that returned before it could be placed. */
  readonly blocking: ResultOp;
  /**
   * Every operation that could have taken effect right after the prefix: rejected by the model
   * in that state, or possible but leading to a dead end.
   */
  readonly candidates: readonly { readonly op: ResultOp; readonly reason: "rejected" | "dead-end" }[];
}

/** The result for one partition (one key, or the whole history when the model has no keys). */
export interface PartitionResult<S = unknown> {
  /** The partition key ("" when the model does not partition). */
  readonly key: string;
  /** "not checked" when another partition failed first and stopAtFirstViolation is set. */
  readonly verdict: Verdict | "not checked";
  /** The partition's operations that took part in the search (fail ops and unknown reads excluded). */
  readonly ops: readonly ResultOp[];
  /** Search steps spent on it. */
  readonly steps: number;
  /** A valid order (indices into `ops`) when linearizable. */
  readonly order?: readonly number[];
  /** Where it got stuck when not linearizable (or, if a limit ran out, as far as it got). */
  readonly failure?: PartitionFailure<S>;
  /** When unknown: which limit ran out. */
  readonly limitReason?: string;
}

/** The whole check. */
export interface CheckResult<S = unknown> {
  readonly verdict: Verdict;
  /** The model's name. */
  readonly model: string;
  readonly partitions: readonly PartitionResult<S>[];
  /** Operations given, and how many were left out: fail ops, and unknown/pending reads. */
  readonly counts: { readonly total: number; readonly checked: number; readonly failed: number; readonly unknownReadsDropped: number };
  /** Search steps for the whole check. */
  readonly steps: number;
  /** When the verdict is unknown: the limit that ran out. */
  readonly limitReason?: string;
}

const DEFAULT_MAX_STEPS = 20_000_000;

function describe<I, O>(model: Model<unknown, I, O>, op: CheckedOp<I, O>, output: O | undefined): string {
  if (model.describeOperation !== undefined) return model.describeOperation(op.f, op.input, output);
  const out = output === undefined ? "?" : JSON.stringify(output);
  return `${op.f}(${JSON.stringify(op.input) ?? ""}) → ${out}`;
}

function validate(op: CheckedOp, position: number): void {
  const where = `operation #${position} (id ${String(op?.id)})`;
  if (op === null || typeof op !== "object") throw new HistoryInputError(`${where} is not an object.`);
  if (typeof op.f !== "string") throw new HistoryInputError(`${where}: f must be the operation's name, e.g. "read".`);
  if (!Number.isFinite(op.invokeMs)) throw new HistoryInputError(`${where}: invokeMs must be a finite time, got ${String(op.invokeMs)}.`);
  if (op.status === "ok") {
    if (op.completeMs === undefined || !Number.isFinite(op.completeMs)) {
      throw new HistoryInputError(`${where}: an ok operation needs a finite completeMs, got ${String(op.completeMs)}.`);
    }
    if (op.completeMs < op.invokeMs) {
      throw new HistoryInputError(`${where}: completeMs ${op.completeMs} is before invokeMs ${op.invokeMs}.`);
    }
  } else if (op.status !== "fail" && op.status !== "unknown" && op.status !== "pending") {
    throw new HistoryInputError(`${where}: status must be ok, fail, unknown or pending, got ${JSON.stringify(op.status)}.`);
  }
}

/**
 * Checks a history against a model. Operations with status "fail" are ignored (they did not
 * happen); "unknown" and "pending" ones may have taken effect at any time after their invocation,
 * or never. The model's partition key splits the history into independent parts, checked one by
 * one; the verdict is "not linearizable" as soon as one part is, "unknown" if a limit ran out
 * before every part was decided.
 *
 * ```ts
 * const result = checkLinearizability(registerModel, sim.history.ops, { timeLimitMs: 5000 });
 * console.log(result.verdict);               // "linearizable" | "not linearizable" | "unknown"
 * console.log(explainLinearizability(result));
 * ```
 */
export function checkLinearizability<S, I, O>(
  model: Model<S, I, O>,
  ops: readonly CheckedOp<I, O>[],
  options: CheckOptions = {},
): CheckResult<S> {
  if (!Array.isArray(ops)) throw new HistoryInputError("checkLinearizability: ops must be an array, e.g. sim.history.ops.");
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  if (!(maxSteps > 0)) throw new HistoryInputError(`checkLinearizability: maxSteps must be above 0, got ${maxSteps}.`);
  if (options.timeLimitMs !== undefined && !(options.timeLimitMs > 0)) {
    throw new HistoryInputError(`checkLinearizability: timeLimitMs must be above 0, got ${options.timeLimitMs}.`);
  }
  const now = options.now ?? Date.now;
  const budget: SearchBudget = {
    stepsLeft: maxSteps,
    deadline: options.timeLimitMs === undefined ? Number.POSITIVE_INFINITY : now() + options.timeLimitMs,
    now,
  };
  const anyModel = model as unknown as Model<unknown, unknown, unknown>;

  // Group the operations that take part, by partition, keeping their order.
  let failed = 0;
  let unknownReadsDropped = 0;
  const groups = new Map<string, ResultOp<I, O>[]>();
  ops.forEach((op, position) => {
    validate(op as CheckedOp, position);
    if (op.status === "fail") {
      failed++;
      return;
    }
    const known = op.status === "ok";
    if (!known && model.readOnly?.(op.f, op.input) === true) {
      unknownReadsDropped++;
      return;
    }
    const key = model.partitionKey?.(op.f, op.input) ?? "";
    // For the model, undefined means "outcome unknown": an ok operation without an output
    // (a write's reply, an empty read) answered null.
    const output = known ? (op.output === undefined ? (null as O) : op.output) : undefined;
    const entry: ResultOp<I, O> = {
      op,
      output,
      returnTime: known ? op.completeMs! : Number.POSITIVE_INFINITY,
      description: describe(model as Model<unknown, I, O>, op, output),
    };
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [entry]);
    else group.push(entry);
  });

  // Search the partitions in turns, with slices that double each round: a violation in any
  // partition ends the check about as soon as a parallel search would find it, even when another
  // partition would take far longer to decide.
  const keys = Array.from(groups.keys()).sort(compareKeys);
  const searches = keys.map((key) => {
    const group = groups.get(key)! as ResultOp[];
    const searchOps: SearchOp[] = group.map((r, index) => ({
      index,
      f: r.op.f,
      input: r.op.input,
      output: r.output,
      callTime: r.op.invokeMs,
      returnTime: r.returnTime,
    }));
    return { key, group, search: new PartitionSearch(anyModel, searchOps), outcome: undefined as SearchOutcome<unknown> | undefined };
  });
  const stopEarly = options.stopAtFirstViolation !== false;
  let violation = false;
  for (let slice = 1000; !(stopEarly && violation); slice *= 2) {
    const open = searches.filter((s) => s.outcome === undefined);
    if (open.length === 0) break;
    for (const s of open) {
      s.outcome = s.search.run(budget, slice);
      if (s.outcome?.kind === "not-linearizable") {
        violation = true;
        if (stopEarly) break;
      }
    }
  }

  const partitions: PartitionResult<S>[] = [];
  let limitReason: string | undefined;
  let steps = 0;
  for (const { key, group, search, outcome } of searches) {
    steps += search.steps;
    const failureOf = (stuck: Stuck<unknown>): PartitionFailure<S> => ({
      prefix: stuck.prefix.map((i) => group[i]!),
      state: stuck.state as S,
      stateDescription: model.describeState?.(stuck.state as S) ?? JSON.stringify(stuck.state) ?? "undefined",
      blocking: group[stuck.blocking]!,
      candidates: stuck.candidates.map((c) => ({ op: group[c.index]!, reason: c.reason })),
    });
    if (outcome === undefined) {
      partitions.push({ key, verdict: "not checked", ops: group, steps: search.steps });
    } else if (outcome.kind === "linearizable") {
      partitions.push({ key, verdict: "linearizable", ops: group, steps: outcome.steps, order: outcome.order });
    } else if (outcome.kind === "not-linearizable") {
      partitions.push({ key, verdict: "not linearizable", ops: group, steps: outcome.steps, failure: failureOf(outcome.stuck) });
    } else {
      limitReason = outcome.reason;
      partitions.push({
        key,
        verdict: "unknown",
        ops: group,
        steps: outcome.steps,
        limitReason: outcome.reason,
        ...(outcome.stuck === undefined ? {} : { failure: failureOf(outcome.stuck) }),
      });
    }
  }
  const verdict: Verdict = violation ? "not linearizable" : partitions.every((p) => p.verdict === "linearizable") ? "linearizable" : "unknown";
  return {
    verdict,
    model: model.name,
    partitions,
    counts: { total: ops.length, checked: ops.length - failed - unknownReadsDropped, failed, unknownReadsDropped },
    steps,
    ...(verdict === "unknown" && limitReason !== undefined ? { limitReason } : {}),
  };
}

/** Orders partition keys naturally ("2" before "10"), so results read in a stable, human order. */
function compareKeys(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (a !== "" && b !== "" && Number.isFinite(na) && Number.isFinite(nb) && na !== nb) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}
