import type { NodeId } from "./trace";

/**
 * Outcome of a client operation, in the vocabulary of Jepsen and Porcupine:
 * - ok: the system said it happened;
 * - fail: the system said it did not happen;
 * - unknown: no answer before the client's timeout; it may or may not have happened;
 * - pending: still waiting.
 */
export type OpStatus = "pending" | "ok" | "fail" | "unknown";

/** One client operation with its invoke and completion times, as checkers need it. */
export interface HistoryOp<I = unknown, O = unknown> {
  /** Unique per run, in invocation order. */
  readonly id: number;
  readonly client: NodeId;
  /** The node the request was sent to. */
  readonly node: NodeId;
  /** Operation name, e.g. "read", "write", "cas". */
  readonly f: string;
  readonly input: I;
  status: OpStatus;
  /** The node's answer when status is "ok". */
  output?: O;
  /** The node's reason when status is "fail". */
  error?: string;
  readonly invokeMs: number;
  completeMs?: number;
}

/** The answer a node gives to a client request. */
export type Reply<O = unknown> = { ok: true; value: O } | { ok: false; error: string };

/** Ordered record of every client operation in a run. */
export class History<I = unknown, O = unknown> {
  readonly ops: HistoryOp<I, O>[] = [];

  /** Operations that completed with the given status. */
  withStatus(status: OpStatus): HistoryOp<I, O>[] {
    return this.ops.filter((op) => op.status === status);
  }

  /** Operations of one client, in invocation order. */
  ofClient(client: NodeId): HistoryOp<I, O>[] {
    return this.ops.filter((op) => op.client === client);
  }
}
