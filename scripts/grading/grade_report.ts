/**
 * What `npm run grade` prints: a progress table over all exercises and, per exercise, its
 * failures in plain words. Never a raw stack trace: only the learner's own file and line.
 */
import type { TestFailure } from "./failure_analysis";
import type { GradedExercise } from "./grade_exercise";
import { type ExerciseStatus, type ExerciseSummary, statusLabel } from "./summarise";

/** Colours for a terminal, or none. */
export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
}

/** Plain ANSI escapes when `enabled` (stdout is a TTY and NO_COLOR is unset), else no-ops. */
export function terminalStyle(enabled: boolean): Style {
  const wrap = (open: number, close: number) => (text: string) =>
    enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return { bold: wrap(1, 22), dim: wrap(2, 22), red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39) };
}

/** How much of each failure to print. */
export interface Detail {
  /** Print every failed test (one exercise) or only the first (the overview). */
  allFailures: boolean;
  /** Longest message printed per failure, in lines. */
  maxMessageLines: number;
  /** Print vitest's expected/received diff. */
  showDiff: boolean;
  /** Longest stretch of the tests' console output printed, in lines (0: none). */
  maxConsoleLines: number;
}

/** The progress table's details: the first failure of each exercise, no console output. */
export const OVERVIEW_DETAIL: Detail = { allFailures: false, maxMessageLines: 8, showDiff: false, maxConsoleLines: 0 };
/** `npm run grade <exercise>`: every failure, diffs, and what the learner's console.log calls printed. */
export const EXERCISE_DETAIL: Detail = { allFailures: true, maxMessageLines: 40, showDiff: true, maxConsoleLines: 60 };

const INDENT = "    ";

function colourStatus(status: ExerciseStatus, style: Style): (text: string) => string {
  switch (status.kind) {
    case "passed":
      return style.green;
    case "not-started":
    case "no-suite":
      return style.dim;
    case "failing":
      return style.yellow;
    default:
      return style.red;
  }
}

function pad(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - text.length));
}

/** The progress table: one row per exercise with its chapter, status and title. */
export function renderTable(graded: GradedExercise[], style: Style): string {
  const rows = graded.map((g) => ({
    chapter: g.entry.chapter,
    name: g.entry.name,
    status: statusLabel(g.summary.status),
    colour: colourStatus(g.summary.status, style),
    title: g.entry.title,
  }));
  const nameWidth = Math.max("Exercise".length, ...rows.map((r) => r.name.length));
  const statusWidth = Math.max("Status".length, ...rows.map((r) => r.status.length));
  const lines = [style.bold(`Ch.  ${pad("Exercise", nameWidth)}  ${pad("Status", statusWidth)}  What you build`)];
  for (const r of rows) {
    lines.push(`${pad(r.chapter, 3)}  ${pad(r.name, nameWidth)}  ${r.colour(pad(r.status, statusWidth))}  ${style.dim(r.title)}`);
  }
  const passed = graded.filter((g) => g.summary.status.kind === "passed").length;
  lines.push("", `${passed} of ${graded.length} exercise${graded.length === 1 ? "" : "s"} passed.`);
  return lines.join("\n");
}

function limitLines(text: string, max: number): string[] {
  const lines = text.split("\n");
  if (lines.length <= max) return lines;
  return [...lines.slice(0, max), `… (${lines.length - max} more lines: run npm run grade <exercise> for all of it)`];
}

function at(location: { file: string; line: number } | null): string {
  return location ? ` at ${location.file}:${location.line}` : "";
}

/** One failed test in plain words: its name, what was wrong, where the learner's code threw, how to replay. */
export function renderFailure(failure: TestFailure, detail: Detail, style: Style): string[] {
  const lines = [`${style.red("✗")} ${style.bold(failure.test)}`];
  const body: string[] = [];
  if (failure.kind === "not-implemented") {
    const what = failure.functionName ?? "a function this test calls";
    body.push(`${what} is not implemented yet${at(failure.location)}`);
  } else {
    const message = failure.message.trim();
    if (message !== "") body.push(...limitLines(message, detail.maxMessageLines));
    if (failure.thrown) {
      body.push(`your code threw ${failure.thrown.type}: ${failure.thrown.message}${at(failure.location)}`);
    }
  }
  // Replay lines are the most useful part of a long randomised failure: keep them even when the
  // message was cut.
  for (const line of failure.replay) {
    if (!body.some((b) => b.trim() === line)) body.push(line);
  }
  if (detail.showDiff && failure.diff && isInformativeDiff(failure.diff)) {
    body.push("", ...limitLines(failure.diff.trimEnd(), 20));
  }
  return [...lines, ...body.map((l) => (l === "" ? "" : INDENT + l))];
}

/**
 * A diff of two single values ("- false / + true") repeats the message; one of objects or lists
 * shows which field differs, which the message does not.
 */
function isInformativeDiff(diff: string): boolean {
  const content = diff.split("\n").filter((l) => l.trim() !== "" && !/^[-+] (Expected|Received)\s*$/.test(l));
  return content.length > 2;
}

/** Functions still to write, in the order the failing tests meet them. */
function unfinishedFunctions(summary: ExerciseSummary): string[] {
  return [...new Set(summary.failures.map((f) => f.functionName).filter((n): n is string => n !== null))];
}

/**
 * What to say about one exercise below the table (overview) or on its own (one exercise):
 * empty for an exercise with nothing to report in the overview. With `detail.maxConsoleLines`,
 * what the tests printed is shown too, so a learner's console.log calls are seen: under each
 * failed test what it printed, and after everything what the other tests printed.
 */
