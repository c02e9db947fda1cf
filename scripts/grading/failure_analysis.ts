/**
 * Turns a failed test's raw error text (a stack trace, as vitest records it) into what a learner
 * needs: what went wrong in plain words, whether their own code threw and on which line of their
 * file, and how to replay a failing seed. The raw stack is never shown: its frames belong to the
 * grader, vitest and node.
 */
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { repoRelative } from "../exercises/exercise_catalog";
import type { ErrorCause, ErrorDetails } from "./progress_events";

/** One `at ...` line of a V8 stack trace. */
export interface StackFrame {
  /** The function, when the frame names one. */
  functionName: string | null;
  /** Absolute file path (file:// URLs and query strings removed). */
  file: string;
  line: number;
  column: number;
}

/** An error split into its type, its message and its stack frames. */
export interface ParsedError {
  /** The error's name ("TypeError", "AssertionError"...), when the text starts with one. */
  type: string | null;
  /** The message, which may span several lines (a seed, a replay command, a timeline). */
  message: string;
  frames: StackFrame[];
}

const FRAME = /^\s*at (?:(.*?) \()?(.+?):(\d+):(\d+)\)?\s*$/;
const FRAME_START = /^\s*at /;
/** "TypeError: ...", "AssertionError: ...", "NotImplementedError: ...", "Error: ...". */
const TYPE_PREFIX = /^([A-Za-z_$][\w$]*(?:Error|Exception)|Error): ?/;

/** Parses one stack-trace line; null for lines that are not frames or have no file position. */
export function parseStackFrame(text: string): StackFrame | null {
  const match = FRAME.exec(text);
  if (!match) return null;
  let file = match[2]!;
  if (file.startsWith("file://")) {
    try {
      file = fileURLToPath(file);
    } catch {
      return null;
    }
  }
  file = file.replace(/\?.*$/, "");
  if (!path.isAbsolute(file)) return null;
  return { functionName: match[1] ?? null, file, line: Number(match[3]), column: Number(match[4]) };
}

/** Splits an error's text (its stack, or just its message) into type, message and frames. */
export function parseErrorText(text: string): ParsedError {
  const lines = text.split(/\r?\n/);
  const firstFrame = lines.findIndex((l) => FRAME_START.test(l));
  const head = (firstFrame === -1 ? lines : lines.slice(0, firstFrame)).join("\n");
  const frames = (firstFrame === -1 ? [] : lines.slice(firstFrame))
    .map(parseStackFrame)
    .filter((f): f is StackFrame => f !== null);
  const typed = TYPE_PREFIX.exec(head);
  return {
    type: typed ? typed[1]! : null,
    message: (typed ? head.slice(typed[0].length) : head).trim(),
    frames,
  };
}

function isInside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel);
}

/** The first (innermost) frame in a file under `dir`: where the learner's code was when it threw. */
export function firstFrameUnder(frames: StackFrame[], dir: string): StackFrame | null {
  return frames.find((f) => isInside(f.file, dir)) ?? null;
}

/** Lines of a message that tell how to reproduce a randomised failure ("seed 12 failed", "replay: ..."). */
export function replayLines(message: string): string[] {
  return message
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => /^seed \S+ failed\b/i.test(l) || /^replay:/i.test(l));
}

/** Where in the learner's file something happened. */
export interface LearnerLocation {
  /** Repository-relative path, e.g. exercises/failover_coordinator.ts. */
  file: string;
  line: number;
}

/** A failure of one test, explained. */
export interface TestFailure {
  /** Describe titles and test title, joined by " > ". */
  test: string;
  /**
   * - not-implemented: a starter function still throws NotImplementedError;
   * - learner-error: the learner's code threw (TypeError, RangeError, a lib error it caused...);
   * - assertion: the code returned, but not what the test expected.
   */
  kind: "not-implemented" | "learner-error" | "assertion";
  /** The test's message in plain words (no stack frames, without vitest's jargon). */
  message: string;
  /** For not-implemented: the function still to write. */
  functionName: string | null;
  /** For learner-error: the error the learner's code threw. */
  thrown: { type: string; message: string } | null;
  /** For learner-error and not-implemented: the innermost line of the learner's file on the stack. */
  location: LearnerLocation | null;
  /** "seed N failed" and "replay: ..." lines found in the messages. */
  replay: string[];
  /** vitest's expected/received diff, when there is one. */
  diff: string | null;
}

