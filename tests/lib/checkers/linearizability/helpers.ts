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

/**
 * Independently of the search, checks that `order` (indices into `ops`, all ok or unknown) is a
 * linearization: every operation appears once, real-time order is respected (an operation that
 * returned before another was invoked comes first), and replaying the order through the model
 * accepts every answer.
 */
export function isLinearization<S>(
  model: { init(): S; step(s: S, f: string, input: any, output: any): { ok: boolean; state: S } },
  ops: readonly { f: string; input: unknown; output: unknown; invokeMs: number; returnTime: number }[],
  order: readonly number[],
): boolean {
  if (order.length !== ops.length || new Set(order).size !== ops.length) return false;
  for (let i = 0; i < order.length; i++) {
    for (let j = i + 1; j < order.length; j++) {
      // ops[order[j]] comes later, so it must not have returned before ops[order[i]] was invoked.
      if (ops[order[j]!]!.returnTime < ops[order[i]!]!.invokeMs) return false;
    }
  }
  let state = model.init();
  for (const i of order) {
    const op = ops[i]!;
    const r = model.step(state, op.f, op.input, op.output);
    if (!r.ok) return false;
    state = r.state;
  }
  return true;
}
