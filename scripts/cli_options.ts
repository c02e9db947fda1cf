/** Option parsers shared by the course's command-line scripts (commander argument parsers). */
import { InvalidArgumentError } from "commander";

/** `--timeout <seconds>`, `--cell-timeout <seconds>`: a number of seconds above 0, fractions allowed. */
export function parsePositiveSeconds(value: string): number {
  const seconds = Number(value);
  if (value.trim() === "" || !Number.isFinite(seconds) || seconds <= 0) {
    throw new InvalidArgumentError("give a number of seconds above 0, e.g. 300");
  }
  return seconds;
}

/**
 * `--max-steps <n>`, `--operations <n>`...: a whole number above 0. `example` goes into the
 * message, so the learner sees a value that would have worked.
 */
export function positiveIntegerParser(what: string, example: number): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isInteger(n) || n <= 0) {
      throw new InvalidArgumentError(`give a whole number of ${what} above 0, e.g. ${example}`);
    }
    return n;
  };
}

/**
 * The exit code for an error commander threw after printing its own message: 0 after --help,
 * 2 for a usage error. Undefined for any other error, which the caller reports its own way.
 */
export function commanderExitCode(err: unknown): number | undefined {
  const code = (err as { exitCode?: unknown } | null)?.exitCode;
  return typeof code === "number" ? (code === 0 ? 0 : 2) : undefined;
}

/**
 * Runs an async command's `main` and sets the exit code from its result; commander's usage
 * errors end with its own message and code, anything else goes to `report` and exits with 1.
 */
export function runCommand(main: () => Promise<number>, report: (err: unknown) => void): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      const usage = commanderExitCode(err);
      if (usage !== undefined) {
        process.exitCode = usage;
        return;
      }
      report(err);
      process.exitCode = 1;
    },
  );
}