/**
 * fast-check's own seed and shrink path: they replay the property inside fast-check, not through
 * the grader, and a learner would take the seed for one to pass to `--seed`.
 */
const FAST_CHECK_REPLAY = /^\{ seed: -?\d+, path: "[^"]*"(?:, endOnFailure: true)? \}$/;

/** Lines vitest or fast-check add that mean nothing to a learner, and fast-check's words for the rest. */
function plainMessage(message: string): string {
  return message
    .split(/\r?\n/)
    .filter((l) => !/^Hint: Enable verbose mode/.test(l.trim()))
    .filter((l) => !FAST_CHECK_REPLAY.test(l.trim()) && !/^Shrunk \d+ times?(?:\(s\))?$/.test(l.trim()))
    .map((l) =>
      l
        .replace(/^Property failed after \d+ tests?$/, "failed on a randomly generated input")
        .replace(/^Counterexample: /, "smallest failing input: "),
    )
    .join("\n")
    .replace(/ \/\/ Object\.is equality/g, "")
    .trim();
}

function parseCause(cause: ErrorCause): ParsedError {
  const parsed = parseErrorText(cause.stack ?? cause.message);
  return {
    type: cause.name ?? parsed.type,
    message: cause.message !== "" ? cause.message : parsed.message,
    frames: parsed.frames,
  };
}

const NOT_IMPLEMENTED = /not implemented yet: ([\w$.]+)/;
/** How vitest's module runner words a call to an import the module does not have. */
const MISSING_EXPORT = /^\(0 ?, ?__vite?_(?:ssr_)?import_\d+__\.([\w$]+)\) is not a function/;

/**
 * Explains one failed test from its first error's text (from the JSON report) and, when the
 * progress reporter recorded them, that error's diff and cause chain.
 */
export function analyseFailure(
  test: string,
  errorText: string,
  details: ErrorDetails | undefined,
  exerciseDir: string,
): TestFailure {
  const top = parseErrorText(errorText);
  const causes = (details?.causes ?? []).map(parseCause);
  const chain = [top, ...causes];
  const replay = [...new Set(chain.flatMap((e) => replayLines(e.message)))];
  const diff = details?.diff ?? null;
  const locate = (e: ParsedError): LearnerLocation | null => {
    const frame = firstFrameUnder(e.frames, exerciseDir);
    return frame ? { file: repoRelative(frame.file), line: frame.line } : null;
  };

  const unfinished = chain.find((e) => e.type === "NotImplementedError");
  if (unfinished !== undefined) {
    return {
      test,
      kind: "not-implemented",
      message: plainMessage(unfinished.message),
      functionName: NOT_IMPLEMENTED.exec(unfinished.message)?.[1] ?? null,
      thrown: null,
      location: locate(unfinished),
      replay,
      diff: null,
    };
  }

  // An error that passed through the learner's file and is not a failed expectation was thrown
  // by (or because of) the learner's code.
  const thrown = chain.find((e) => e.type !== "AssertionError" && locate(e) !== null);
  let message = plainMessage(top.message);
  const assertionCause = causes.find((c) => c.type === "AssertionError");
  if (assertionCause !== undefined && !message.includes(assertionCause.message)) {
    message += `\nbecause: ${plainMessage(assertionCause.message)}`;
  }
  if (thrown !== undefined) {
    return {
      test,
      kind: "learner-error",
      message: thrown === top ? "" : message,
      functionName: null,
      thrown: { type: thrown.type ?? "Error", message: plainMessage(thrown.message) },
      location: locate(thrown),
      replay,
      diff,
    };
  }
  const missing = MISSING_EXPORT.exec(top.message);
  if (missing) {
    message =
      `the test calls ${missing[1]}(), but your file does not export a function by that name ` +
      `(was it renamed or removed?)`;
  } else if (top.type !== null && top.type !== "AssertionError" && top.type !== "Error") {
    message = `${top.type}: ${message}`;
  }
  return { test, kind: "assertion", message, functionName: null, thrown: null, location: null, replay, diff };
}
