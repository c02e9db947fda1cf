/**
 * `npm run hint <exercise>`: shows the next hint you have not seen yet.
 *
 *   npm run hint                                   exercises and how many hints you have seen
 *   npm run hint failover_coordinator              the next hint
 *   npm run hint failover_coordinator -- --all     every hint
 *   npm run hint failover_coordinator -- --reset   start again from hint 1
 *
 * Progress is kept in .grade/hints.json (not committed).
 */
import { Command } from "commander";
import { listGradedExercises } from "./grading/grade_exercise";
import { terminalStyle } from "./grading/grade_report";
import { npmFlag } from "./grading/npm_flags";
import { type Hint, loadHintProgress, loadHints, nextHint, saveHintProgress } from "./grading/hints";
import { commanderExitCode } from "./cli_options";

interface HintOptions {
  all: boolean;
  reset: boolean;
}

const style = terminalStyle(process.stdout.isTTY === true && process.env.NO_COLOR === undefined);

function show(hint: Hint, total: number): void {
  const title = hint.title ? `: ${hint.title}` : "";
  console.log(style.bold(`Hint ${hint.number} of ${total}${title}`) + "\n\n" + hint.body + "\n");
}

function listExercises(): void {
  const progress = loadHintProgress();
  console.log("Hints by exercise (npm run hint <exercise>):");
  for (const entry of listGradedExercises()) {
    const hints = loadHints(entry.name);
    const seen = Math.min(progress[entry.name] ?? 0, hints?.length ?? 0);
    const state = hints === null ? "no hints yet" : `${seen} of ${hints.length} hints seen`;
    console.log(`  ${entry.name}  ${style.dim(`(chapter ${entry.chapter}) ${state}`)}`);
  }
}

function main(argv: string[]): number {
  const program = new Command()
    .name("npm run hint --")
    .description("Show the next hint for an exercise.")
    .argument("[exercise]", "the exercise you are stuck on")
    .option("--all", "show every hint of the exercise", false)
    .option("--reset", "forget which hints you have seen (of this exercise, or of all)", false)
    .exitOverride()
    .parse(argv);
  const options = program.opts<HintOptions>();
  // `npm run hint x --all` (without `--`) gives --all to npm: honour it rather than show the next hint.
  if (npmFlag("all").kind !== "absent") options.all = true;
  if (npmFlag("reset").kind !== "absent") options.reset = true;
  const name = program.args[0]?.replace(/\.ts$/, "");
  const progress = loadHintProgress();

  if (name === undefined) {
    if (options.reset) {
      saveHintProgress({});
      console.log("Forgot the hints you had seen for every exercise.");
      return 0;
    }
    listExercises();
    return 0;
  }
  if (!listGradedExercises().some((e) => e.name === name)) {
    console.error(`There is no exercise called "${name}".`);
    listExercises();
    return 2;
  }
  if (options.reset) {
    delete progress[name];
    saveHintProgress(progress);
    console.log(`Forgot the hints you had seen for ${name}: the next one is hint 1.`);
    return 0;
  }
  const hints = loadHints(name);
  if (hints === null) {
    console.log(`There are no hints for ${name} yet.`);
    return 0;
  }
  if (options.all) {
    for (const hint of hints) show(hint, hints.length);
    progress[name] = hints.length;
    saveHintProgress(progress);
    return 0;
  }
  const seen = progress[name] ?? 0;
  const hint = nextHint(hints, seen);
  if (hint === null) {
    console.log(
      `You have seen all ${hints.length} hints for ${name}.\n` +
        `npm run hint ${name} -- --all shows them again; -- --reset starts over from hint 1.`,
    );
    return 0;
  }
  show(hint, hints.length);
  progress[name] = seen + 1;
  saveHintProgress(progress);
  console.log(
    style.dim(hint.number < hints.length ? `Still stuck? npm run hint ${name} shows hint ${hint.number + 1}.` : "That was the last hint."),
  );
  return 0;
}

try {
  process.exitCode = main(process.argv);
} catch (err) {
  const usage = commanderExitCode(err);
  if (usage !== undefined) {
    process.exitCode = usage;
  } else {
    console.error(`npm run hint failed: ${(err as Error).message}`);
    process.exitCode = 1;
  }
}
