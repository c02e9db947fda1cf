/**
 * `npm run exercises:generate`: writes exercises/<name>.ts from the marked solution
 * solutions/<name>.ts, for every solution (or the names given).
 *
 *   npm run exercises:generate                       # all exercises
 *   npm run exercises:generate -- failover_coordinator
 *   npm run exercises:generate -- --force            # also overwrite files that differ
 *
 * A maintainer command. An existing exercise file that differs from the generated starter may be
 * a learner's work, so it is left alone (and named) unless --force is given.
 */
import { Command } from "commander";
import * as path from "node:path";
import { DEFAULT_FOLDERS, type ExerciseFolders, listExerciseNames, repoRelative } from "./exercise_catalog";
import { generateStarters } from "./starter_files";

interface GenerateOptions {
  force: boolean;
  solutionsDir?: string;
  exercisesDir?: string;
}

function main(argv: string[]): number {
  const program = new Command()
    .name("npm run exercises:generate --")
    .description("Write exercises/<name>.ts starters from the marked solutions in solutions/.")
    .argument("[names...]", "exercises to generate (default: every solution)")
    .option("--force", "overwrite exercise files that differ from the generated starter", false)
    .option("--solutions-dir <dir>", "read solutions from this folder instead of solutions/")
    .option("--exercises-dir <dir>", "write starters to this folder instead of exercises/")
    .exitOverride()
    .parse(argv);
  const options = program.opts<GenerateOptions>();
  const folders: ExerciseFolders = {
    solutionsDir: options.solutionsDir ? path.resolve(options.solutionsDir) : DEFAULT_FOLDERS.solutionsDir,
    exercisesDir: options.exercisesDir ? path.resolve(options.exercisesDir) : DEFAULT_FOLDERS.exercisesDir,
  };
  const known = listExerciseNames(folders.solutionsDir);
  const names = program.args.length > 0 ? program.args : known;
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    console.error(`No solution for: ${unknown.join(", ")}. Exercises: ${known.join(", ") || "(none)"}`);
    return 2;
  }
  if (names.length === 0) {
    console.error(`No solutions found in ${repoRelative(folders.solutionsDir)}: nothing to generate.`);
    return 1;
  }

  const result = generateStarters(names, { force: options.force, folders });
  for (const file of result.written) console.log(`wrote     ${repoRelative(file)}`);
  for (const file of result.unchanged) console.log(`unchanged ${repoRelative(file)}`);
  for (const problem of result.problems) console.error(`error: ${problem}`);
  if (result.refused.length > 0) {
    console.error(
      `\nRefused to overwrite ${result.refused.length} file(s) that differ from the generated starter ` +
        `(they may hold a learner's work):`,
    );
    for (const file of result.refused) console.error(`  ${repoRelative(file)}`);
    console.error(`Compare them with their solutions, then re-run with --force to replace them.`);
  }
  return result.problems.length > 0 || result.refused.length > 0 ? 1 : 0;
}

try {
  process.exitCode = main(process.argv);
} catch (err) {
  // commander reports its own usage errors; they arrive here as CommanderError with an exit code.
  const code = (err as { exitCode?: unknown }).exitCode;
  process.exitCode = typeof code === "number" ? code : 1;
  if (typeof code !== "number") console.error(`exercises:generate failed: ${(err as Error).message}`);
}
