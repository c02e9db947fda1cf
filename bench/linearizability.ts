/**
 * Linearizability checker benchmark: `npm run bench:linearizability [-- --help]`.
 *
 * Times the checker (parse + check) on every recorded history of /work/shared/histories (or the
 * copies in tests/fixtures/histories when that folder is missing), then on a generated 10,000-
 * operation kv history (100 keys, 10 clients, seeded; linearizable by construction) and on the same
 * history with one stale read (not linearizable). The aim is under 1 second per file; the
 * benchmark reports, it does not fail. Real time is fine here: this is a benchmark, not a
 * simulation.
 */
import { Command } from "commander";
import { positiveIntegerParser } from "../scripts/cli_options";
import * as fs from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { checkLinearizability, kvModel, parseHistoryFile, type CheckResult, type CheckedOp } from "../lib/checkers";
import { linearizableKvHistory, staleReadKvHistory, toKvFile } from "./kv_workload";

const AIM_MS = 1000;

interface Row {
  name: string;
  ops: number;
  verdict: string;
  expected?: string;
  steps: number;
  ms: number;
}

function timed(name: string, run: () => { ops: number; result: CheckResult }, expected?: string): Row {
  const t0 = performance.now();
  const { ops, result } = run();
  const ms = performance.now() - t0;
  return { name, ops, verdict: result.verdict, steps: result.steps, ms, ...(expected === undefined ? {} : { expected }) };
}

function checkFile(file: string): { ops: number; result: CheckResult } {
  const parsed = parseHistoryFile(fs.readFileSync(file, "utf8"), file);
  return { ops: parsed.ops.length, result: checkLinearizability(parsed.model, parsed.ops) };
}

function main(argv: string[]): number {
  const program = new Command()
    .name("npm run bench:linearizability --")
    .description("Times the linearizability checker on the recorded histories and a generated one.")
    .option("--dir <folder>", "folder with kv/ and jepsen-etcd/ histories", fs.existsSync("/work/shared/histories") ? "/work/shared/histories" : "tests/fixtures/histories")
    .option("--operations <n>", "operations of the generated history", positiveIntegerParser("operations", 10_000), 10_000)
    .option("--keys <n>", "keys of the generated history", positiveIntegerParser("keys", 100), 100)
    .option("--clients <n>", "clients of the generated history", positiveIntegerParser("clients", 10), 10)
    .option("--seed <seed>", "seed of the generated history", "bench-1")
    .option("--write-generated <file>", "also write the generated history as a kv file")
    .option("--quiet", "only the generated histories and the totals, not every file", false)
    .exitOverride()
    .parse(argv);
  const o = program.opts<{ dir: string; operations: number; keys: number; clients: number; seed: string; writeGenerated?: string; quiet: boolean }>();

  const rows: Row[] = [];
  for (const sub of ["kv", "jepsen-etcd"]) {
    const folder = path.join(o.dir, sub);
    if (!fs.existsSync(folder)) {
      console.log(`(no ${folder}: skipped)`);
      continue;
    }
    for (const f of fs.readdirSync(folder).sort()) {
      const expected = sub === "kv" ? (f.includes("-ok") ? "linearizable" : f.includes("-bad") ? "not linearizable" : undefined) : undefined;
      rows.push(timed(`${sub}/${f}`, () => checkFile(path.join(folder, f)), expected));
    }
  }
  const workload = { operations: o.operations, keys: o.keys, clients: o.clients, seed: o.seed };
  const good = linearizableKvHistory(workload);
  const bad = staleReadKvHistory(workload);
  if (o.writeGenerated !== undefined) fs.writeFileSync(o.writeGenerated, toKvFile(good));
  const check = (ops: CheckedOp[]) => ({ ops: ops.length, result: checkLinearizability(kvModel, ops as never) });
  const gen = `generated ${o.operations} ops, ${o.keys} keys, ${o.clients} clients`;
  const generated = [
    timed(`${gen} (linearizable)`, () => check(good as CheckedOp[]), "linearizable"),
    timed(`${gen} (one stale read)`, () => check(bad.ops as CheckedOp[]), "not linearizable"),
  ];

  const all = [...rows, ...generated];
  const nameWidth = Math.max(...all.map((r) => r.name.length));
  const line = (r: Row) =>
    `${r.name.padEnd(nameWidth)}  ${String(r.ops).padStart(6)} ops  ${r.verdict.padEnd(16)}  ${String(r.steps).padStart(9)} steps  ${r.ms.toFixed(1).padStart(8)} ms` +
    (r.expected !== undefined && r.expected !== r.verdict ? `  ✗ expected ${r.expected}` : "") +
    (r.ms > AIM_MS ? "  (over 1 s)" : "");
  if (!o.quiet) for (const r of rows) console.log(line(r));
  for (const r of generated) console.log(line(r));

  const total = all.reduce((s, r) => s + r.ms, 0);
  const slowest = all.reduce((a, b) => (b.ms > a.ms ? b : a));
  const count = (v: string) => rows.filter((r) => r.verdict === v).length;
  console.log(
    `\n${rows.length} recorded files: ${count("linearizable")} linearizable, ${count("not linearizable")} not, ${count("unknown")} unknown; ` +
      `${rows.reduce((s, r) => s + r.ms, 0).toFixed(0)} ms.`,
  );
  console.log(`Total ${total.toFixed(0)} ms; slowest: ${slowest.name} ${slowest.ms.toFixed(0)} ms; ${all.filter((r) => r.ms > AIM_MS).length} over the 1 s aim.`);
  const wrong = all.filter((r) => r.expected !== undefined && r.expected !== r.verdict);
  if (wrong.length > 0) console.log(`Wrong verdicts: ${wrong.map((r) => r.name).join(", ")}`);
  return wrong.length > 0 ? 1 : 0;
}

try {
  process.exitCode = main(process.argv);
} catch (err) {
  const code = (err as { exitCode?: unknown }).exitCode;
  if (typeof code === "number") process.exitCode = code === 0 ? 0 : 2;
  else {
    console.error(`bench:linearizability failed: ${(err as Error).message}`);
    process.exitCode = 1;
  }
}
