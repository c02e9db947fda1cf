/**
 * Where exercises live. An exercise is named by its solution file: solutions/<name>.ts is the
 * marked reference solution, exercises/<name>.ts the learner's starter generated from it, and
 * grading/<name>.test.ts the suite that grades either.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** The repository root (the folder holding package.json). */
export const REPOSITORY_ROOT = path.resolve(__dirname, "..", "..");

/** The folders the exercise tooling works with, overridable so tests can use temporary copies. */
export interface ExerciseFolders {
  /** Marked reference solutions: solutions/<name>.ts. */
  solutionsDir: string;
  /** The learner's files: exercises/<name>.ts. */
  exercisesDir: string;
}

/** The repository's own solutions/ and exercises/ folders. */
export const DEFAULT_FOLDERS: ExerciseFolders = {
  solutionsDir: path.join(REPOSITORY_ROOT, "solutions"),
  exercisesDir: path.join(REPOSITORY_ROOT, "exercises"),
};

/** Folder of the grading suites: grading/<name>.test.ts. */
export const GRADING_DIR = path.join(REPOSITORY_ROOT, "grading");

/** Exercise names: the basenames of the .ts files in the solutions folder, sorted. */
export function listExerciseNames(solutionsDir: string = DEFAULT_FOLDERS.solutionsDir): string[] {
  if (!fs.existsSync(solutionsDir)) return [];
  return fs
    .readdirSync(solutionsDir)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
    .map((f) => f.slice(0, -".ts".length))
    .sort();
}

/** The marked reference solution of an exercise: solutions/<name>.ts. */
export function solutionFile(name: string, folders: ExerciseFolders = DEFAULT_FOLDERS): string {
  return path.join(folders.solutionsDir, `${name}.ts`);
}

/** The learner's file of an exercise: exercises/<name>.ts. */
export function exerciseFile(name: string, folders: ExerciseFolders = DEFAULT_FOLDERS): string {
  return path.join(folders.exercisesDir, `${name}.ts`);
}

/** The grading suite of an exercise. */
export function suiteFile(name: string, gradingDir: string = GRADING_DIR): string {
  return path.join(gradingDir, `${name}.test.ts`);
}

/** Exercise names that have a suite in the grading folder, sorted. */
export function listSuiteNames(gradingDir: string = GRADING_DIR): string[] {
  if (!fs.existsSync(gradingDir)) return [];
  return fs
    .readdirSync(gradingDir)
    .filter((f) => f.endsWith(".test.ts"))
    .map((f) => f.slice(0, -".test.ts".length))
    .sort();
}

/** A path as a maintainer or learner should read it: relative to the repository when inside it. */
export function repoRelative(p: string): string {
  const rel = path.relative(REPOSITORY_ROOT, p);
  return rel.startsWith("..") || path.isAbsolute(rel) ? p : rel.split(path.sep).join("/");
}
