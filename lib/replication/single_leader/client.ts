/**
 * A client that finds the leader by itself: it sends each operation to the node it believes
 * leads, follows "not-leader" redirect hints, asks the coordinator after a timeout or a refusal
 * without a hint, and retries. Every attempt is a separate operation in the history (as in
 * Jepsen); `outcomes` summarises each planned operation once.
 */
import type { PlannedOp } from "../../sim/clients";
import type { HistoryOp, OpStatus } from "../../sim/history";
import type { ClientContext, ClientLogic } from "../../sim/node";
import type { RandomStream } from "../../sim/random";
import type { NodeId } from "../../sim/trace";
import { parseRedirect } from "./redirect";
import type { KvInput, KvOutput, LeaderInfo } from "./types";

/** The final result of one planned operation, after its retries. */
export interface ClientOutcome {
  /** Position in the client's plan. */
  index: number;
  f: string;
  input: KvInput;
  status: OpStatus;
  output?: KvOutput;
  error?: string;
  /** Attempts made (1 when the first one settled it). */
  attempts: number;
  /** True time the first attempt was sent and the last one completed. */
  firstInvokeMs: number;
  completeMs: number;
  /** The node that gave the final answer (or timed out). */
  node: NodeId;
}

/** Options of `singleLeaderClient` (and of `cluster.addClient`, which fills in nodes and coordinator). */
export interface SingleLeaderClientOptions {
  /** The plan: a fixed list, or `count` operations built by `next` from the client's random stream. */
  ops: readonly PlannedOp<KvInput>[] | { count: number; next: (random: RandomStream, index: number) => PlannedOp<KvInput> };
  /** The data nodes (redirect targets when nobody knows the leader). */
  nodes: readonly NodeId[];
  /** The node to try first (default: the first data node). */
  initialLeader?: NodeId;
  /** The coordinator to ask who leads; without one the client tries the data nodes in turn. */
  coordinator?: NodeId;
  /** Where reads go: "leader" (default) or a fixed node (e.g. a follower, to see lag). */
  readFrom?: NodeId | "leader";
  /** Attempts per operation, the first included (default 5). */
  maxAttempts?: number;
  /** Pause before a retry, in ms (default 20). */
  retryDelayMs?: number;
  /**
   * Retry after a timeout (default true). A timed-out write may have happened: retrying it can
   * apply it twice (an insert gets two ids). Turn off to keep "unknown" outcomes as they are.
   */
  retryUnknown?: boolean;
  /** Per-attempt timeout (default: the simulation's clientTimeoutMs). */
  timeoutMs?: number;
  /** Pause between an outcome and the next planned operation (default 0). */
  thinkTimeMs?: number;
  /** Delay before the first operation (default 0). */
  startMs?: number;
  /** No planned operation starts at or after this true time (default: never stop early). */
  stopAtMs?: number;
}

/** A client program with a record of its outcomes. */
export interface SingleLeaderClient extends ClientLogic<unknown, unknown> {
  /** One entry per finished planned operation, in order. */
  readonly outcomes: ClientOutcome[];
  /** The node the client currently believes leads. */
  readonly believedLeader: NodeId;
}

/** Builds a leader-following client (see the module comment). */
export function singleLeaderClient(options: SingleLeaderClientOptions): SingleLeaderClient {
  if (options.nodes.length === 0) throw new Error("singleLeaderClient needs at least one data node in `nodes`.");
  const plan = options.ops;
  const count = "count" in plan ? plan.count : plan.length;
  const maxAttempts = options.maxAttempts ?? 5;
  const retryDelayMs = options.retryDelayMs ?? 20;
  const outcomes: ClientOutcome[] = [];
  let leader = options.initialLeader ?? options.nodes[0]!;
  let index = 0;
  let attempts = 0;
  let firstInvokeMs = 0;
  let current: PlannedOp<KvInput> | undefined;

  const planned = (ctx: ClientContext<unknown>, i: number): PlannedOp<KvInput> =>
    "count" in plan ? plan.next(ctx.random, i) : plan[i]!;

  const send = (ctx: ClientContext<unknown>) => {
    if (current === undefined) return;
    if (attempts === 0) firstInvokeMs = ctx.now();
    attempts++;
    const target = current.f === "read" && options.readFrom !== undefined && options.readFrom !== "leader" ? options.readFrom : leader;
    ctx.invoke(target, current.f, current.input, options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs });
  };

  const next = (ctx: ClientContext<unknown>) => {
    if (index >= count || (options.stopAtMs !== undefined && ctx.now() >= options.stopAtMs)) {
      current = undefined;
      return;
    }
    current = planned(ctx, index);
    attempts = 0;
    send(ctx);
  };

  const finish = (ctx: ClientContext<unknown>, op: HistoryOp<unknown, unknown>) => {
    const outcome: ClientOutcome = {
      index,
      f: op.f,
      input: op.input as KvInput,
      status: op.status,
      attempts,
      firstInvokeMs,
      completeMs: op.completeMs ?? ctx.now(),
      node: op.node,
    };
    if (op.output !== undefined) outcome.output = op.output as KvOutput;
    if (op.error !== undefined) outcome.error = op.error;
    outcomes.push(outcome);
    index++;
    ctx.setTimer(options.thinkTimeMs ?? 0, "next");
  };

  /** Finds a leader some other way: ask the coordinator, or move to the next data node. */
  const relocate = (ctx: ClientContext<unknown>) => {
    if (options.coordinator !== undefined) {
      ctx.invoke(options.coordinator, "leader", {}, options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs });
      return;
    }
    const i = options.nodes.indexOf(leader);
    leader = options.nodes[(i + 1) % options.nodes.length]!;
    ctx.setTimer(retryDelayMs, "retry");
  };

  return {
    outcomes,
    get believedLeader() {
      return leader;
    },
    onStart(ctx) {
      ctx.setTimer(options.startMs ?? 0, "next");
    },
    onTimer(ctx, name) {
      if (name === "next") next(ctx);
      else if (name === "retry") send(ctx);
    },
    onResult(ctx, op) {
      if (op.f === "leader") {
        // The coordinator's answer (or its silence): retry the planned operation either way.
        if (op.status === "ok") leader = (op.output as LeaderInfo).leader;
        ctx.setTimer(retryDelayMs, "retry");
        return;
      }
      if (op.status === "ok") return finish(ctx, op);
      const giveUp = attempts >= maxAttempts;
      if (op.status === "unknown") {
        if (giveUp || options.retryUnknown === false) return finish(ctx, op);
        return relocate(ctx);
      }
      const hint = parseRedirect(op.error);
      if (giveUp || hint.kind === "bad-request") return finish(ctx, op);
      if (hint.kind === "not-leader" && hint.leader !== undefined && hint.leader !== op.node) {
        leader = hint.leader;
        ctx.setTimer(retryDelayMs, "retry");
        return;
      }
      relocate(ctx);
    },
  };
}
