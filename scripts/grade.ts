/**
 * `npm run grade`: grades the learner's exercises.
 *
 *   npm run grade                                  progress table of every exercise
 *   npm run grade failover_coordinator             one exercise, every failing test explained
 *   npm run grade failover_coordinator -- --watch  re-grade each time the file is saved
 *   npm run grade failover_coordinator -- --seed 1234   replay one failing seed
 *
 * Each exercise's suite runs in a child process with a hard time limit (--timeout), because an
 * infinite loop in the learner's code would otherwise hang the grader. The exit code is 0 only
 * when every graded exercise passed. See grading/README.md.
 */
import { Command, InvalidArgumentError } from "commander";
import * as cliProgress from "cli-progress";
import * as fs from "node:fs";
import * as path from "node:path";
import { parsePositiveSeconds, runCommand } from "./cli_options";
import { DEFAULT_FOLDERS } from "./exercises/exercise_catalog";
import { type GradedExercise, gradeExercise, listGradedExercises } from "./grading/grade_exercise";
import { EXERCISE_DETAIL, OVERVIEW_DETAIL, type Style, renderExercise, renderTable, terminalStyle } from "./grading/grade_report";
import type { ExerciseEntry } from "./grading/exercise_registry";
import { npmFlag } from "./grading/npm_flags";
import { DEFAULT_TIMEOUT_MS, stopAllRuns } from "./grading/suite_runner";

interface CliOptions {
  watch: boolean;
  seed?: string;
  timeout: number;
  verbose: boolean;
}

const style: Style = terminalStyle(process.stdout.isTTY === true && process.env.NO_COLOR === undefined);

function parseSeed(value: string): string {
  if (!/^[\w-]+$/.test(value)) throw new InvalidArgumentError("a seed is a number (or word) printed by a failing test, e.g. --seed 1234");
  return value;
}

/** A progress bar on stderr while suites run, only on a terminal (logs and CI get plain output). */
function progressBar(total: number): { tick(name: string): void; done(): void } {
  if (process.stderr.isTTY !== true) return { tick: () => undefined, done: () => undefined };
  const bar = new cliProgress.SingleBar(
    { format: "grading {name} [{bar}] {value}/{total}", stream: process.stderr, clearOnComplete: true, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { name: "" });
  let count = 0;
  return {
    tick: (name) => bar.update(count++, { name }),
    done: () => {
      bar.update(total);
      bar.stop();
    },
  };
}

async function gradeAll(entries: ExerciseEntry[], options: CliOptions): Promise<GradedExercise[]> {
  const bar = progressBar(entries.length);
  const graded: GradedExercise[] = [];
  try {
    for (const entry of entries) {
      bar.tick(entry.name);
      graded.push(await gradeExercise(entry, { timeoutMs: options.timeout * 1000, seed: options.seed }));
    }
  } finally {
    bar.done();
  }
  return graded;
}

function printVerbose(graded: GradedExercise[], options: CliOptions): void {
  if (!options.verbose) return;
  for (const g of graded) {
    if (g.summary.status.kind !== "grader-error" || g.rawOutput.trim() === "") continue;
    console.log(style.dim(`--- vitest output for ${g.entry.name} ---\n${g.rawOutput.trimEnd()}\n---`));
  }
}

/** Grades and prints; returns whether every graded exercise passed. */
async function gradeAndReport(entries: ExerciseEntry[], single: boolean, options: CliOptions): Promise<boolean> {
  if (options.seed !== undefined) console.log(style.dim(`replaying seed ${options.seed} only`));
  const graded = await gradeAll(entries, options);
  if (single) {
    console.log(renderExercise(graded[0]!, EXERCISE_DETAIL, style).join("\n"));
  } else {
    console.log(renderTable(graded, style));
    const details = graded.map((g) => renderExercise(g, OVERVIEW_DETAIL, style)).filter((lines) => lines.length > 0);
    for (const lines of details) console.log("\n" + lines.join("\n"));
    if (graded.some((g) => g.summary.status.kind !== "passed")) {
      console.log(style.dim("\nDetails for one exercise: npm run grade <exercise>   Hints: npm run hint <exercise>"));
    }
  }
  printVerbose(graded, options);
  return graded.every((g) => g.summary.status.kind === "passed" || g.summary.status.kind === "no-suite");
}

/** Re-grades an exercise each time its file is saved; never returns. */
function watch(entries: ExerciseEntry[], single: boolean, options: CliOptions): Promise<never> {
  const exercisesDir = DEFAULT_FOLDERS.exercisesDir;
  const watched = new Map(entries.map((e) => [`${e.name}.ts`, e]));
  let running = false;
  let pending: ExerciseEntry | null = null;
  let timer: NodeJS.Timeout | undefined;

  const run = async (entry: ExerciseEntry): Promise<void> => {
    running = true;
    if (process.stdout.isTTY) process.stdout.write("\u001b[2J\u001b[H");
    try {
      await gradeAndReport([entry], true, options);
    } catch (err) {
      console.log(style.red(`the grader itself failed: ${(err as Error).message}`));
    }
    running = false;
    console.log(style.dim(`\nwatching ${single ? `exercises/${entry.name}.ts` : "exercises/"}: save to re-grade, Ctrl-C to stop`));
    if (pending !== null) {
      const next = pending;
      pending = null;
      void run(next);
    }
  };

  // Watch the folder, not the file: editors that save by writing a new file and renaming it
  // would leave a watch on the old file silent.
  fs.watch(exercisesDir, (_event, filename) => {
    const entry = filename === null ? undefined : watched.get(path.basename(filename.toString()));
    if (entry === undefined) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (running) pending = entry;
      else void run(entry);
    }, 250);
  });
  if (single) {
    void run(entries[0]!);
  } else {
    console.log(style.dim("watching exercises/: save an exercise file to grade it, Ctrl-C to stop"));
  }
  return new Promise<never>(() => undefined);
}

