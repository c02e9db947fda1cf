/**
 * A vitest reporter that the grader adds next to the JSON reporter. It appends one line per
 * finished test to the file named by GRADING_PROGRESS_FILE, with what the JSON report leaves out
 * of each error: the expected/received diff and the `cause` chain. (Test starts are written by
 * progress_setup.ts, from inside the worker, so that they survive a test that never returns.)
 */
import * as fs from "node:fs";
import type { ErrorCause, ErrorDetails, ProgressEvent } from "./progress_events";

/** The part of a serialised vitest error this reporter reads. */
interface SerializedErrorView {
  name?: unknown;
  message?: unknown;
  stack?: unknown;
  diff?: unknown;
  cause?: unknown;
}

/**
 * The part of vitest's TestCase this reporter reads. Declared here because vitest's types are
 * ESM-only and this project type-checks as CommonJS.
 */
interface TestCaseView {
  fullName: string;
  result(): { state: string; errors?: ReadonlyArray<SerializedErrorView> };
}

/** The part of vitest's TestModule this reporter reads. */
interface TestModuleView {
  errors(): ReadonlyArray<SerializedErrorView>;
}

/** Longest cause chain recorded: a cycle or a pathological chain must not hang the reporter. */
const MAX_CAUSES = 5;

function describeError(error: SerializedErrorView): ErrorCause {
  return {
    name: typeof error.name === "string" ? error.name : null,
    message: typeof error.message === "string" ? error.message : String(error.message),
    stack: typeof error.stack === "string" ? error.stack : null,
  };
}

function causeChain(error: SerializedErrorView): ErrorCause[] {
  const causes: ErrorCause[] = [];
  let cause = error.cause as SerializedErrorView | undefined;
  while (cause !== null && typeof cause === "object" && causes.length < MAX_CAUSES) {
    causes.push(describeError(cause));
    cause = cause.cause as SerializedErrorView | undefined;
  }
  return causes;
}

function details(error: SerializedErrorView): ErrorDetails {
  return { diff: typeof error.diff === "string" ? error.diff : null, causes: causeChain(error) };
}

export default class GradingProgressReporter {
  private readonly file = process.env.GRADING_PROGRESS_FILE;

  private write(event: ProgressEvent): void {
    if (this.file) fs.appendFileSync(this.file, JSON.stringify(event) + "\n");
  }

  onTestModuleEnd(testModule: TestModuleView): void {
    const errors = testModule.errors();
    if (errors.length > 0) this.write({ event: "module-errors", errors: errors.map(describeError) });
  }

  onTestCaseResult(testCase: TestCaseView): void {
    const result = testCase.result();
    this.write({ event: "result", test: testCase.fullName, state: result.state, errors: (result.errors ?? []).map(details) });
  }
}
