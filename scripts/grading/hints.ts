/**
 * Progressive hints: grading/hints/<name>.md holds sections `## Hint 1`, `## Hint 2`, ... (an
 * optional title may follow, as in `## Hint 2: lease arithmetic`), and .grade/hints.json
 * remembers how many of each exercise's hints the learner has seen.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { GRADING_DIR, REPOSITORY_ROOT } from "../exercises/exercise_catalog";

/** Folder of the hints files: grading/hints/<name>.md. */
export const HINTS_DIR = path.join(GRADING_DIR, "hints");
/** Gitignored, like everything under .grade/: it is the learner's own progress. */
export const HINT_PROGRESS_FILE = path.join(REPOSITORY_ROOT, ".grade", "hints.json");

/** One hint: its number, optional title, and markdown body. */
export interface Hint {
  number: number;
  title: string | null;
  body: string;
}

/** A hints file that does not follow the `## Hint N` layout. */
export class HintFormatError extends Error {
  override readonly name = "HintFormatError";
}

const HEADING = /^##\s+Hint\s+(\d+)\s*(?:[:.\u2014-]\s*(.*?))?\s*$/;

/** Splits a hints file into its hints, checking they are numbered 1, 2, 3... in order. */
export function parseHints(markdown: string, file: string): Hint[] {
  const hints: Hint[] = [];
  let body: string[] | null = null;
  markdown.split(/\r?\n/).forEach((line, index) => {
    const heading = HEADING.exec(line);
    if (heading) {
      const expected = hints.length + 1;
      if (Number(heading[1]) !== expected) {
        throw new HintFormatError(`${file}:${index + 1}: expected "## Hint ${expected}", found "${line.trim()}"`);
      }
      body = [];
      hints.push({ number: expected, title: heading[2] ? heading[2] : null, body: "" });
      return;
    }
    if (/^##\s/.test(line) && body !== null) {
      throw new HintFormatError(`${file}:${index + 1}: only "## Hint N" headings may follow the first hint, found "${line.trim()}"`);
    }
    if (body !== null) {
      body.push(line);
      hints[hints.length - 1]!.body = body.join("\n").trim();
    }
  });
  if (hints.length === 0) throw new HintFormatError(`${file}: no "## Hint 1" section`);
  const empty = hints.find((h) => h.body === "");
  if (empty) throw new HintFormatError(`${file}: Hint ${empty.number} is empty`);
  return hints;
}

/** The hints file of an exercise. */
export function hintsFile(name: string, hintsDir: string = HINTS_DIR): string {
  return path.join(hintsDir, `${name}.md`);
}

/** The hints of an exercise, or null when it has none yet. */
export function loadHints(name: string, hintsDir: string = HINTS_DIR): Hint[] | null {
  const file = hintsFile(name, hintsDir);
  if (!fs.existsSync(file)) return null;
  return parseHints(fs.readFileSync(file, "utf8"), path.relative(REPOSITORY_ROOT, file));
}

/** How many hints of each exercise the learner has seen. */
export type HintProgress = Record<string, number>;

/** Reads the progress file; a missing or damaged file means no hint seen yet. */
export function loadHintProgress(file: string = HINT_PROGRESS_FILE): HintProgress {
  try {
    const value = JSON.parse(fs.readFileSync(file, "utf8")) as unknown;
    if (value === null || typeof value !== "object" || Array.isArray(value)) return {};
    const progress: HintProgress = {};
    for (const [name, seen] of Object.entries(value)) {
      if (typeof seen === "number" && Number.isInteger(seen) && seen >= 0) progress[name] = seen;
    }
    return progress;
  } catch {
    return {};
  }
}

/** Writes how many hints of each exercise the learner has seen. */
export function saveHintProgress(progress: HintProgress, file: string = HINT_PROGRESS_FILE): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(progress, null, 2) + "\n");
}

/** The next hint for a learner who has seen `seen` hints; null when every hint has been seen. */
export function nextHint(hints: Hint[], seen: number): Hint | null {
  return seen < hints.length ? hints[seen]! : null;
}
