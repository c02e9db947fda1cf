/**
 * The checks behind `npm run test:grading` (verify_suites.ts): that every exercise has a suite,
 * a registry entry and hints, and that each suite passes on the solution and fails on the
 * starter.
 */
import * as path from "node:path";
import { DEFAULT_FOLDERS, REPOSITORY_ROOT, repoRelative, suiteFile } from "../exercises/exercise_catalog";
import { type ExerciseEntry, REGISTRY_FILE } from "./exercise_registry";
import { hintsFile, loadHints } from "./hints";
import { type SuiteRunOutcome, runSuite } from "./suite_runner";
import { statusLabel, summariseRun } from "./summarise";

/** Where the verifier writes starters: at a fixed place inside the repository so imports resolve. */
export const STARTERS_DIR = path.join(REPOSITORY_ROOT, ".grade", "starters");

/** Problems with which files exist, before any suite runs. */
export function layoutProblems(names: string[], suites: string[], registry: ExerciseEntry[]): string[] {
  const problems: string[] = [];
  for (const name of names) {
    if (!suites.includes(name)) problems.push(`exercise ${name} has no grading suite: write ${repoRelative(suiteFile(name))}`);
    if (!registry.some((e) => e.name === name)) {
      problems.push(`exercise ${name} is not listed in ${repoRelative(REGISTRY_FILE)} (name, chapter, title)`);
    }
  }
  for (const suite of suites) {
    if (!names.includes(suite)) {
      problems.push(`suite ${repoRelative(suiteFile(suite))} has no exercise: there is no solutions/${suite}.ts`);
    }
  }
  for (const entry of registry) {
    if (!names.includes(entry.name)) problems.push(`${repoRelative(REGISTRY_FILE)} lists ${entry.name}, which has no solutions/${entry.name}.ts`);
  }
  return problems;
}

/** Checks the hints file of an exercise: it must exist and follow the `## Hint N` layout. */
export function hintProblems(name: string): string[] {
  try {
    return loadHints(name) === null ? [`exercise ${name} has no hints: write ${repoRelative(hintsFile(name))}`] : [];
  } catch (err) {
    return [(err as Error).message];
  }
}

function describeOutcome(outcome: SuiteRunOutcome, exerciseDir: string): string {
  const summary = summariseRun(outcome, { exerciseDir });
  const status = summary.status;
  if (status.kind === "load-error") return `${statusLabel(status)}: ${status.message.split("\n")[0]}`;
  if (status.kind === "grader-error") return `${statusLabel(status)}: ${status.problem}\n${outcome.output.trimEnd()}`;
  if (status.kind === "timed-out") return `${statusLabel(status)} while running: ${status.runningTests.join("; ") || "?"}`;
  return statusLabel(status);
}

/** Runs one exercise's suite against the solution and the starter; returns what is wrong. */
export async function verifyExercise(
  name: string,
  startersDir: string,
  timeoutMs: number,
  suite: string = suiteFile(name),
): Promise<string[]> {
  const problems: string[] = [];
  const shownSuite = repoRelative(suite);

  const onSolution = await runSuite({ suiteFile: suite, exerciseDir: DEFAULT_FOLDERS.solutionsDir, timeoutMs });
  if (onSolution.kind !== "completed") {
    problems.push(`${shownSuite} against solutions/: ${describeOutcome(onSolution, DEFAULT_FOLDERS.solutionsDir)}`);
  } else {
    const summary = summariseRun(onSolution, { exerciseDir: DEFAULT_FOLDERS.solutionsDir });
    if (summary.status.kind !== "passed") {
      problems.push(`${shownSuite} must pass on solutions/${name}.ts, but: ${describeOutcome(onSolution, DEFAULT_FOLDERS.solutionsDir)}`);
      for (const failure of summary.failures) {
        const why = failure.thrown ? `${failure.thrown.type}: ${failure.thrown.message}` : failure.message.split("\n")[0];
        problems.push(`  ✗ ${failure.test}: ${why}`);
      }
    } else {
      console.log(`  solution: ${summary.total} of ${summary.total} tests pass`);
    }
  }

  const onStarter = await runSuite({ suiteFile: suite, exerciseDir: startersDir, timeoutMs });
  if (onStarter.kind !== "completed") {
    problems.push(`${shownSuite} against the starter: ${describeOutcome(onStarter, startersDir)}`);
  } else {
    const summary = summariseRun(onStarter, { exerciseDir: startersDir });
    if (summary.status.kind === "load-error" || summary.status.kind === "no-tests") {
      problems.push(`${shownSuite} against the starter: ${describeOutcome(onStarter, startersDir)}`);
    } else if (summary.failures.length === 0) {
      problems.push(
        `suite ${name} passes on the starter file: it cannot tell a correct implementation from a missing one ` +
          `(all ${summary.total} tests pass on the generated exercises/${name}.ts)`,
      );
    } else {
      console.log(`  starter:  ${summary.failures.length} of ${summary.total} tests fail (grade would say "${statusLabel(summary.status)}")`);
    }
  }
  return problems;
}
