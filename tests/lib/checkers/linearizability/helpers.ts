/** Small builders for hand-written histories in the checker's tests. */
import type { CheckedOp } from "../../../../lib/checkers";

let nextId = 0;

/** An operation that answered: f(input) → output, between invoke and complete. */
export function ok(client: string, f: string, input: unknown, output: unknown, invokeMs: number, completeMs: number): CheckedOp {
  return { id: nextId++, client, f, input, status: "ok", output, invokeMs, completeMs };
}

/** An operation with another status (fail, unknown, pending). */
export function other(status: "fail" | "unknown" | "pending", client: string, f: string, input: unknown, invokeMs: number, completeMs?: number): CheckedOp {
  return { id: nextId++, client, f, input, status, invokeMs, ...(completeMs === undefined ? {} : { completeMs }) };
}
