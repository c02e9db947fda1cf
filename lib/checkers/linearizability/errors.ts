/**
 * Errors of the linearizability checker. Each message says what was wrong and what to change.
 */

/** A history the checker cannot use: an operation without times, a completion before its invocation... */
export class HistoryInputError extends Error {
  override readonly name = "HistoryInputError";
  constructor(message: string) {
    super(message);
  }
}

/** A history file that cannot be read: names the file (when known) and the 1-based line. */
export class HistoryParseError extends Error {
  override readonly name = "HistoryParseError";
  constructor(
    message: string,
    /** The file name given to the parser, or undefined for text that came from elsewhere. */
    readonly file: string | undefined,
    /** 1-based line number, or undefined when the problem is the file as a whole. */
    readonly line: number | undefined,
  ) {
    super(`${file ?? "history"}${line === undefined ? "" : `:${line}`}: ${message}`);
  }
}
