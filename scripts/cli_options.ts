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
