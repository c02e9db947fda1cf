/**
 * Committed notebook outputs show what a learner sees before doing the exercises ("not
 * implemented yet"). So that checking and updating them gives the same result however far the
 * person running the check has got in exercises/, kernels started by the check and the update
 * load freshly generated starter files instead (lib/exercise_support/load_exercise.ts reads
 * COURSE_EXERCISES_DIR).
 */
import * as path from "node:path";
import { listExerciseNames, REPOSITORY_ROOT } from "../exercises/exercise_catalog";
import { writeStartersTo } from "../exercises/starter_files";

/** Where the check and the update write the starters their kernels load (gitignored). */
export const NOTEBOOK_STARTERS_DIR = path.join(REPOSITORY_ROOT, ".grade", "notebook-starters");

/** Writes the starters and points every kernel started from this process at them. */
export function useStarterExercisesInKernels(): void {
  writeStartersTo(listExerciseNames(), NOTEBOOK_STARTERS_DIR);
  process.env.COURSE_EXERCISES_DIR = NOTEBOOK_STARTERS_DIR;
}
