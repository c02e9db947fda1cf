/**
 * The lines the grading progress files hold (one JSON object per line), and how to read them
 * back. progress_setup.ts writes "start" and "end" lines from inside the test worker;
 * progress_reporter.ts writes "result" and "module-errors" lines from the main vitest process.
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
  | { event: "result"; test: string; state: string; errors: ErrorDetails[] }
  /** Errors of a test file itself, such as an exercise that throws while being imported. */
  | { event: "module-errors"; errors: ErrorCause[] };

/** What the progress file tells about a run. */
export interface RunProgress {
  /** Tests that started but reported no result: when a run is killed, the one that hung. */
  unfinished: string[];
  /** Details of each failed test's errors, by test name (describe titles and title joined by " > "). */
  errors: Map<string, ErrorDetails[]>;
  /** Errors of the test file itself (with their stacks, which the JSON report leaves out). */
  moduleErrors: ErrorCause[];
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
    } else {
      finished.add(event.test);
      if (event.errors.length > 0) errors.set(event.test, event.errors);
    }
  }
  return { unfinished: started.filter((t) => !finished.has(t)), errors, moduleErrors };
}
