/**
 * Comparing a cell's committed outputs with freshly computed ones.
 *
 * Both sides are rendered to a canonical list of lines first, so that what does not matter
 * does not count: execution counts, output metadata, how text was split into lines or chunks
 * (consecutive stream outputs are merged), trailing whitespace and trailing blank lines, and
 * mime types other than the ones a reader sees (text/plain, text/html, text/markdown,
 * image/svg+xml). Binary images are compared only by their presence.
 */
import { type NotebookOutput, joinText } from "./nbformat";

/** The output formats compared between runs; other MIME types (such as widget state) are ignored. */
export const COMPARED_MIME_TYPES = ["text/plain", "text/html", "text/markdown", "image/svg+xml"] as const;

/** Normalises text: Unix newlines, no trailing whitespace on lines, no trailing blank lines. */
export function normaliseText(text: string): string[] {
  const lines = text
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((line) => line.trimEnd());
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

function mimeText(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.every((part) => typeof part === "string")) return value.join("");
  return JSON.stringify(value);
}

/**
 * The canonical form of a cell's outputs: one header line per output (`[stdout]`,
 * `[display_data text/html]`, ...) followed by its normalised text.
 */
export function canonicalOutputLines(outputs: readonly NotebookOutput[]): string[] {
  const lines: string[] = [];
  let previousStream: string | null = null;
  let streamText = "";
  const flushStream = () => {
    if (previousStream !== null) {
      const text = normaliseText(streamText);
      if (text.length > 0) lines.push(`[${previousStream}]`, ...text);
    }
    previousStream = null;
    streamText = "";
  };
  for (const output of outputs) {
    if (output.output_type === "stream") {
      if (previousStream !== output.name) flushStream();
      previousStream = output.name;
      streamText += joinText(output.text);
      continue;
    }
    flushStream();
    switch (output.output_type) {
      case "display_data":
      case "execute_result": {
        const mimes = Object.keys(output.data).sort();
        lines.push(`[${output.output_type} ${mimes.join(" ")}]`);
        for (const mime of COMPARED_MIME_TYPES) {
          if (mime in output.data) {
            if (mimes.length > 1) lines.push(`(${mime})`);
            lines.push(...normaliseText(mimeText(output.data[mime])));
          }
        }
        break;
      }
      case "error":
        lines.push(`[error ${output.ename}]`, ...normaliseText(output.evalue));
        break;
    }
  }
  flushStream();
  return lines;
}

/** How a cell's fresh outputs differ from its committed ones. */
export interface OutputDiff {
  /** Unified-style lines: "  context", "- committed", "+ fresh". */
  lines: string[];
  /** 1-based line of the canonical output where the first difference is. */
  firstDifferenceAt: number;
}

/**
 * A short unified-style diff between two line lists, or null if they are equal. It shows the
 * first differing region (between the longest common prefix and suffix) with a little context,
 * capped at `maxChangedLines` per side.
 */
export function shortDiff(
  committed: readonly string[],
  fresh: readonly string[],
  options: { contextLines?: number; maxChangedLines?: number } = {},
): OutputDiff | null {
  const context = options.contextLines ?? 2;
  const cap = options.maxChangedLines ?? 8;
  let prefix = 0;
  while (prefix < committed.length && prefix < fresh.length && committed[prefix] === fresh[prefix]) prefix++;
  if (prefix === committed.length && prefix === fresh.length) return null;
  let suffix = 0;
  while (
    suffix < committed.length - prefix &&
    suffix < fresh.length - prefix &&
    committed[committed.length - 1 - suffix] === fresh[fresh.length - 1 - suffix]
  ) {
    suffix++;
  }
  const removed = committed.slice(prefix, committed.length - suffix);
  const added = fresh.slice(prefix, fresh.length - suffix);
  const capped = (side: readonly string[], marker: string) => {
    const shown = side.slice(0, cap).map((line) => `${marker} ${line}`);
    if (side.length > cap) shown.push(`${marker} … ${side.length - cap} more line(s)`);
    return shown;
  };
  const lines = [
    ...committed.slice(Math.max(0, prefix - context), prefix).map((line) => `  ${line}`),
    ...capped(removed, "-"),
    ...capped(added, "+"),
    ...committed.slice(committed.length - suffix, committed.length - suffix + context).map((line) => `  ${line}`),
  ];
  return { lines, firstDifferenceAt: prefix + 1 };
}

/** Compares a cell's committed outputs with fresh ones; null when they match. */
export function compareOutputs(
  committed: readonly NotebookOutput[],
  fresh: readonly NotebookOutput[],
): OutputDiff | null {
  return shortDiff(canonicalOutputLines(committed), canonicalOutputLines(fresh));
}
