/**
 * The lines the grading progress files hold (one JSON object per line), and how to read them
 * back. progress_setup.ts writes "start" and "end" lines from inside the test worker;
 * progress_reporter.ts writes "result", "module-errors" and "console" lines from the main
 * vitest process.
 */

/** An error that caused a test's error, as vitest serialised it. */
export interface ErrorCause {
  name: string | null;
  message: string;
  stack: string | null;
}

/** What the JSON report leaves out about one error of a failed test. */
export interface ErrorDetails {
  /** vitest's expected/received diff, when the error has one. */
  diff: string | null;
  /**
   * The error's `cause` chain, outermost first (empty when it has none). fast-check, for one,
   * wraps the error a property threw in a "Property failed" error whose stack says nothing of it.
   */
  causes: ErrorCause[];
}

/** A line of the progress file. */
export type ProgressEvent =
  | { event: "start"; test: string }
  | { event: "end"; test: string }
  | { event: "result"; test: string; state: string; errors: ErrorDetails[]; id?: string }
  /** Errors of a test file itself, such as an exercise that throws while being imported. */
  | { event: "module-errors"; errors: ErrorCause[] }
  /**
   * What the tests (usually the learner's own console.log calls) printed; `testId` is vitest's id
   * of the test that printed it (a "result" line maps it to the test's name), null outside tests.
   */
  | { event: "console"; stream: "stdout" | "stderr"; text: string; testId: string | null };

/** A stretch of what the tests printed, with the test that printed it. */
export interface ConsoleChunk {
  /** The test's name (describe titles and title joined by " > "); null outside any test. */
  test: string | null;
  text: string;
}

/** What the progress file tells about a run. */
export interface RunProgress {
  /** Tests that started but reported no result: when a run is killed, the one that hung. */
  unfinished: string[];
  /** Details of each failed test's errors, by test name (describe titles and title joined by " > "). */
  errors: Map<string, ErrorDetails[]>;
  /** Errors of the test file itself (with their stacks, which the JSON report leaves out). */
  moduleErrors: ErrorCause[];
  /** What the tests printed with console.log/console.error, in order. */
  console: ConsoleChunk[];
}

/** The key progress files use for a test: its describe titles and its title, joined by " > ". */
export function progressKey(ancestorTitles: string[], title: string): string {
  return [...ancestorTitles, title].join(" > ");
}

/** Reads a progress file's text, skipping a torn last line (the run may have been killed mid-write). */
export function readProgress(text: string): RunProgress {
  const started: string[] = [];
  const finished = new Set<string>();
  const errors = new Map<string, ErrorDetails[]>();
  const moduleErrors: ErrorCause[] = [];
  const printed: Array<{ testId: string | null; text: string }> = [];
  const testNames = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    let event: ProgressEvent;
    try {
      event = JSON.parse(line) as ProgressEvent;
    } catch {
      continue;
    }
    if (event.event === "start") {
      started.push(event.test);
    } else if (event.event === "end") {
      finished.add(event.test);
    } else if (event.event === "module-errors") {
      moduleErrors.push(...event.errors);
    } else if (event.event === "console") {
      printed.push({ testId: event.testId, text: event.text });
    } else {
      finished.add(event.test);
      if (event.id !== undefined) testNames.set(event.id, event.test);
      if (event.errors.length > 0) errors.set(event.test, event.errors);
    }
  }
  // A test's id is only named by its result line, which comes after what it printed.
  const console = printed.map(({ testId, text }) => ({ test: (testId === null ? null : testNames.get(testId)) ?? null, text }));
  return { unfinished: started.filter((t) => !finished.has(t)), errors, moduleErrors, console };
}
