/**
 * grading/exercises.json: the chapter and title of each exercise, for the progress table.
 * It is a list so that its order (by chapter) is the order learners see.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { GRADING_DIR } from "../exercises/exercise_catalog";

/** grading/exercises.json. */
export const REGISTRY_FILE = path.join(GRADING_DIR, "exercises.json");

/** One exercise as the progress table lists it. */
export interface ExerciseEntry {
  /** The exercise name: solutions/<name>.ts, exercises/<name>.ts, grading/<name>.test.ts. */
  name: string;
  /** The chapter that teaches it, as its folder number ("02"). */
  chapter: string;
  /** One line saying what the learner builds. */
  title: string;
}

/** grading/exercises.json is missing or malformed. */
export class RegistryError extends Error {
  override readonly name = "RegistryError";
}

/** Parses the registry's text, checking every entry. */
export function parseRegistry(text: string, file = REGISTRY_FILE): ExerciseEntry[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new RegistryError(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(value)) {
    throw new RegistryError(`${file} must hold a list of { "name", "chapter", "title" } entries`);
  }
  const seen = new Set<string>();
  return value.map((entry: unknown, index) => {
    const e = entry as Partial<Record<keyof ExerciseEntry, unknown>> | null;
    for (const key of ["name", "chapter", "title"] as const) {
      if (e === null || typeof e !== "object" || typeof e[key] !== "string" || e[key] === "") {
        throw new RegistryError(`${file}: entry ${index + 1} needs a non-empty string "${key}"`);
      }
    }
    const checked = e as ExerciseEntry;
    if (seen.has(checked.name)) throw new RegistryError(`${file}: "${checked.name}" is listed twice`);
    seen.add(checked.name);
    return { name: checked.name, chapter: checked.chapter, title: checked.title };
  });
}

/** Reads grading/exercises.json (an empty list when it does not exist yet). */
export function loadRegistry(file = REGISTRY_FILE): ExerciseEntry[] {
  if (!fs.existsSync(file)) return [];
  return parseRegistry(fs.readFileSync(file, "utf8"), file);
}
