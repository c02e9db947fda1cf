/**
 * `npm run test:grading` (part of `npm test` and CI): proves every grading suite can tell a
 * correct implementation from a missing one.
 *
 * For every exercise:
 *   (a) its suite runs against solutions/ and every test passes;
 *   (b) its suite runs against freshly generated starters and at least one test fails.
 * The starters are written to .grade/starters/ (gitignored), never to exercises/, which may hold
 * a learner's work. Also fails when an exercise has no suite, a suite has no exercise, or an
 * exercise has no entry in grading/exercises.json or no hints.
 *
 *   npm run test:grading                              every exercise
 *   npm run test:grading -- failover_coordinator      one
 */
import { Command } from "commander";
import * as fs from "node:fs";
import { parsePositiveSeconds, runCommand } from "../cli_options";
import { GRADING_DIR, listExerciseNames, listSuiteNames, suiteFile } from "../exercises/exercise_catalog";
import { buildStarter, writeStartersTo } from "../exercises/starter_files";
import { loadRegistry } from "./exercise_registry";
import { STARTERS_DIR, hintProblems, layoutProblems, verifyExercise } from "./suite_verification";

/** Generous: a suite that needs this long against the reference solution needs fixing anyway. */
const DEFAULT_VERIFY_TIMEOUT_S = 300;

async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name("npm run test:grading --")
    .description("Prove each grading suite passes on its solution and fails on its starter.")
    .argument("[names...]", "exercises to verify (default: all)")
    .option("--timeout <seconds>", "wall-clock limit per suite run", parsePositiveSeconds, DEFAULT_VERIFY_TIMEOUT_S)
    .exitOverride()
    .parse(argv);
  const timeoutMs = program.opts<{ timeout: number }>().timeout * 1000;

  const allNames = listExerciseNames();
  const names = program.args.length > 0 ? program.args : allNames;
  const unknown = names.filter((n) => !allNames.includes(n));
  if (unknown.length > 0) {
    console.error(`No such exercise: ${unknown.join(", ")}. Exercises: ${allNames.join(", ")}`);
    return 2;
  }
  const problems: string[] = [];
  if (allNames.length === 0) problems.push(`no exercises: solutions/ has no .ts file`);
  problems.push(...layoutProblems(allNames, listSuiteNames(GRADING_DIR), loadRegistry()));

  // Marker problems would make every starter run meaningless: report them and stop there.
  const markerProblems = names.flatMap((n) => buildStarter(n).problems);
  if (markerProblems.length > 0) {
    for (const p of [...problems, ...markerProblems]) console.error(`error: ${p}`);
    console.log(`suites: 0 passed, ${names.length} failed`);
    return 1;
  }
  fs.rmSync(STARTERS_DIR, { recursive: true, force: true });
  writeStartersTo(allNames, STARTERS_DIR);

  let passed = 0;
  let failed = 0;
  for (const name of names) {
    if (!fs.existsSync(suiteFile(name))) {
      failed += 1;
      continue;
    }
    console.log(`${name}`);
    const found = [...hintProblems(name), ...(await verifyExercise(name, STARTERS_DIR, timeoutMs))];
    if (found.length === 0) passed += 1;
    else failed += 1;
    problems.push(...found);
  }
  for (const p of problems) console.error(`error: ${p}`);
  // The closing line CI reads: "<word>: N passed, N failed".
  console.log(`suites: ${passed} passed, ${failed} failed`);
  return problems.length === 0 ? 0 : 1;
}

runCommand(() => main(process.argv), (err) => console.error(`test:grading failed: ${(err as Error).stack ?? String(err)}`));
