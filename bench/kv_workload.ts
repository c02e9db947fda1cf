/**
 * A seeded workload for the linearizability benchmark: clients run get / put / append operations
 * against one correct (linearizable) key-value store, with overlapping operations. Each operation
 * takes effect at one random instant between its invocation and its answer, so the history is
 * linearizable by construction. Some operations time out (outcome unknown): they took effect, or
 * not, possibly after the client gave up.
 *
 * `staleRead` then turns the history into a non-linearizable one: one get returns the value its
 * key had before a write that completed before the get was invoked. Every put writes a fresh
 * value and every append a fresh token, so a key never returns to an earlier value, and that get
 * cannot be placed anywhere.
 */
import { RandomStreams, type Seed } from "../lib/sim/random";
import type { CheckedOp, KvModelInput } from "../lib/checkers";

export interface KvWorkloadOptions {
  operations: number;
  keys: number;
  clients: number;
  seed: Seed;
  /** Probability that an operation times out (outcome unknown). Default 0.01. */
  timeoutProbability?: number;
}

type KvOp = CheckedOp<KvModelInput, unknown>;

interface Planned {
  op: KvOp;
  /** When it takes effect on the store, or undefined if it never does. */
  effectMs: number | undefined;
  /** The key's value just before it took effect (for staleRead). */
  before?: string;
}

/** A linearizable kv history of `operations` operations (ids in invocation order). */
export function linearizableKvHistory(options: KvWorkloadOptions): KvOp[] {
  return plan(options).map((p) => p.op);
}

function plan(options: KvWorkloadOptions): Planned[] {
  const random = new RandomStreams(options.seed);
  const timing = random.stream("timing");
  const choice = random.stream("operations");
  const timeoutProbability = options.timeoutProbability ?? 0.01;
  const planned: Planned[] = [];
  const clientFree = Array<number>(options.clients).fill(0);
  for (let i = 0; i < options.operations; i++) {
    // The client that becomes free first issues the next operation.
    let client = 0;
    for (let c = 1; c < options.clients; c++) if (clientFree[c]! < clientFree[client]!) client = c;
    const invokeMs = clientFree[client]! + timing.exponential(2);
    const completeMs = invokeMs + 1 + timing.exponential(8);
    const key = `k${choice.int(0, options.keys - 1)}`;
    const r = choice.float();
    const f = r < 0.5 ? "get" : r < 0.6 ? "put" : "append";
    const input: KvModelInput = f === "get" ? { key } : { key, value: f === "put" ? `p${i};` : `a${i};` };
    const timedOut = timing.chance(timeoutProbability);
    // A timed-out operation may take effect late (after the client gave up), or never.
    const effectMs = timedOut
      ? timing.chance(0.5)
        ? invokeMs + timing.uniform(0, 3 * (completeMs - invokeMs))
        : undefined
      : timing.uniform(invokeMs, completeMs);
    clientFree[client] = completeMs;
    planned.push({
      op: { id: i, client: `c${client}`, f, input, status: timedOut ? "unknown" : "ok", invokeMs, completeMs },
      effectMs,
    });
  }
  planned.sort((a, b) => a.op.invokeMs - b.op.invokeMs);
  // Apply the effects in time order to compute what each get returned.
  const store = new Map<string, string>();
  const outputs = new Map<Planned, unknown>();
  const effects = planned.filter((p) => p.effectMs !== undefined).sort((a, b) => a.effectMs! - b.effectMs!);
  for (const p of effects) {
    const { key, value } = p.op.input;
    const current = store.get(key) ?? "";
    p.before = current;
    if (p.op.f === "get") outputs.set(p, current);
    else if (p.op.f === "put") store.set(key, value ?? "");
    else store.set(key, current + (value ?? ""));
  }
  return planned.map((p, id) => ({
    ...p,
    op: { ...p.op, id, ...(p.op.status === "ok" ? { output: outputs.get(p) ?? null } : {}) },
  }));
}

/**
 * The same workload with one stale read: a get that returns its key's value from before a write
 * that had completed before the get began. Throws if the workload has no such get (too small).
 */
export function staleReadKvHistory(options: KvWorkloadOptions): { ops: KvOp[]; staleGetId: number } {
  const planned = plan(options);
  const byKey = new Map<string, Planned[]>();
  for (const p of planned) {
    const list = byKey.get(p.op.input.key) ?? [];
    list.push(p);
    byKey.set(p.op.input.key, list);
  }
  // The last get that has a completed write on its key, finished before it began, changing the value.
  for (let i = planned.length - 1; i >= 0; i--) {
    const g = planned[i]!;
    if (g.op.f !== "get" || g.op.status !== "ok") continue;
    const writes = byKey
      .get(g.op.input.key)!
      .filter((w) => w.op.f !== "get" && w.op.status === "ok" && w.op.completeMs! < g.op.invokeMs && w.before !== undefined);
    const w = writes[writes.length - 1];
    if (w === undefined) continue;
    const ops = planned.map((p) => (p === g ? { ...p.op, output: w.before } : p.op));
    return { ops, staleGetId: g.op.id };
  }
  throw new RangeError("staleReadKvHistory: no get follows a completed write; use more operations.");
}

/** The history in the kv file format (EDN-like lines), e.g. to try it with `npm run check-history`. */
export function toKvFile(ops: readonly KvOp[]): string {
  const events: { t: number; line: string }[] = [];
  const str = (v: unknown) => (v === undefined || v === null ? "nil" : JSON.stringify(v));
  for (const op of ops) {
    const p = Number(op.client.toString().replace(/\D/g, ""));
    const head = `{:process ${p}, :type`;
    const tail = `:f :${op.f}, :key ${str(op.input.key)}`;
    events.push({ t: op.invokeMs, line: `${head} :invoke, ${tail}, :value ${str(op.f === "get" ? null : op.input.value)}}` });
    if (op.status === "ok") events.push({ t: op.completeMs!, line: `${head} :ok, ${tail}, :value ${str(op.f === "get" ? op.output : op.input.value)}}` });
    else if (op.status === "unknown") events.push({ t: op.completeMs!, line: `${head} :info, ${tail}, :value ${str(op.input.value ?? null)}}` });
  }
  events.sort((a, b) => a.t - b.t);
  return events.map((e) => e.line).join("\n") + "\n";
}
