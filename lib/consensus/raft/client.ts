import type { ClientContext, ClientLogic } from "../../sim/node";
import type { HistoryOp } from "../../sim/history";
import type { RandomStream } from "../../sim/random";
import type { NodeId } from "../../sim/trace";
import type { RaftCommand, RaftKvOp, RaftOutput } from "./kv";
import type { CheckedOp } from "../../checkers/linearizability/model";
import type { KvModelInput } from "../../checkers/linearizability/models/kv";

const NOT_LEADER = "not the leader";

/** The error a node answers when it is not the leader; `leaderHint` is the leader it believes in. */
export function notLeaderError(leaderHint: NodeId | null): string {
  return leaderHint === null ? NOT_LEADER : `${NOT_LEADER}; try ${leaderHint}`;
}

/** The leader named by a notLeaderError, or null. */
export function leaderHintOf(error: string | undefined): NodeId | null {
  if (error === undefined || !error.startsWith(NOT_LEADER)) return null;
  const m = /; try (\S+)$/.exec(error);
  return m === null ? null : m[1]!;
}

/**
 * One logical client operation, however many attempts it took: invoked when the first attempt
 * left, completed when an attempt succeeded. This is what the linearizability checker reads: the
 * store applies a request once, somewhere between its first send and its final answer, even if
 * the client had to retry it at three different nodes.
 */
export interface RaftClientOp {
  readonly id: number;
  readonly client: NodeId;
  readonly op: RaftKvOp;
  readonly key: string;
  readonly value?: string;
  readonly invokeMs: number;
  /** ok: answered; unknown: the client gave up (it may or may not have been applied); pending: still trying. */
  status: "pending" | "ok" | "unknown";
  output?: string;
  completeMs?: number;
  /** Number of requests sent for this operation. */
  attempts: number;
}

/** The shared record of logical operations of every KV client of a run. */
export class RaftClientHistory {
  readonly ops: RaftClientOp[] = [];

  /**
   * The operations in the shape of the linearizability checker (`checkLinearizability(kvModel,
   * history.checkedOps())`): f is get/put/append, input { key, value }, output the key's string after the operation (what a get read). An operation the client gave up on, or was still retrying, may or may not have happened.
   */
  checkedOps(): CheckedOp<KvModelInput, string>[] {
    return this.ops.map((o) => ({
      id: o.id,
      client: o.client,
      f: o.op,
      input: o.value === undefined ? { key: o.key } : { key: o.key, value: o.value },
      status: o.status === "ok" ? "ok" : o.status === "unknown" ? "unknown" : "pending",
      ...(o.status === "ok" ? { output: o.output! } : {}),
      invokeMs: o.invokeMs,
      ...(o.completeMs === undefined ? {} : { completeMs: o.completeMs }),
    }));
  }
}

/** Options of `raftKvClient`. */
export interface RaftKvClientOptions {
  /** Where logical operations are recorded (shared by all clients of a run). */
  history: RaftClientHistory;
  /** How many operations to perform. */
  count: number;
  /** Builds the i-th operation (keys and values) from the client's workload stream. */
  next: (random: RandomStream, index: number, clientId: NodeId) => { op: RaftKvOp; key: string; value?: string };
  /** Per-attempt timeout (default 400 ms). */
  attemptTimeoutMs?: number;
  /** Pause before retrying after a refusal or a timeout (default 20 ms). */
  retryDelayMs?: number;
  /** Pause between a completed operation and the next (default 0). */
  thinkTimeMs?: number;
  /** Delay before the first operation (default 0). */
  startMs?: number;
  /** Give up on an operation (status unknown) after this many attempts (default 200). */
  maxAttempts?: number;
}

/**
 * A key-value client that retries: it remembers who it believes the leader is, follows "not the
 * leader; try X" hints, moves on to the next node after a timeout, and keeps the request id of a
 * retried operation, so the store applies it once. One operation at a time, like a Jepsen process.
 */
export function raftKvClient(options: RaftKvClientOptions): ClientLogic<RaftCommand, RaftOutput> {
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 400;
  const retryDelayMs = options.retryDelayMs ?? 20;
  const maxAttempts = options.maxAttempts ?? 200;
  let issued = 0;
  let leaderGuess = 0;
  let current: { logical: RaftClientOp; command: RaftCommand } | undefined;

  const attempt = (ctx: ClientContext<RaftCommand>, target: NodeId) => {
    current!.logical.attempts++;
    ctx.invoke(target, current!.command.op, current!.command, { timeoutMs: attemptTimeoutMs });
  };
  const startNext = (ctx: ClientContext<RaftCommand>) => {
    if (issued >= options.count) return;
    const index = issued++;
    const planned = options.next(ctx.random, index, ctx.id);
    const command: RaftCommand = { ...planned, clientId: ctx.id, requestId: index + 1 };
    const logical: RaftClientOp = { id: options.history.ops.length, client: ctx.id, ...planned, invokeMs: ctx.now(), status: "pending", attempts: 0 };
    options.history.ops.push(logical);
    current = { logical, command };
    attempt(ctx, ctx.nodes[leaderGuess % ctx.nodes.length]!);
  };

  return {
    onStart(ctx) {
      ctx.setTimer(options.startMs ?? 0, "next");
    },
    onTimer(ctx, name, data) {
      if (name === "next") startNext(ctx);
      else if (name === "retry" && current !== undefined) attempt(ctx, data as NodeId);
    },
    onResult(ctx, op: HistoryOp<RaftCommand, RaftOutput>) {
      if (current === undefined || op.input.requestId !== current.command.requestId) return;
      const logical = current.logical;
      if (op.status === "ok") {
        logical.status = "ok";
        logical.output = op.output!.value;
        logical.completeMs = ctx.now();
        leaderGuess = ctx.nodes.indexOf(op.node);
        current = undefined;
        ctx.setTimer(options.thinkTimeMs ?? 0, "next");
        return;
      }
      if (logical.attempts >= maxAttempts) {
        logical.status = "unknown";
        current = undefined;
        ctx.setTimer(options.thinkTimeMs ?? 0, "next");
        return;
      }
      const hint = op.status === "fail" ? leaderHintOf(op.error) : null;
      if (hint !== null && ctx.nodes.includes(hint) && hint !== op.node) {
        leaderGuess = ctx.nodes.indexOf(hint);
      } else {
        leaderGuess = (ctx.nodes.indexOf(op.node) + 1) % ctx.nodes.length;
      }
      ctx.setTimer(retryDelayMs, "retry", ctx.nodes[leaderGuess]!);
    },
  };
}
