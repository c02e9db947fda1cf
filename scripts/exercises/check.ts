/**
 * `npm run exercises:check` (part of `npm test`): fails unless every exercises/<name>.ts is
 * exactly the starter generated from solutions/<name>.ts, every solution has balanced, valid
 * markers, and each starter exports the same names as its solution.
 *
 * Run `npm run exercises:generate` after changing a solution; this check is what tells you to.
 */
import { listExerciseNames, exerciseFile, repoRelative, DEFAULT_FOLDERS } from "./exercise_catalog";
import { buildStarter, starterFileState } from "./starter_files";

/** Every problem found, as lines ready to print; empty when everything is in step. */
export function checkExercises(): string[] {
  const names = listExerciseNames();
  if (names.length === 0) return [`no solutions found in ${repoRelative(DEFAULT_FOLDERS.solutionsDir)}`];
  const problems: string[] = [];
  for (const name of names) {
    const build = buildStarter(name);
    problems.push(...build.problems);
    if (build.content === undefined) continue;
    const target = exerciseFile(name);
    const state = starterFileState(target, build.content);
    if (state === "missing") {
      problems.push(`${repoRelative(target)} is missing: run npm run exercises:generate`);
    } else if (state === "differs") {
      problems.push(
        `${repoRelative(target)} differs from the starter generated from ${repoRelative(build.solutionPath)}. ` +
          `If it holds your own work on the exercise, nothing is wrong: this check is for the course's ` +
          `maintainers, and your work is graded by npm run grade. Maintainers who changed the solution: ` +
          `run npm run exercises:generate (it never overwrites an edited file without -- --force).`,
      );
    }
  }
  const stray = listStrayExerciseFiles(names);
  for (const file of stray) problems.push(`${file} has no solution in solutions/: every exercise needs one`);
  return problems;
}

function listStrayExerciseFiles(names: string[]): string[] {
  // Exercise files without a solution would never be graded or regenerated.
  return listExerciseNames(DEFAULT_FOLDERS.exercisesDir)
    .filter((n) => !names.includes(n))
    .map((n) => repoRelative(exerciseFile(n)));
}

if (require.main === module) {
  try {
    const problems = checkExercises();
    for (const problem of problems) console.error(`error: ${problem}`);
    if (problems.length === 0) console.log(`exercises: ${listExerciseNames().length} starter file(s) match their solutions`);
    process.exitCode = problems.length === 0 ? 0 : 1;
  } catch (err) {
    console.error(`exercises:check failed: ${(err as Error).message}`);
    process.exitCode = 1;
  }
}
