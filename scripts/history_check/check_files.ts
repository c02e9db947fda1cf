/**
 * The work behind `npm run check-history`: read history files, check them, and say what to print
 * and which exit code to use. Kept apart from the command line so tests can call it directly.
 */
import * as fs from "node:fs";
import {
  HistoryParseError,
  checkLinearizability,
  explainLinearizability,
  parseHistoryFile,
  type CheckResult,
  type Verdict,
} from "../../lib/checkers";

/** Exit codes, also documented in `npm run check-history -- --help`. */
export const EXIT = { linearizable: 0, notLinearizable: 1, unreadable: 2, unknown: 3 } as const;

export interface CheckFilesOptions {
  /** Print the explanation after the verdict. */
  explain?: boolean;
  /** Search step limit for each file (default: the checker's). */
  maxSteps?: number;
  /** Time limit for each file, in milliseconds. */
  timeLimitMs?: number;
}

/** What one file gave. */
export interface FileOutcome {
  readonly file: string;
  /** The verdict, or "error" when the file could not be read or parsed. */
  readonly verdict: Verdict | "error";
  readonly exitCode: number;
  /** Lines for stdout (the verdict first; the explanation after it when asked). */
  readonly out: string[];
  /** Lines for stderr (read or parse errors, notes). */
  readonly err: string[];
  readonly result?: CheckResult;
}

function exitCodeOf(verdict: Verdict): number {
  return verdict === "linearizable" ? EXIT.linearizable : verdict === "not linearizable" ? EXIT.notLinearizable : EXIT.unknown;
}

/** Reads, parses and checks one file. Never throws for a bad file: it reports it. */
export function checkHistoryFile(file: string, options: CheckFilesOptions = {}): FileOutcome {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a folder" : (err as Error).message;
    return { file, verdict: "error", exitCode: EXIT.unreadable, out: [], err: [`cannot read ${file}: ${why}`] };
  }
  let parsed;
  try {
    parsed = parseHistoryFile(text, file);
  } catch (err) {
    if (err instanceof HistoryParseError) return { file, verdict: "error", exitCode: EXIT.unreadable, out: [], err: [`cannot parse ${err.message}`] };
    throw err;
  }
  const result = checkLinearizability(parsed.model, parsed.ops, {
    ...(options.maxSteps === undefined ? {} : { maxSteps: options.maxSteps }),
    ...(options.timeLimitMs === undefined ? {} : { timeLimitMs: options.timeLimitMs }),
  });
  const out = [result.verdict === "unknown" ? `unknown (${result.limitReason ?? "a limit ran out"})` : result.verdict];
  const err: string[] = [];
  if (parsed.format === "empty") err.push(`${file} is empty: a history with no operations is trivially linearizable.`);
  if (options.explain === true) {
    out.push(`format: ${parsed.format}; times are line numbers of the file.`);
    out.push(explainLinearizability(result, { unit: "line" }));
  }
  return { file, verdict: result.verdict, exitCode: exitCodeOf(result.verdict), out, err, result };
}

/**
 * Checks several files. With one file the output is just its verdict; with several, each verdict
 * is prefixed by its file name. The exit code is the worst of them (2 > 3 > 1 > 0 would hide a
 * violation behind an unreadable file, so: unreadable 2, else not linearizable 1, else unknown 3).
 */
export function checkHistoryFiles(files: readonly string[], options: CheckFilesOptions = {}): { outcomes: FileOutcome[]; exitCode: number } {
  const outcomes = files.map((f) => checkHistoryFile(f, options));
  const codes = new Set(outcomes.map((o) => o.exitCode));
  const exitCode = codes.has(EXIT.unreadable)
    ? EXIT.unreadable
    : codes.has(EXIT.notLinearizable)
      ? EXIT.notLinearizable
      : codes.has(EXIT.unknown)
        ? EXIT.unknown
        : EXIT.linearizable;
  return { outcomes, exitCode };
}
