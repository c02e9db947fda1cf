/**
 * `npm run notebooks:update [-- <chapter number or file>...]`: executes notebooks and writes
 * the fresh outputs into the .ipynb files, so they can be committed executed.
 *
 * The file is written the way Jupyter saves it (nbformat 4, sorted keys, one-space indent,
 * trailing newline), with execution counts 1..n and the course kernel spec in its metadata.
 * A notebook with a failing cell is left untouched and the command exits 1.
 */
import { Command } from "commander";
import { parsePositiveSeconds } from "../cli_options";
import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULT_CELL_TIMEOUT_MS } from "./kernel_client";
import { NOTEBOOK_KERNELSPEC } from "./kernel_spec";
import { type Notebook, type NotebookCell, type NotebookOutput, isCodeCell, serializeNotebook } from "./nbformat";
import { listNotebooks, resolveNotebook } from "./notebook_files";
import { formatCellFailure } from "./failure_report";
import { CHAPTERS_DIR, displayPath } from "./project_paths";
import { type NotebookRun, runNotebook } from "./run_notebook";
import { useStarterExercisesInKernels } from "./starter_exercises";

/** Which notebooks to update and how. */
export interface UpdateOptions {
  /** The folder of notebooks; defaults to chapters/. */
  dir?: string;
  /** Chapter numbers, names or paths; all notebooks of the folder when empty. */
  selectors?: string[];
  cellTimeoutMs?: number;
  log?: (line: string) => void;
}

/** What notebooks:update wrote, left alone, or could not run. */
export interface UpdateReport {
  ok: boolean;
  /** Notebooks whose file changed. */
  written: string[];
  /** Notebooks that ran cleanly and whose file was already current. */
  unchanged: string[];
  /** Reports for notebooks that were not written (failing cell, unknown selector, none found). */
  failures: string[];
}

/**
 * The notebook with the run's outputs: each executed code cell gets its outputs and the next
 * execution count (1, 2, …); code cells that were skipped (empty) get none. Metadata records
 * the course kernel and the kernel's language_info, as Jupyter does when it saves.
 */
export function notebookWithOutputs(run: NotebookRun): Notebook {
  const freshByIndex = new Map(run.executed.map((cell) => [cell.cellIndex, cell.execution.outputs]));
  let executionCount = 0;
  const cells = run.notebook.cells.map((cell, index): NotebookCell => {
    if (!isCodeCell(cell)) return cell;
    const outputs = freshByIndex.get(index);
    if (outputs === undefined) return { ...cell, execution_count: null, outputs: [] };
    executionCount += 1;
    const count = executionCount;
    return {
      ...cell,
      execution_count: count,
      outputs: outputs.map((output): NotebookOutput =>
        output.output_type === "execute_result" ? { ...output, execution_count: count } : output,
      ),
    };
  });
  const metadata: Record<string, unknown> = { ...run.notebook.metadata, kernelspec: { ...NOTEBOOK_KERNELSPEC } };
  const languageInfo = run.kernelInfo["language_info"];
  if (languageInfo && typeof languageInfo === "object") metadata["language_info"] = languageInfo;
  return { ...run.notebook, metadata, cells };
}

/** Executes the selected notebooks and writes the outputs of those that ran cleanly; a failing notebook is left untouched. */
export async function updateNotebooks(options: UpdateOptions = {}): Promise<UpdateReport> {
  useStarterExercisesInKernels();
  const dir = path.resolve(options.dir ?? CHAPTERS_DIR);
  const log = options.log ?? (() => undefined);
  const report: UpdateReport = { ok: true, written: [], unchanged: [], failures: [] };
  const files: string[] = [];
  if (options.selectors && options.selectors.length > 0) {
    for (const selector of options.selectors) {
      const file = resolveNotebook(selector, dir);
      if (file) files.push(file);
      else report.failures.push(`no notebook matches "${selector}" in ${displayPath(dir)}`);
    }
  } else {
    files.push(...listNotebooks(dir));
    if (files.length === 0) report.failures.push(`no notebooks found in ${displayPath(dir)}`);
  }

  for (const file of files) {
    const run = await runNotebook(file, options.cellTimeoutMs !== undefined ? { cellTimeoutMs: options.cellTimeoutMs } : {});
    if (run.failure) {
      report.failures.push(
        formatCellFailure(file, run.notebook.cells.length, run.failure, run.notRun.length) +
          `\n  ${displayPath(file)} was not written.`,
      );
      log(`FAIL ${displayPath(file)} (not written)`);
      continue;
    }
    const text = serializeNotebook(notebookWithOutputs(run));
    if (fs.readFileSync(file, "utf8") === text) {
      report.unchanged.push(file);
      log(`same ${displayPath(file)} (${run.executed.length} code cells, ${(run.durationMs / 1000).toFixed(1)} s)`);
    } else {
      fs.writeFileSync(file, text);
      report.written.push(file);
      log(`wrote ${displayPath(file)} (${run.executed.length} code cells, ${(run.durationMs / 1000).toFixed(1)} s)`);
    }
  }
  report.ok = report.failures.length === 0;
  return report;
}

async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name("notebooks:update")
    .description("Execute notebooks and write their outputs into the .ipynb files.")
    .argument("[notebooks...]", "chapter numbers, names or paths (default: every notebook in the folder)")
    .option("--dir <folder>", "the folder of notebooks", CHAPTERS_DIR)
    .option("--cell-timeout <seconds>", "time limit per cell", parsePositiveSeconds, DEFAULT_CELL_TIMEOUT_MS / 1000)
    .parse(argv);
  const options = program.opts<{ dir: string; cellTimeout: number }>();
  const report = await updateNotebooks({
    dir: options.dir,
    selectors: program.args,
    cellTimeoutMs: options.cellTimeout * 1000,
    log: (line) => console.log(line),
  });
  for (const failure of report.failures) console.error(`\n✗ ${failure}`);
  if (!report.ok) {
    console.error(`\nnotebooks:update failed for ${report.failures.length} notebook(s); fix the cells above and run it again.`);
    return 1;
  }
  console.log(`${report.written.length} notebook(s) written, ${report.unchanged.length} already current.`);
  return 0;
}

if (require.main === module) {
  main(process.argv).then(
    (code) => process.exit(code),
    (error: Error) => {
      console.error(`notebooks:update could not run: ${error.message}`);
      process.exit(1);
    },
  );
}
