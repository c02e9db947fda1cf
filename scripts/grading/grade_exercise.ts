/**
 * Grades one exercise: finds its suite and the learner's file, runs the suite against the
 * learner's folder with a hard time limit, and summarises the result.
 */
import * as fs from "node:fs";
import {
  DEFAULT_FOLDERS,
  type ExerciseFolders,
  GRADING_DIR,
  exerciseFile,
  listExerciseNames,
  repoRelative,
  suiteFile,
} from "../exercises/exercise_catalog";
import { buildStarter } from "../exercises/starter_files";
import { type ExerciseEntry, loadRegistry } from "./exercise_registry";
import type { ConsoleChunk } from "./progress_events";
import { type SuiteRunOutcome, runSuite } from "./suite_runner";
import { type ExerciseSummary, summariseRun } from "./summarise";
import { unwrittenFunctions } from "./unwritten_functions";

/** How to grade one exercise: the time limit, a seed to replay, and where the files are. */
export interface GradeOptions {
  /** Wall-clock limit for the exercise's suite, in ms. */
  timeoutMs: number;
  /** Replay only this seed in randomised scenarios. */
  seed?: string | undefined;
  /** Where the learner's files and the solutions live (tests use other folders). */
  folders?: ExerciseFolders;
  /** Where the suites live (tests use a fixture folder). */
  gradingDir?: string;
  /** Suite file for an exercise; defaults to <gradingDir>/<name>.test.ts. */
  suiteFor?: (name: string) => string;
}

/** One exercise's grading: its registry entry, the summary, and what the run printed. */
export interface GradedExercise {
  entry: ExerciseEntry;
  summary: ExerciseSummary;
  /** vitest's own output, for --verbose when the grader itself failed; never shown otherwise. */
  rawOutput: string;
  /** What the tests printed (the learner's console.log calls), in order. */
  console: ConsoleChunk[];
  /**
   * Functions whose `throw notImplemented("name")` is still in the learner's file, in file order.
   * The tests reach only the first unwritten function of each scenario, so their failures alone
   * would list fewer functions than are left to write.
   */
  unwritten?: string[];
}

/**
 * The exercises to grade, in the order learners see them: the registry's entries first (sorted
 * by chapter), then any exercise the registry does not list yet.
 */
export function listGradedExercises(solutionsDir: string = DEFAULT_FOLDERS.solutionsDir): ExerciseEntry[] {
  const registry = loadRegistry();
  const names = new Set([...registry.map((e) => e.name), ...listExerciseNames(solutionsDir)]);
  const entries = [...names].map(
    (name) => registry.find((e) => e.name === name) ?? { name, chapter: "?", title: "" },
  );
  return entries.sort((a, b) => a.chapter.localeCompare(b.chapter));
}

/** Whether the learner's file is still exactly the generated starter (undefined if unknown). */
function isUntouchedStarter(name: string, folders: ExerciseFolders): boolean | undefined {
  try {
    const content = buildStarter(name, folders).content;
    if (content === undefined) return undefined;
    return fs.readFileSync(exerciseFile(name, folders), "utf8") === content;
  } catch {
    return undefined;
  }
}

/** Runs the exercise's suite against the learner's file (unless one of them is missing) and summarises it. */
export async function gradeExercise(entry: ExerciseEntry, options: GradeOptions): Promise<GradedExercise> {
  const folders = options.folders ?? DEFAULT_FOLDERS;
  const suite = options.suiteFor ? options.suiteFor(entry.name) : suiteFile(entry.name, options.gradingDir ?? GRADING_DIR);
  const learnerFile = exerciseFile(entry.name, folders);
  const empty = { failures: [], passed: 0, total: 0 };
  if (!fs.existsSync(suite)) {
    return { entry, summary: { status: { kind: "no-suite" }, ...empty }, rawOutput: "", console: [] };
  }
  if (!fs.existsSync(learnerFile)) {
    return {
      entry,
      summary: { status: { kind: "missing-file", file: repoRelative(learnerFile) }, ...empty },
      rawOutput: "",
      console: [],
    };
  }
  const outcome: SuiteRunOutcome = await runSuite({
    suiteFile: suite,
    exerciseDir: folders.exercisesDir,
    timeoutMs: options.timeoutMs,
    seed: options.seed,
  });
  const summary = summariseRun(outcome, {
    exerciseDir: folders.exercisesDir,
    starterUnchanged: isUntouchedStarter(entry.name, folders),
  });
  const unwritten = unwrittenFunctions(fs.readFileSync(learnerFile, "utf8"));
  return { entry, summary, rawOutput: outcome.output, console: outcome.progress.console, unwritten };
}
