/**
 * `npm run notebooks:check`: re-executes every chapter notebook and fails unless every cell
 * runs cleanly and reproduces the outputs committed with it.
 *
 *   npm run notebooks:check                     # all of chapters/, through the built-in client
 *   npm run notebooks:check -- 3                # one chapter
 *   npm run notebooks:check:jupyter             # the same, executed by Jupyter's nbconvert
 *
 * Checks, per notebook:
 * - it declares the course kernel (metadata.kernelspec.name "replication-course");
 * - it was committed executed (code cells have execution counts);
 * - every code cell runs without error, abort or uncaught asynchronous error, in a fresh kernel
 *   whose working directory is the notebook's folder;
 * - every cell's fresh outputs equal its committed outputs (see output_comparison.ts).
 * An empty chapters/ folder is a failure, never a silent pass.
 */
import { Command } from "commander";
import { parsePositiveSeconds } from "../cli_options";
import * as path from "node:path";
import { DEFAULT_CELL_TIMEOUT_MS } from "./kernel_client";
import { KERNEL_NAME } from "./kernel_spec";
import { type CodeCell, type Notebook, type NotebookOutput, isRunnableCodeCell, joinText, readNotebook } from "./nbformat";
import { executeWithNbconvert, requireJupyterNbconvert } from "./jupyter_execution";
import { listNotebooks, resolveNotebook } from "./notebook_files";
import { compareOutputs } from "./output_comparison";
import { cellLabel, formatCellFailure, formatOutputMismatch, plural, updateCommand } from "./failure_report";
import { CHAPTERS_DIR, displayPath } from "./project_paths";
import { classifyExecution, runNotebook } from "./run_notebook";
import { useStarterExercisesInKernels } from "./starter_exercises";
import { findExecutable } from "./find_executable";

/** What kind of problem the check found. */
export type ProblemKind =
  | "no-notebooks"
  | "unknown-notebook"
  | "invalid-notebook"
  | "wrong-kernel"
  | "not-executed"
  | "cell-failed"
  | "stale-output";

/** One problem the check found, ready to print. */
export interface NotebookProblem {
  kind: ProblemKind;
  /** The notebook's path (or the folder, for "no-notebooks"). */
  notebook: string;
  /** 0-based index into the notebook's cells, when the problem is about one cell. */
  cellIndex: number | null;
  /** A report ready to print: where, what, and the evidence. */
  message: string;
}

/** The check of one notebook. */
export interface NotebookCheckResult {
  file: string;
  ok: boolean;
  problems: NotebookProblem[];
  /** Code cells executed successfully. */
  cellsRun: number;
  durationMs: number;
  /** Kernel start-up time (built-in route only). */
  startupMs: number | null;
}

/** The check of a folder (or a selection) of notebooks. */
export interface CheckReport {
  ok: boolean;
  notebooks: NotebookCheckResult[];
  /** Every problem of every notebook, plus folder-level ones. */
  problems: NotebookProblem[];
}

/** How notebooks are executed: the built-in kernel client ("node") or Jupyter's nbconvert. */
export type ExecutionRoute = "node" | "jupyter";

/** What to check and how. */
export interface CheckOptions {
  /** The folder of notebooks; defaults to chapters/. */
  dir?: string;
  /** Chapter numbers, names or paths to check instead of the whole folder. */
  selectors?: string[];
  /** "node" (default): the built-in client; "jupyter": nbconvert with the local kernel spec. */
  route?: ExecutionRoute;
  cellTimeoutMs?: number;
  /** Receives progress lines; silent when absent. */
  log?: (line: string) => void;
}

/** Checks the notebooks of a folder (or a selection of them); never throws for notebook problems. */
export async function checkNotebooks(options: CheckOptions = {}): Promise<CheckReport> {
  useStarterExercisesInKernels();
  const dir = path.resolve(options.dir ?? CHAPTERS_DIR);
  const log = options.log ?? (() => undefined);
  const problems: NotebookProblem[] = [];
  const files: string[] = [];

  if (options.selectors && options.selectors.length > 0) {
    for (const selector of options.selectors) {
      const file = resolveNotebook(selector, dir);
      if (file) files.push(file);
      else {
        problems.push({
          kind: "unknown-notebook",
          notebook: selector,
          cellIndex: null,
          message: `no notebook matches "${selector}" in ${displayPath(dir)}`,
        });
      }
    }
  } else {
    files.push(...listNotebooks(dir));
    if (files.length === 0) {
      problems.push({
        kind: "no-notebooks",
        notebook: dir,
        cellIndex: null,
        message: `no notebooks found in ${displayPath(dir)}: there is nothing to check, and that is an error`,
      });
    }
  }

  const jupyter = options.route === "jupyter" ? requireJupyterNbconvert() : null;
  const notebooks: NotebookCheckResult[] = [];
  for (const file of files) {
    log(`… ${displayPath(file)}`);
    const result = await checkNotebook(file, { ...options, jupyter });
    notebooks.push(result);
    problems.push(...result.problems);
    const timing = `${(result.durationMs / 1000).toFixed(1)} s` +
      (result.startupMs !== null ? `, kernel start ${(result.startupMs / 1000).toFixed(1)} s` : "");
    log(`${result.ok ? "ok  " : "FAIL"} ${displayPath(file)} (${plural(result.cellsRun, "code cell")} run, ${timing})`);
  }
  return { ok: problems.length === 0, notebooks, problems };
}

