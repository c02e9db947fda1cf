/**
 * `npm run check-history -- FILE... [--explain]`: is a recorded history linearizable?
 *
 *   npm run check-history -- tests/fixtures/histories/kv/c10-bad.txt             not linearizable
 *   npm run check-history -- tests/fixtures/histories/kv/c10-bad.txt --explain   and why
 *   npm run check-history -- /work/shared/histories/jepsen-etcd/*.log            one line per file
 *
 * The format is detected from the file: kv histories (EDN-like lines with :process, :type, :f,
 * :key, :value) or Jepsen etcd logs (INFO jepsen.util - ... lines). An empty file is a history
 * with no operations: linearizable. Exit codes: 0 linearizable, 1 not linearizable, 2 a file
 * could not be read or parsed (the message names the file and line), 3 unknown (a limit ran out).
 */
import { Command } from "commander";
import { commanderExitCode, parsePositiveSeconds, positiveIntegerParser } from "./cli_options";
import { EXIT, checkHistoryFiles } from "./history_check/check_files";

interface CliOptions {
  explain: boolean;
  maxSteps?: number;
  timeLimit?: number;
}

function main(argv: string[]): number {
  const program = new Command()
    .name("npm run check-history --")
    .description("Checks whether recorded histories are linearizable (kv EDN lines or Jepsen etcd logs, detected per file).")
    .argument("<files...>", "history files")
    .option("--explain", "explain the verdict: the longest linearizable order found and what could not come next", false)
    .option("--max-steps <n>", "search steps allowed per file before answering unknown", positiveIntegerParser("steps", 1_000_000))
    .option("--time-limit <seconds>", "time allowed per file before answering unknown", parsePositiveSeconds)
    .addHelpText(
      "after",
      `\nExit codes: ${EXIT.linearizable} linearizable, ${EXIT.notLinearizable} not linearizable, ` +
        `${EXIT.unreadable} unreadable or unparseable file, ${EXIT.unknown} unknown (a limit ran out).\n` +
        "An empty file is a history with no operations, which is linearizable.",
    )
    .exitOverride()
    .parse(argv);
  const options = program.opts<CliOptions>();
  const files = program.args;
  const { outcomes, exitCode } = checkHistoryFiles(files, {
    explain: options.explain,
    ...(options.maxSteps === undefined ? {} : { maxSteps: options.maxSteps }),
    ...(options.timeLimit === undefined ? {} : { timeLimitMs: options.timeLimit * 1000 }),
  });
  for (const o of outcomes) {
    for (const line of o.err) console.error(line);
    o.out.forEach((line, i) => console.log(files.length > 1 && i === 0 ? `${o.file}: ${line}` : line));
  }
  return exitCode;
}

try {
  process.exitCode = main(process.argv);
} catch (err) {
  const usage = commanderExitCode(err);
  if (usage !== undefined) {
    process.exitCode = usage;
  } else {
    console.error(`npm run check-history failed: ${(err as Error).message}`);
    process.exitCode = 2;
  }
}
