/**
 * Human-readable reports for notebook failures: which notebook, which cell, the start of its
 * source, and what the kernel said.
 */
import * as path from "node:path";
import type { CellFailure } from "./run_notebook";
import type { OutputDiff } from "./output_comparison";
import { displayPath } from "./project_paths";

const SOURCE_PREVIEW_LINES = 8;
const STDERR_PREVIEW_LINES = 40;

/** Indents every line of `text`, keeping at most `maxLines` (head for source, tail for logs). */
export function indentBlock(text: string, options: { maxLines: number; keep: "head" | "tail"; prefix?: string }): string {
  const prefix = options.prefix ?? "    | ";
  const lines = text.replace(/\s+$/, "").split(/\r?\n/);
  let shown = lines;
  let note = "";
  if (lines.length > options.maxLines) {
    const omitted = lines.length - options.maxLines;
    if (options.keep === "head") {
      shown = lines.slice(0, options.maxLines);
      note = `\n${prefix}… (${omitted} more line${omitted === 1 ? "" : "s"})`;
    } else {
      shown = lines.slice(-options.maxLines);
      note = `${prefix}… (${omitted} earlier line${omitted === 1 ? "" : "s"})\n`;
    }
  }
  const body = shown.map((line) => prefix + line).join("\n");
  return options.keep === "head" ? body + note : note + body;
}

/** "1 code cell", "3 code cells". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/**
 * Drops stack frames of the kernel's own machinery (node:vm, tslab's executor), which are the
 * same for every cell and only push the learner's frames off the screen.
 */
export function withoutKernelFrames(stderr: string): string {
  return stderr
    .split("\n")
    .filter((line) => !/^\s+at .*(node:vm|[\\/]node_modules[\\/]tslab[\\/]|sigintHandlersWrap)/.test(line))
    .join("\n");
}

/** "cell 4 of 9" (1-based, counting markdown cells, as a reader scrolling the notebook would). */
export function cellLabel(cellIndex: number, cellCount: number): string {
  return `cell ${cellIndex + 1} of ${cellCount}`;
}

/** How to refresh one notebook's committed outputs. */
export function updateCommand(file: string): string {
  const match = /^(\d+)-/.exec(path.basename(file));
  const inChapters = path.basename(path.dirname(path.resolve(file))) === "chapters";
  const target = match && inChapters ? String(Number(match[1])) : displayPath(file);
  return `npm run notebooks:update -- ${target}`;
}

/** A report of a failed cell: notebook and cell, what went wrong, the start of its source, and what the kernel wrote. */
export function formatCellFailure(file: string, cellCount: number, failure: CellFailure, notRun: number): string {
  const where = failure.cellIndex === null ? "kernel" : cellLabel(failure.cellIndex, cellCount);
  const parts = [`${displayPath(file)}, ${where}: ${failure.summary}`];
  if (failure.source.trim()) {
    parts.push("  source:", indentBlock(failure.source, { maxLines: SOURCE_PREVIEW_LINES, keep: "head" }));
  }
  if (failure.stderr.trim()) {
    parts.push("  stderr of the cell:", indentBlock(withoutKernelFrames(failure.stderr), { maxLines: STDERR_PREVIEW_LINES, keep: "tail" }));
  }
  if (failure.kernelLog.trim()) {
    parts.push("  kernel process output:", indentBlock(failure.kernelLog, { maxLines: STDERR_PREVIEW_LINES, keep: "tail" }));
  }
  if (!failure.stderr.trim() && !failure.kernelLog.trim()) {
    parts.push("  (the kernel wrote nothing to stderr)");
  }
  if (notRun > 0) parts.push(`  ${notRun} later code cell${notRun === 1 ? " was" : "s were"} not run.`);
  return parts.join("\n");
}

/** A report of a cell whose fresh outputs differ from the committed ones, with a short diff. */
export function formatOutputMismatch(file: string, cellCount: number, cellIndex: number, source: string, diff: OutputDiff): string {
  return [
    `${displayPath(file)}, ${cellLabel(cellIndex, cellCount)}: outputs differ from the committed ones` +
      ` (first difference at output line ${diff.firstDifferenceAt})`,
    "  source:",
    indentBlock(source, { maxLines: 3, keep: "head" }),
    "  diff (- committed, + fresh):",
    ...diff.lines.map((line) => `    ${line}`),
  ].join("\n");
}
