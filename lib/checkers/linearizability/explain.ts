/**
 * The result of a check in words: for a violation, the longest order the checker could build and
 * the operation(s) that could not come next, with their clients, times and values.
 */
import type { CheckResult, PartitionResult, ResultOp } from "./check";

/** Options of `explainLinearizability`. */
export interface ExplainOptions {
  /** Most operations of the linearizable prefix to list (the last ones; default 8). */
  prefixLimit?: number;
  /** Time unit printed after times (default "ms"; the file parsers use line numbers: "line"). */
  unit?: "ms" | "line";
}

function time(t: number, unit: "ms" | "line"): string {
  if (t === Number.POSITIVE_INFINITY) return "never (outcome unknown)";
  return unit === "line" ? `line ${t}` : `${Number.isInteger(t) ? t : t.toFixed(2)} ms`;
}

/** One operation on one line: who, what, when. */
export function describeResultOp(r: ResultOp, unit: "ms" | "line" = "ms"): string {
  const status = r.op.status === "ok" ? "" : ` [${r.op.status}]`;
  const end = r.returnTime === Number.POSITIVE_INFINITY ? "no answer" : `returned at ${time(r.returnTime, unit)}`;
  return `client ${r.op.client}: ${r.description}${status}, invoked at ${time(r.op.invokeMs, unit)}, ${end}`;
}

function keyLabel(p: PartitionResult): string {
  return p.key === "" ? "the history" : `key ${JSON.stringify(p.key)}`;
}

function explainPartition(p: PartitionResult, options: Required<ExplainOptions>): string[] {
  const f = p.failure;
  if (f === undefined) return [];
  const lines: string[] = [];
  const n = f.prefix.length;
  lines.push(
    `In ${keyLabel(p)} (${p.ops.length} operations), the longest linearizable order found has ${n} operation${n === 1 ? "" : "s"}` +
      (n === 0 ? "." : `; its last ${Math.min(n, options.prefixLimit)}:`),
  );
  f.prefix.slice(Math.max(0, n - options.prefixLimit)).forEach((r, i, shown) => {
    lines.push(`  ${n - shown.length + i + 1}. ${describeResultOp(r, options.unit)}`);
  });
  lines.push(`After ${n === 0 ? "no operation" : "them"} the state is ${f.stateDescription}.`);
  lines.push(`Then this operation returned before it could take effect:`);
  lines.push(`  ${describeResultOp(f.blocking, options.unit)}`);
  const rejected = f.candidates.filter((c) => c.reason === "rejected");
  const deadEnds = f.candidates.filter((c) => c.reason === "dead-end");
  if (rejected.length > 0) {
    lines.push(`Operations that could come next but are impossible in state ${f.stateDescription}:`);
    for (const c of rejected) lines.push(`  - ${describeResultOp(c.op, options.unit)}`);
  }
  if (deadEnds.length > 0) {
    lines.push(`Operations that could come next, but every order continuing with them fails later:`);
    for (const c of deadEnds) lines.push(`  - ${describeResultOp(c.op, options.unit)}`);
  }
  return lines;
}

/**
 * Explains a check result in words. For "not linearizable": the key (partition) that failed, the
 * longest linearizable prefix found (its last few operations), the state after it, and the
 * operations that could not be placed next, with times and values. For "unknown": which limit
 * ran out and how far the search got.
 */
export function explainLinearizability(result: CheckResult, options: ExplainOptions = {}): string {
  const opts: Required<ExplainOptions> = { prefixLimit: options.prefixLimit ?? 8, unit: options.unit ?? "ms" };
  const c = result.counts;
  const ignored: string[] = [];
  if (c.failed > 0) ignored.push(`${c.failed} failed (they did not happen)`);
  if (c.unknownReadsDropped > 0) ignored.push(`${c.unknownReadsDropped} reads without an answer (they constrain nothing)`);
  const parts = result.partitions.length;
  const header =
    `${result.model}: ${c.total} operations, ${c.checked} checked in ${parts} partition${parts === 1 ? "" : "s"}` +
    (ignored.length > 0 ? `; ignored ${ignored.join(" and ")}` : "") +
    `; ${result.steps} search steps.`;
  if (result.verdict === "linearizable") {
    return `${header}\nLinearizable: every operation can be placed at one instant between its invocation and its answer, in an order that the ${result.model} allows.`;
  }
  const lines = [header];
  if (result.verdict === "unknown") {
    lines.push(`Unknown: ${result.limitReason ?? "a limit ran out"} before the search finished; raise maxSteps or timeLimitMs.`);
    for (const p of result.partitions.filter((q) => q.verdict === "unknown" && q.failure !== undefined).slice(0, 1)) {
      lines.push(`So far: ${explainPartition(p, opts).join("\n")}`);
    }
    return lines.join("\n");
  }
  const bad = result.partitions.filter((p) => p.verdict === "not linearizable");
  lines.push(`Not linearizable: ${bad.map(keyLabel).join(", ")} cannot be ordered.`);
  for (const p of bad) lines.push(...explainPartition(p, opts));
  return lines.join("\n");
}