async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name("npm run grade --")
    .description("Grade your exercises: a progress table, or one exercise in detail.")
    .argument("[exercise]", "grade only this exercise, with every failing test explained")
    .option("--watch", "re-grade each time an exercise file is saved", false)
    .option("--seed <seed>", "replay one seed of the randomised scenarios (printed by a failing test)", parseSeed)
    .option("--timeout <seconds>", "stop an exercise's tests after this long", parsePositiveSeconds, DEFAULT_TIMEOUT_MS / 1000)
    .option("--verbose", "when the grader itself fails, also print vitest's own output", false)
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(style.red(text)) });
  // Options given without the `--` reach npm, not this script (see npm_flags.ts).
  const seedFromNpm = npmFlag("seed");
  if (seedFromNpm.kind === "flag") {
    // `--seed 42` without `--`: npm kept the flag and passed 42 on as an extra argument.
    console.error(style.red("npm took --seed for itself: put -- before the grader's options, e.g."));
    console.error(`  npm run grade failover_coordinator -- --seed 42`);
    return 2;
  }
  program.parse(argv);
  const options = program.opts<CliOptions>();
  if (npmFlag("watch").kind !== "absent") options.watch = true;
  if (options.seed === undefined && seedFromNpm.kind === "value") {
    try {
      options.seed = parseSeed(seedFromNpm.value);
    } catch (err) {
      console.error(style.red(`error: --seed ${seedFromNpm.value}: ${(err as Error).message}`));
      return 2;
    }
  }

  const all = listGradedExercises();
  const name = program.args[0];
  let entries = all;
  if (name !== undefined) {
    const entry = all.find((e) => e.name === name.replace(/\.ts$/, ""));
    if (entry === undefined) {
      console.error(`There is no exercise called "${name}". The exercises are:`);
      for (const e of all) console.error(`  ${e.name}  ${style.dim(`(chapter ${e.chapter}) ${e.title}`)}`);
      return 2;
    }
    entries = [entry];
  }
  if (entries.length === 0) {
    console.error("There are no exercises to grade yet.");
    return 2;
  }
  if (options.watch) return watch(entries, name !== undefined, options);
  return (await gradeAndReport(entries, name !== undefined, options)) ? 0 : 1;
}

// Suites run in their own process groups, which a Ctrl-C at the terminal does not reach: stop
// them before leaving.
for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143], ["SIGHUP", 129]] as const) {
  process.on(signal, () => {
    stopAllRuns();
    process.exit(code);
  });
}
process.on("exit", stopAllRuns);

const verbose = process.argv.includes("--verbose");

/** The last resort: a bug in the grader is reported in one sentence, never as a stack trace. */
function reportGraderFailure(err: unknown): void {
  stopAllRuns();
  console.error(style.red(`The grader itself failed: ${err instanceof Error ? err.message : String(err)}`));
  console.error("This is a problem with the course tools, not with your code.");
  if (verbose) console.error(err instanceof Error ? err.stack : err);
  else console.error("Run again with -- --verbose for the details to report.");
}

process.on("uncaughtException", (err) => {
  reportGraderFailure(err);
  process.exit(1);
});

runCommand(() => main(process.argv), reportGraderFailure);
