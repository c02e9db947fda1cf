import type { ClientContext, ClientLogic } from "./node";
import type { HistoryOp } from "./history";
import type { NodeId } from "./trace";
import type { RandomStream } from "./random";

/** One operation a workload wants to perform. */
export interface PlannedOp<I> {
  f: string;
  input: I;
}

/** Options of `closedLoopClient`. */
export interface ClosedLoopOptions<I, O> {
  /** How many operations to issue in total. */
  count: number;
  /** Builds the i-th operation from the client's own workload stream. */
  next: (random: RandomStream, index: number) => PlannedOp<I>;
  /** Which node to send an operation to (default: the first node). */
  target?: (ctx: ClientContext<I>, previous: HistoryOp<I, O> | undefined) => NodeId;
  /** Pause between an answer and the next operation, in ms (default 0). */
  thinkTimeMs?: number;
  /** Delay before the first operation, in ms (default 0). */
  startMs?: number;
  /** Per-operation timeout in ms (default: the simulation's clientTimeoutMs). */
  timeoutMs?: number;
}

/**
 * A client that issues one operation at a time and waits for its outcome before the next, like
 * a Jepsen process. Its history is what linearizability and session checkers read.
 */
export function closedLoopClient<I, O>(options: ClosedLoopOptions<I, O>): ClientLogic<I, O> {
  let issued = 0;
  const issue = (ctx: ClientContext<I>, previous: HistoryOp<I, O> | undefined) => {
    if (issued >= options.count) return;
    const op = options.next(ctx.random, issued++);
    const node = options.target ? options.target(ctx, previous) : ctx.nodes[0]!;
    ctx.invoke(node, op.f, op.input, options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs });
  };
  return {
    onStart(ctx) {
      ctx.setTimer(options.startMs ?? 0, "next");
    },
    onTimer(ctx, _name, data) {
      issue(ctx, data as HistoryOp<I, O> | undefined);
    },
    onResult(ctx, op) {
      ctx.setTimer(options.thinkTimeMs ?? 0, "next", op);
    },
  };
}
