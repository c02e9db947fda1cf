/**
 * Builds starter files from marked solutions and keeps exercises/ in step with them, without
 * ever overwriting a learner's edits unless asked to.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { type ExerciseFolders, DEFAULT_FOLDERS, exerciseFile, repoRelative, solutionFile } from "./exercise_catalog";
import { MarkerError, parseMarkedSource } from "./markers";
import { exportedNames, relocateRelativeImports } from "./module_syntax";

/** The starter built from one solution, or the problems that prevented it. */
export interface StarterBuild {
  name: string;
  solutionPath: string;
  /** The starter text for exercises/<name>.ts; undefined when the markers are broken. */
  content: string | undefined;
  /** Everything wrong with the solution's markers or the starter's exports, ready to print. */
  problems: string[];
}

/**
 * Reads solutions/<name>.ts and builds the starter for exercises/<name>.ts (relative imports
 * rewritten to resolve from there), checking that both export the same names.
 */
export function buildStarter(name: string, folders: ExerciseFolders = DEFAULT_FOLDERS): StarterBuild {
  const solutionPath = solutionFile(name, folders);
  const shown = repoRelative(solutionPath);
  const source = fs.readFileSync(solutionPath, "utf8");
  let content: string;
  try {
    // The solution's relative imports point from its own folder; the starter lives in exercises/.
    content = relocateRelativeImports(parseMarkedSource(source, shown).starter, folders.solutionsDir, folders.exercisesDir);
  } catch (err) {
    if (err instanceof MarkerError) return { name, solutionPath, content: undefined, problems: [err.message] };
    throw err;
  }
  const problems: string[] = [];
  const inSolution = exportedNames(source, solutionPath);
  const inStarter = exportedNames(content, solutionPath);
  const onlySolution = inSolution.filter((n) => !inStarter.includes(n));
  const onlyStarter = inStarter.filter((n) => !inSolution.includes(n));
  if (onlySolution.length > 0) {
    problems.push(
      `${shown}: exported only by the solution, not by the generated starter: ${onlySolution.join(", ")} ` +
        `(move the export out of the @solution region, or give the starter a stub with // @starter)`,
    );
  }
  if (onlyStarter.length > 0) {
    problems.push(`${shown}: exported only by the generated starter, not by the solution: ${onlyStarter.join(", ")}`);
  }
  return { name, solutionPath, content, problems };
}

/** How an existing exercises/<name>.ts compares with a freshly generated starter. */
export type StarterFileState = "missing" | "current" | "differs";

/** Whether `target` is missing, identical to the generated starter `content`, or different (perhaps a learner's work). */
export function starterFileState(target: string, content: string): StarterFileState {
  if (!fs.existsSync(target)) return "missing";
  return fs.readFileSync(target, "utf8") === content ? "current" : "differs";
}

/** The outcome of generating starters into exercises/. */
export interface GenerateResult {
  /** Files created or overwritten. */
  written: string[];
  /** Files already identical to the generated starter. */
  unchanged: string[];
  /** Files left alone because they differ from the generated starter (a learner may have edited them). */
  refused: string[];
  /** Marker or export problems; nothing is written for those exercises. */
  problems: string[];
}

/**
 * Writes exercises/<name>.ts for each named exercise. An existing file that differs from the
 * generated starter is left alone unless `force` is set: it may hold a learner's work.
 */
export function generateStarters(
  names: string[],
  options: { force: boolean; folders?: ExerciseFolders },
): GenerateResult {
  const folders = options.folders ?? DEFAULT_FOLDERS;
  const result: GenerateResult = { written: [], unchanged: [], refused: [], problems: [] };
  for (const name of names) {
    const build = buildStarter(name, folders);
    if (build.content === undefined || build.problems.length > 0) {
      result.problems.push(...build.problems);
      continue;
    }
    const target = exerciseFile(name, folders);
    const state = starterFileState(target, build.content);
    if (state === "current") {
      result.unchanged.push(target);
    } else if (state === "differs" && !options.force) {
      result.refused.push(target);
    } else {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, build.content);
      result.written.push(target);
    }
  }
  return result;
}

/**
 * Writes fresh starters for the named exercises into `targetDir` (replacing whatever is there),
 * with relative imports rewritten so they resolve from that folder. Returns name → file path.
 * Throws when a solution's markers are broken: callers run the marker check first.
 */
export function writeStartersTo(
  names: string[],
  targetDir: string,
  folders: ExerciseFolders = DEFAULT_FOLDERS,
): Map<string, string> {
  fs.mkdirSync(targetDir, { recursive: true });
  const files = new Map<string, string>();
  for (const name of names) {
    const build = buildStarter(name, folders);
    if (build.content === undefined) throw new Error(build.problems.join("\n"));
    const target = path.join(targetDir, `${name}.ts`);
    fs.writeFileSync(target, relocateRelativeImports(build.content, folders.exercisesDir, targetDir));
    files.set(name, target);
  }
  return files;
}
