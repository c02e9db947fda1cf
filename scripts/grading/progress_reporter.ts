/**
 * A vitest reporter that the grader adds next to the JSON reporter. It appends one line per
 * finished test to the file named by GRADING_PROGRESS_FILE, with what the JSON report leaves out
 * of each error: the expected/received diff and the `cause` chain. It also records what the
 * tests print (the learner's console.log calls), which the JSON report drops entirely. (Test
 * starts are written by progress_setup.ts, from inside the worker, so that they survive a test
 * that never returns.)
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
  id: string;
  fullName: string;
  result(): { state: string; errors?: ReadonlyArray<SerializedErrorView> };
}

/** The part of vitest's TestModule this reporter reads. */
interface TestModuleView {
  errors(): ReadonlyArray<SerializedErrorView>;
}

/** Longest cause chain recorded: a cycle or a pathological chain must not hang the reporter. */
const MAX_CAUSES = 5;

/** Console output recorded per run: a console.log in a loop over 100 scenarios can print a lot. */
export const MAX_CONSOLE_CHARS = 200_000;

/** The part of vitest's UserConsoleLog this reporter reads. */
interface ConsoleLogView {
  content: string;
  type: "stdout" | "stderr";
  taskId?: string;
}

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

/** The reporter itself; vitest loads it by path (see suite_runner.ts). */
export default class GradingProgressReporter {
  private readonly file = process.env.GRADING_PROGRESS_FILE;
  private consoleChars = 0;

  private write(event: ProgressEvent): void {
    if (this.file) fs.appendFileSync(this.file, JSON.stringify(event) + "\n");
  }

  onTestModuleEnd(testModule: TestModuleView): void {
    const errors = testModule.errors();
    if (errors.length > 0) this.write({ event: "module-errors", errors: errors.map(describeError) });
  }

  onUserConsoleLog(log: ConsoleLogView): void {
    if (this.consoleChars > MAX_CONSOLE_CHARS) return;
    let text = log.content;
    if (this.consoleChars + text.length > MAX_CONSOLE_CHARS) {
      text = text.slice(0, MAX_CONSOLE_CHARS - this.consoleChars) + "\n… (the rest of the console output was cut)\n";
    }
    this.consoleChars += text.length;
    this.write({ event: "console", stream: log.type, text, testId: log.taskId ?? null });
  }

  onTestCaseResult(testCase: TestCaseView): void {
    const result = testCase.result();
    this.write({
      event: "result",
      test: testCase.fullName,
      id: testCase.id,
      state: result.state,
      errors: (result.errors ?? []).map(details),
    });
  }
}