export function renderExercise(graded: GradedExercise, detail: Detail, style: Style): string[] {
  const lines = renderStatus(graded, detail, style);
  const perFailure = graded.summary.status.kind === "failing" && detail.allFailures;
  const failed = new Set(perFailure ? graded.summary.failures.map((f) => f.test) : []);
  // What failed tests printed is shown under each of them (renderStatus); the rest here.
  const rest = graded.console.filter((c) => c.test === null || !failed.has(c.test));
  const heading = perFailure ? "console output of the other tests" : "console output while the tests ran";
  const block = consoleBlock(heading, rest.map((c) => c.text).join(""), detail, style);
  return block.length === 0 ? lines : [...lines, "", ...block];
}

/** A heading and `text` indented, cut to `detail.maxConsoleLines` lines; [] for blank text or no lines allowed. */
function consoleBlock(heading: string, text: string, detail: Detail, style: Style): string[] {
  const trimmed = text.replace(/\s+$/, "");
  if (detail.maxConsoleLines <= 0 || trimmed.trim() === "") return [];
  const lines = trimmed.split(/\r?\n/);
  const shown = lines.slice(0, detail.maxConsoleLines);
  const cut = lines.length - shown.length;
  const result = [style.dim(cut > 0 ? `${heading} (first ${shown.length} of ${lines.length} lines):` : `${heading}:`)];
  result.push(...shown.map((l) => `${INDENT}${l}`));
  if (cut > 0) {
    result.push(style.dim(`${INDENT}… ${cut} more line${cut === 1 ? "" : "s"} not shown (print less, or replay one seed with -- --seed N)`));
  }
  return result;
}

/** The status of one exercise and its failures, without the console output. */
function renderStatus(graded: GradedExercise, detail: Detail, style: Style): string[] {
  const { entry, summary } = graded;
  const name = entry.name;
  const head = style.bold(`${name}: ${statusLabel(summary.status)}`);
  const status = summary.status;
  switch (status.kind) {
    case "passed":
      return detail.allFailures ? [`${style.green("✓")} ${name}: all ${status.total} tests pass.`] : [];
    case "no-suite":
      return detail.allFailures ? [`${name} has no grading suite yet.`] : [];
    case "missing-file":
      return [head, `${INDENT}${status.file} is missing: restore it with git checkout -- ${status.file}`];
    case "not-started": {
      if (!detail.allFailures) return [];
      const first = summary.failures.find((f) => f.kind === "not-implemented");
      const todo = [...new Set([...unfinishedFunctions(summary), ...(graded.unwritten ?? [])])];
      const lines = [head];
      if (first?.functionName) lines.push(`${INDENT}Start with ${first.functionName}${first.location ? ` (${first.location.file}:${first.location.line})` : ""}.`);
      if (todo.length > 1) lines.push(`${INDENT}Still to write: ${todo.join(", ")}.`);
      lines.push(`${INDENT}Stuck? npm run hint ${name}`);
      return lines;
    }
    case "timed-out": {
      const seconds = Math.round(status.timeoutMs / 1000);
      const lines = [style.bold(`${name}: stopped after ${seconds} s: your code may loop forever`)];
      for (const test of status.runningTests) lines.push(`${INDENT}it was running: ${test}`);
      lines.push(
        `${INDENT}Look for a loop whose condition never becomes false. If your code is only slow, ` +
          `allow more time: npm run grade ${name} -- --timeout ${seconds * 2}`,
      );
      return lines;
    }
    case "load-error": {
      const where = status.location ? ` (${status.location.file}:${status.location.line})` : "";
      const syntax = /PARSE_ERROR|Transform failed/.test(status.message);
      const message = status.message.replace(/^Error: Transform failed with \d+ errors?:\s*/, "");
      return [
        head,
        syntax
          ? `${INDENT}your file has a syntax error${where}:`
          : `${INDENT}your file threw while it was being loaded${where}:`,
        ...limitLines(message, detail.maxMessageLines + 8).map((l) => INDENT + INDENT + l),
      ];
    }
    case "no-tests":
      return [head, `${INDENT}the suite ran no test; this is a problem with the course, not your code.`];
    case "grader-error":
      return [
        head,
        `${INDENT}the grader could not run this exercise's suite (${status.problem}).`,
        `${INDENT}This is a problem with the course tools, not your code; npm run grade ${name} -- --verbose shows vitest's output.`,
      ];
    case "failing": {
      const shown = detail.allFailures ? summary.failures : summary.failures.slice(0, 1);
      const lines = [head];
      shown.forEach((failure, index) => {
        if (index > 0 && detail.allFailures) lines.push("");
        const printed = graded.console.filter((c) => c.test === failure.test).map((c) => c.text).join("");
        const consoleLines = consoleBlock("its console output", printed, detail, style).map((l) => INDENT + l);
        lines.push(...[...renderFailure(failure, detail, style), ...consoleLines].map((l) => (l === "" ? "" : "  " + l)));
      });
      const hidden = summary.failures.length - shown.length;
      if (hidden > 0) lines.push(`  … and ${hidden} more failing test${hidden === 1 ? "" : "s"}: npm run grade ${name}`);
      if (detail.allFailures) lines.push("", `${summary.passed} of ${summary.total} tests pass. Stuck? npm run hint ${name}`);
      return lines;
    }
  }
}