/** Checks one notebook. `jupyter` is the jupyter command when the Jupyter route is wanted. */
export async function checkNotebook(
  file: string,
  options: { cellTimeoutMs?: number; jupyter?: string | null } = {},
): Promise<NotebookCheckResult> {
  const startedAt = Date.now();
  const problems: NotebookProblem[] = [];
  const result = (cellsRun: number, startupMs: number | null): NotebookCheckResult => ({
    file,
    ok: problems.length === 0,
    problems,
    cellsRun,
    durationMs: Date.now() - startedAt,
    startupMs,
  });

  let committed: Notebook;
  try {
    committed = readNotebook(file);
  } catch (error) {
    problems.push({ kind: "invalid-notebook", notebook: file, cellIndex: null, message: (error as Error).message });
    return result(0, null);
  }
  problems.push(...staticProblems(file, committed));
  const cellTimeoutMs = options.cellTimeoutMs ?? DEFAULT_CELL_TIMEOUT_MS;

  // Fresh outputs per cell index, from whichever route executes the notebook.
  let fresh: Map<number, NotebookOutput[]>;
  let startupMs: number | null = null;
  if (options.jupyter) {
    const run = await executeWithNbconvert(file, {
      jupyter: options.jupyter,
      cellTimeoutMs,
      overallTimeoutMs: cellTimeoutMs * 4 + 10 * 60_000,
    });
    if (!run.notebook) {
      problems.push(await nbconvertFailure(file, run.errorReport, cellTimeoutMs));
      return result(0, null);
    }
    fresh = new Map(
      run.notebook.cells.flatMap((cell, index) => (isRunnableCodeCell(cell) ? [[index, cell.outputs] as const] : [])),
    );
  } else {
    const run = await runNotebook(file, { cellTimeoutMs });
    startupMs = run.startupMs;
    if (run.failure) {
      problems.push({
        kind: "cell-failed",
        notebook: file,
        cellIndex: run.failure.cellIndex,
        message: formatCellFailure(file, committed.cells.length, run.failure, run.notRun.length),
      });
      return result(run.executed.filter((cell) => classifyExecution(cell.execution) === null).length, startupMs);
    }
    fresh = new Map(run.executed.map((cell) => [cell.cellIndex, cell.execution.outputs]));
  }

  const neverExecuted = problems.some((problem) => problem.kind === "not-executed" && problem.cellIndex === null);
  if (!neverExecuted) {
    committed.cells.forEach((cell, index) => {
      if (!isRunnableCodeCell(cell) || cell.execution_count === null) return;
      const diff = compareOutputs(cell.outputs, fresh.get(index) ?? []);
      if (diff) {
        problems.push({
          kind: "stale-output",
          notebook: file,
          cellIndex: index,
          message: formatOutputMismatch(file, committed.cells.length, index, joinText(cell.source), diff),
        });
      }
    });
  }
  return result(fresh.size, startupMs);
}

/** Problems visible without running anything: the kernel spec and whether it was committed executed. */
export function staticProblems(file: string, nb: Notebook): NotebookProblem[] {
  const problems: NotebookProblem[] = [];
  const kernelspec = nb.metadata["kernelspec"] as { name?: unknown } | undefined;
  if (kernelspec?.name !== KERNEL_NAME) {
    problems.push({
      kind: "wrong-kernel",
      notebook: file,
      cellIndex: null,
      message:
        `${displayPath(file)}: metadata.kernelspec.name is ${JSON.stringify(kernelspec?.name ?? null)}, expected "${KERNEL_NAME}"` +
        ` (Jupyter would not find its kernel). \`${updateCommand(file)}\` sets it.`,
    });
  }
  const codeCells = nb.cells
    .map((cell, index) => ({ cell, index }))
    .filter((entry): entry is { cell: CodeCell; index: number } => isRunnableCodeCell(entry.cell));
  const unexecuted = codeCells.filter((entry) => entry.cell.execution_count === null);
  if (codeCells.length > 0 && unexecuted.length === codeCells.length) {
    problems.push({
      kind: "not-executed",
      notebook: file,
      cellIndex: null,
      message:
        `${displayPath(file)} has ${plural(codeCells.length, "code cell")} but no committed outputs:` +
        ` commit it executed (\`${updateCommand(file)}\`).`,
    });
  } else {
    for (const { index } of unexecuted) {
      problems.push({
        kind: "not-executed",
        notebook: file,
        cellIndex: index,
        message:
          `${displayPath(file)}, ${cellLabel(index, nb.cells.length)} was not executed in the committed file:` +
          ` commit it executed (\`${updateCommand(file)}\`).`,
      });
    }
  }
  return problems;
}

