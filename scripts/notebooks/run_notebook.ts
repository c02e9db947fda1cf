/**
 * Executes a notebook top to bottom in a fresh tslab kernel, the way "Restart & Run All" does,
 * and reports the first cell that failed.
 *
 * Execution stops at the first failure: later cells would only fail in its wake, and tslab
 * would cancel ("abort") them anyway if they arrived within 200 ms of the error.
 */
import * as path from "node:path";
import { type CellExecution, KernelClient, KernelError } from "./kernel_client";
import { type CodeCell, type Notebook, isRunnableCodeCell, joinText, readNotebook } from "./nbformat";

/** How to run a notebook. */
export interface RunOptions {
  /** The kernel's working directory; defaults to the notebook's folder (as in Jupyter). */
  cwd?: string;
  cellTimeoutMs?: number;
  startupTimeoutMs?: number;
  /** Called after each code cell, e.g. to print progress. */
  onCell?: (cell: ExecutedCell) => void;
}

/** A code cell that was executed, with what the kernel returned. */
export interface ExecutedCell {
  /** Index of the cell in the notebook's cell list (markdown cells count too). */
  cellIndex: number;
  source: string;
  execution: CellExecution;
}

/** Why a run stopped: the cell raised, was aborted, left an async error behind, timed out, or the kernel failed. */
export type FailureKind = "error" | "abort" | "uncaught-async-error" | "timeout" | "kernel";

/** The cell that stopped a run, and what the kernel said about it. */
export interface CellFailure {
  kind: FailureKind;
  /** The failing cell's index, or null when the kernel failed before any cell ran. */
  cellIndex: number | null;
  source: string;
  /** One line saying what went wrong. */
  summary: string;
  /** What the cell wrote to stderr (tslab's error message and stack live here). */
  stderr: string;
  /** What the kernel process wrote to its own stdout/stderr. */
  kernelLog: string;
}

/** A notebook run top to bottom: the cells executed and the first failure, if any. */
export interface NotebookRun {
  file: string;
  notebook: Notebook;
  executed: ExecutedCell[];
  failure: CellFailure | null;
  /** Indices of code cells that were not run because an earlier cell failed. */
  notRun: number[];
  /** The kernel's kernel_info_reply (its language_info goes into the notebook metadata). */
  kernelInfo: Record<string, unknown>;
  startupMs: number;
  durationMs: number;
}

/**
 * tslab prints errors thrown outside a cell's own execution (a rejected promise nobody awaited,
 * an exception in a timer) with these prefixes; the cell's reply still says "ok".
 */
const ASYNC_ERROR_MARKERS = ["UncaughtException:", "UnhandledPromiseRejection:"];

/** Why an executed cell counts as failed, or null if it succeeded. */
export function classifyExecution(execution: CellExecution): { kind: FailureKind; summary: string } | null {
  switch (execution.status) {
    case "error": {
      const named = [execution.error?.ename, execution.error?.evalue].filter(Boolean).join(": ");
      return { kind: "error", summary: named ? `the cell raised ${named}` : "the cell raised an error (tslab reports it on the cell's stderr)" };
    }
    case "abort":
      return {
        kind: "abort",
        summary: "the kernel aborted the cell (tslab cancels requests that arrive within 200 ms of an error)",
      };
    case "ok": {
      const marker = ASYNC_ERROR_MARKERS.find((m) => execution.stderr.includes(m));
      return marker
        ? { kind: "uncaught-async-error", summary: `the cell left an error behind (${marker.slice(0, -1)})` }
        : null;
    }
  }
}

/** Runs every code cell of `file` in a fresh kernel, stopping at the first failure; never throws for a failing cell. */
export async function runNotebook(file: string, options: RunOptions = {}): Promise<NotebookRun> {
  const startedAt = Date.now();
  const notebook = readNotebook(file);
  const codeCells = notebook.cells
    .map((cell, cellIndex) => ({ cell, cellIndex }))
    .filter((entry): entry is { cell: CodeCell; cellIndex: number } => isRunnableCodeCell(entry.cell));
  const run: NotebookRun = {
    file,
    notebook,
    executed: [],
    failure: null,
    notRun: [],
    kernelInfo: {},
    startupMs: 0,
    durationMs: 0,
  };

  let kernel: KernelClient;
  try {
    kernel = await KernelClient.start({
      cwd: options.cwd ?? path.dirname(path.resolve(file)),
      ...(options.startupTimeoutMs !== undefined && { startupTimeoutMs: options.startupTimeoutMs }),
    });
  } catch (error) {
    run.failure = kernelFailure(error, null, "");
    run.notRun = codeCells.map((entry) => entry.cellIndex);
    run.durationMs = Date.now() - startedAt;
    return run;
  }
  run.kernelInfo = kernel.kernelInfo;
  run.startupMs = kernel.startupMs;

  try {
    for (const [position, { cell, cellIndex }] of codeCells.entries()) {
      const source = joinText(cell.source);
      let execution: CellExecution;
      try {
        execution = await kernel.execute(
          source,
          options.cellTimeoutMs !== undefined ? { timeoutMs: options.cellTimeoutMs } : {},
        );
      } catch (error) {
        run.failure = kernelFailure(error, cellIndex, source);
        run.notRun = codeCells.slice(position + 1).map((entry) => entry.cellIndex);
        break;
      }
      const executed = { cellIndex, source, execution };
      run.executed.push(executed);
      options.onCell?.(executed);
      const problem = classifyExecution(execution);
      if (problem) {
        run.failure = {
          ...problem,
          cellIndex,
          source,
          stderr: execution.stderr,
          kernelLog: execution.kernelLog,
        };
        run.notRun = codeCells.slice(position + 1).map((entry) => entry.cellIndex);
        break;
      }
    }
  } finally {
    await kernel.shutdown();
  }
  run.durationMs = Date.now() - startedAt;
  return run;
}

function kernelFailure(error: unknown, cellIndex: number | null, source: string): CellFailure {
  if (!(error instanceof KernelError)) throw error;
  return {
    kind: error.name === "KernelTimeoutError" ? "timeout" : "kernel",
    cellIndex,
    source,
    summary: error.message,
    stderr: "",
    kernelLog: error.kernelLog,
  };
}
