/**
 * The solution-region markers that let one source file hold both an exercise's reference
 * solution and its starter.
 *
 *   // @solution-begin       lines up to the matching end marker exist only in the solution
 *   // @solution-end
 *   // @starter <code>       becomes `<code>` (same indentation) in the starter, and is a
 *                            plain comment in the solution
 *
 * Regions do not nest. Any other comment line that mentions `@solution` or `@starter` is an
 * error rather than being ignored, because a mistyped marker would silently ship solution code
 * to learners.
 */

/** A marker problem, with the 1-based line it was found on. */
export class MarkerError extends Error {
  override readonly name = "MarkerError";
  constructor(
    /** The file as the maintainer should see it (a repository-relative path). */
    readonly file: string,
    /** 1-based line number. */
    readonly line: number,
    readonly detail: string,
  ) {
    super(`${file}:${line}: ${detail}`);
  }
}

/** One `// @solution-begin` ... `// @solution-end` region (1-based, inclusive line numbers). */
export interface SolutionRegion {
  beginLine: number;
  endLine: number;
}

/** What a solution file's markers say. */
export interface MarkedSource {
  regions: SolutionRegion[];
  /** 1-based line numbers of `// @starter` lines. */
  starterLines: number[];
  /** The starter file's text. */
  starter: string;
}

const BEGIN = /^\s*\/\/\s*@solution-begin\s*$/;
const END = /^\s*\/\/\s*@solution-end\s*$/;
const STARTER = /^(\s*)\/\/ @starter(?: (.*))?$/;
/** A comment line that mentions a marker keyword: anything matching this must be a valid marker. */
const MENTIONS_MARKER = /^\s*\/\/.*@(solution|starter)\b/;

/**
 * Parses the markers of a solution file and builds its starter.
 *
 * Throws MarkerError when the markers are unbalanced, mistyped, misplaced, or missing
 * altogether (a file without a solution region would hand the whole solution to learners).
 */
export function parseMarkedSource(source: string, file: string): MarkedSource {
  const eol = source.includes("\r\n") ? "\r\n" : "\n";
  const lines = source.split(/\r?\n/);
  const regions: SolutionRegion[] = [];
  const starterLines: number[] = [];
  const out: string[] = [];
  let openedAt: number | null = null;

  lines.forEach((text, index) => {
    const line = index + 1;
    if (BEGIN.test(text)) {
      if (openedAt !== null) {
        throw new MarkerError(
          file,
          line,
          `@solution-begin inside the region opened at line ${openedAt}; regions do not nest, ` +
            `close that one with // @solution-end first`,
        );
      }
      openedAt = line;
      return;
    }
    if (END.test(text)) {
      if (openedAt === null) {
        throw new MarkerError(file, line, `@solution-end without a matching // @solution-begin above it`);
      }
      regions.push({ beginLine: openedAt, endLine: line });
      openedAt = null;
      return;
    }
    const starter = STARTER.exec(text);
    if (starter) {
      const code = starter[2];
      if (code === undefined || code.trim() === "") {
        throw new MarkerError(file, line, `@starter needs the starter code after it, e.g. // @starter throw notImplemented("f");`);
      }
      if (openedAt !== null) {
        throw new MarkerError(
          file,
          line,
          `@starter inside the solution region opened at line ${openedAt} would be dropped; ` +
            `move it after // @solution-end`,
        );
      }
      starterLines.push(line);
      out.push(starter[1] + code);
      return;
    }
    if (MENTIONS_MARKER.test(text)) {
      throw new MarkerError(
        file,
        line,
        `unrecognised marker "${text.trim()}"; the markers are exactly "// @solution-begin", ` +
          `"// @solution-end" and "// @starter <code>"`,
      );
    }
    if (openedAt === null) out.push(text);
  });

  if (openedAt !== null) {
    throw new MarkerError(file, openedAt, `@solution-begin is never closed: add // @solution-end after the solution code`);
  }
  if (regions.length === 0) {
    throw new MarkerError(
      file,
      1,
      `no // @solution-begin ... // @solution-end region: the starter would be a copy of the solution`,
    );
  }
  return { regions, starterLines, starter: out.join(eol) };
}

/** The starter text for a marked solution source (see parseMarkedSource for the errors). */
export function generateStarter(source: string, file: string): string {
  return parseMarkedSource(source, file).starter;
}