/**
 * nbconvert reports a failing cell without its stderr, and tslab's errors have empty names, so
 * the notebook is run once more through the built-in client to show what the kernel said.
 */
async function nbconvertFailure(file: string, errorReport: string, cellTimeoutMs: number): Promise<NotebookProblem> {
  const lines = [`${displayPath(file)}: Jupyter (nbconvert --execute) failed:`, ...errorReport.split("\n").map((l) => `    ${l}`)];
  const rerun = await runNotebook(file, { cellTimeoutMs });
  if (rerun.failure) {
    lines.push("  Details from re-running it with the built-in client:");
    lines.push(formatCellFailure(file, rerun.notebook.cells.length, rerun.failure, rerun.notRun.length).replace(/^/gm, "  "));
  }
  return {
    kind: "cell-failed",
    notebook: file,
    cellIndex: rerun.failure?.cellIndex ?? null,
    message: lines.join("\n"),
  };
}

/** Prints a report's problems; returns the process exit code. */
export function printReport(report: CheckReport, print: (text: string) => void = console.error): number {
  if (report.ok) return 0;
  print("");
  for (const problem of report.problems) print(`✗ ${problem.message}\n`);
  const stale = [...new Set(report.problems.filter((p) => p.kind === "stale-output").map((p) => p.notebook))];
  if (stale.length > 0) {
    print("If these output changes are intended, refresh the committed outputs and commit the notebooks:");
    for (const file of stale) print(`  ${updateCommand(file)}`);
    print("");
  }
  const failed = report.notebooks.filter((nb) => !nb.ok).length;
  print(
    `notebooks:check failed: ${report.problems.length} problem(s)` +
      (report.notebooks.length > 0 ? ` in ${failed} of ${report.notebooks.length} notebook(s)` : "") +
      ".",
  );
  return 1;
}

async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name("notebooks:check")
    .description("Re-execute the chapter notebooks and compare their outputs with the committed ones.")
    .argument("[notebooks...]", "chapter numbers, names or paths (default: every notebook in the folder)")
    .option("--dir <folder>", "the folder of notebooks", CHAPTERS_DIR)
    .option("--jupyter", "execute through Jupyter (nbconvert) with the project's kernel spec")
    .option(
      "--jupyter-if-installed",
      "like --jupyter when Jupyter is installed; otherwise say so and succeed (fails instead when REQUIRE_JUPYTER=1)",
    )
    .option("--cell-timeout <seconds>", "time limit per cell", parsePositiveSeconds, DEFAULT_CELL_TIMEOUT_MS / 1000)
    .parse(argv);
  const options = program.opts<{ dir: string; jupyter?: boolean; jupyterIfInstalled?: boolean; cellTimeout: number }>();
  if (options.jupyterIfInstalled && !options.jupyter) {
    if (!findExecutable("jupyter") && process.env.REQUIRE_JUPYTER !== "1") {
      console.log(
        "NOTE: Jupyter is not installed, so the notebooks were NOT run through Jupyter itself (only through " +
          "the built-in kernel client). Install it (see README) or set REQUIRE_JUPYTER=1 to make this an error.",
      );
      return 0;
    }
    options.jupyter = true;
  }
  const route: ExecutionRoute = options.jupyter ? "jupyter" : "node";
  console.log(`Checking notebooks in ${displayPath(path.resolve(options.dir))} (${route === "jupyter" ? "through Jupyter nbconvert" : "built-in kernel client"})`);
  const report = await checkNotebooks({
    dir: options.dir,
    selectors: program.args,
    route,
    cellTimeoutMs: options.cellTimeout * 1000,
    log: (line) => console.log(line),
  });
  if (report.ok) console.log(`All ${report.notebooks.length} notebook(s) ran cleanly and match their committed outputs.`);
  return printReport(report);
}

if (require.main === module) {
  main(process.argv).then(
    (code) => process.exit(code),
    (error: Error) => {
      // Setup problems (Jupyter missing, unreadable folder) are reported without a stack trace.
      console.error(`notebooks:check could not run: ${error.message}`);
      process.exit(1);
    },
  );
}
