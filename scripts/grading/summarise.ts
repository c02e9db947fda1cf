/**
 * Classifies one exercise's grading run: passed, failing (k of n tests), not started, stopped at
 * the time limit, or unable to load, with every failed test explained (failure_analysis.ts).
 */
import * as path from "node:path";
import { REPOSITORY_ROOT, repoRelative } from "../exercises/exercise_catalog";
import { type LearnerLocation, type TestFailure, analyseFailure, firstFrameUnder, parseErrorText } from "./failure_analysis";
import { type RunProgress, progressKey } from "./progress_events";
import type { VitestJsonReport } from "./vitest_report";

/** The parts of a suite run (suite_runner.ts) that the summary needs. */
export type RunResult =
  | { kind: "completed"; report: VitestJsonReport; progress: RunProgress }
  | { kind: "timed-out"; timeoutMs: number; progress: RunProgress }
  | { kind: "no-report"; problem: string; exitCode: number | null };

/** What the progress table says about an exercise. */
export type ExerciseStatus =
  | { kind: "passed"; total: number }
  | { kind: "failing"; failed: number; total: number }
  /** Every failure is a starter function that still throws NotImplementedError. */
  | { kind: "not-started"; total: number }
  /** The wall-clock limit was reached: usually a loop that never ends. */
  | { kind: "timed-out"; timeoutMs: number; runningTests: string[] }
  /** The suite could not load the exercise file (a syntax error, or code that throws on import). */
  | { kind: "load-error"; message: string; location: LearnerLocation | null }
  /** The suite ran no test at all. */
  | { kind: "no-tests" }
  /** The grading run itself broke: not the learner's fault. */
  | { kind: "grader-error"; problem: string }
  /** exercises/<name>.ts does not exist. */
  | { kind: "missing-file"; file: string }
  /** grading/<name>.test.ts does not exist yet. */
  | { kind: "no-suite" };

/** One exercise's grading run, classified and explained. */
export interface ExerciseSummary {
  status: ExerciseStatus;
  /** Failed tests, in suite order. */
  failures: TestFailure[];
  passed: number;
  /** Tests that ran (passed or failed; skipped tests are not counted). */
  total: number;
}

/** What summariseRun needs to know besides the run. */
export interface SummaryContext {
  /** The folder graded (absolute): frames under it are the learner's code. */
  exerciseDir: string;
  /**
   * Whether the exercise file is still byte-for-byte the generated starter. When it is, the
   * exercise is "not started" even if the suite has tests that the starter happens to pass.
   */
  starterUnchanged?: boolean | undefined;
}

/** Classifies a run and explains its failures. */
export function summariseRun(run: RunResult, context: SummaryContext): ExerciseSummary {
  if (run.kind === "timed-out") {
    return {
      status: { kind: "timed-out", timeoutMs: run.timeoutMs, runningTests: run.progress.unfinished },
      failures: [],
      passed: 0,
      total: 0,
    };
  }
  if (run.kind === "no-report") {
    return { status: { kind: "grader-error", problem: run.problem }, failures: [], passed: 0, total: 0 };
  }

  const failures: TestFailure[] = [];
  let passed = 0;
  for (const file of run.report.testResults) {
    for (const result of file.assertionResults) {
      if (result.status === "passed") passed += 1;
      if (result.status !== "failed") continue;
      const key = progressKey(result.ancestorTitles, result.title);
      const text = result.failureMessages?.[0] ?? "the test failed without an error message";
      failures.push(analyseFailure(key, text, run.progress.errors.get(key)?.[0], context.exerciseDir));
    }
  }
  const total = passed + failures.length;

  // A file-level error with no failed test means the suite never got to run its tests.
  const broken = run.report.testResults.find((f) => f.status === "failed" && f.message.trim() !== "");
  if (broken !== undefined && failures.length === 0) {
    const detailed = run.progress.moduleErrors[0];
    const text = detailed?.stack ?? detailed?.message ?? broken.message;
    return { status: loadError(text, context.exerciseDir), failures, passed, total };
  }
  if (total === 0) return { status: { kind: "no-tests" }, failures, passed, total };
  if (failures.length === 0) return { status: { kind: "passed", total }, failures, passed, total };

  const onlyUnimplemented = failures.every((f) => f.kind === "not-implemented");
  if (context.starterUnchanged === true || (onlyUnimplemented && passed === 0)) {
    return { status: { kind: "not-started", total }, failures, passed, total };
  }
  return { status: { kind: "failing", failed: failures.length, total }, failures, passed, total };
}

/** A parser's "path/file.ts:line:column" in its error message (absolute or repository-relative). */
const POSITION = /([^\s:()'"\[\]]+\.ts):(\d+)(?::\d+)?/;
// Parse errors arrive with colour codes even when colour is off.
const ANSI = /\u001b\[[0-9;]*m/g;

function loadError(errorText: string, exerciseDir: string): ExerciseStatus {
  const parsed = parseErrorText(errorText.replace(ANSI, ""));
  let location: LearnerLocation | null = null;
  const frame = firstFrameUnder(parsed.frames, exerciseDir);
  if (frame) {
    location = { file: repoRelative(frame.file), line: frame.line };
  } else {
    const match = POSITION.exec(parsed.message);
    const file = match ? path.resolve(REPOSITORY_ROOT, match[1]!) : null;
    if (match && file !== null && firstFrameUnder([{ functionName: null, file, line: 0, column: 0 }], exerciseDir)) {
      location = { file: repoRelative(file), line: Number(match[2]) };
    }
  }
  const message = (parsed.type ? `${parsed.type}: ` : "") + parsed.message;
  return { kind: "load-error", message: message.trimEnd(), location };
}

/** The status as the progress table shows it. */
export function statusLabel(status: ExerciseStatus): string {
  switch (status.kind) {
    case "passed":
      return "passed";
    case "failing":
      return `failing (${status.failed} of ${status.total} tests)`;
    case "not-started":
      return "not started";
    case "timed-out":
      return `stopped after ${Math.round(status.timeoutMs / 1000)} s`;
    case "load-error":
      return "does not load";
    case "no-tests":
      return "no tests ran";
    case "grader-error":
      return "could not be graded";
    case "missing-file":
      return "file missing";
    case "no-suite":
      return "no grading suite yet";
  }
}
