/**
 * The parts of the Jupyter notebook format (nbformat 4) the course tooling reads and writes.
 *
 * Writing follows what Jupyter itself writes (nbformat's JSON writer): keys sorted, one-space
 * indent, multi-line strings split into lists of lines, a trailing newline. A notebook saved
 * by Jupyter and one written by `npm run notebooks:update` therefore diff cleanly.
 */
import * as fs from "node:fs";

/** Text as stored in a notebook: one string, or a list of lines (each keeping its newline). */
export type MultilineString = string | string[];

/** Output data by MIME type ("text/plain", "image/svg+xml", ...). */
export type MimeBundle = Record<string, unknown>;

/** Text a cell wrote to stdout or stderr. */
export interface StreamOutput {
  output_type: "stream";
  name: "stdout" | "stderr";
  text: MultilineString;
}

/** Rich output shown with display() (HTML, SVG, ...). */
export interface DisplayDataOutput {
  output_type: "display_data";
  data: MimeBundle;
  metadata: Record<string, unknown>;
}

/** The value of a cell's last expression, as a rich output. */
export interface ExecuteResultOutput {
  output_type: "execute_result";
  data: MimeBundle;
  metadata: Record<string, unknown>;
  execution_count: number | null;
}

/** An error raised by a cell (tslab reports errors on stderr instead). */
export interface ErrorOutput {
  output_type: "error";
  ename: string;
  evalue: string;
  traceback: string[];
}

/** Any nbformat v4 output. */
export type NotebookOutput = StreamOutput | DisplayDataOutput | ExecuteResultOutput | ErrorOutput;

/** An nbformat v4 code cell. */
export interface CodeCell {
  cell_type: "code";
  id?: string;
  metadata: Record<string, unknown>;
  source: MultilineString;
  execution_count: number | null;
  outputs: NotebookOutput[];
}

/** An nbformat v4 markdown or raw cell. */
export interface TextCell {
  cell_type: "markdown" | "raw";
  id?: string;
  metadata: Record<string, unknown>;
  source: MultilineString;
  attachments?: Record<string, MimeBundle>;
}

/** Any nbformat v4 cell. */
export type NotebookCell = CodeCell | TextCell;

/** An nbformat v4 notebook. */
export interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: NotebookCell[];
}

/** Thrown for a file that is not a notebook this tooling understands. */
export class NotebookFormatError extends Error {
  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = "NotebookFormatError";
  }
}

/** Joins stored text into one string. */
export function joinText(text: MultilineString | undefined): string {
  if (text === undefined) return "";
  return Array.isArray(text) ? text.join("") : text;
}

/**
 * Splits text into lines that keep their line endings, like Python's `str.splitlines(True)`
 * (which is what Jupyter uses when it saves), so our files match Jupyter's byte for byte.
 */
export function splitLinesKeepEnds(text: string): string[] {
  const lines: string[] = [];
  const lineBreak = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/g;
  let start = 0;
  for (let match = lineBreak.exec(text); match !== null; match = lineBreak.exec(text)) {
    const end = match.index + match[0].length;
    lines.push(text.slice(start, end));
    start = end;
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

/** Reads and checks an .ipynb file; throws NotebookFormatError naming the file when it is not an nbformat 4 notebook. */
export function readNotebook(file: string): Notebook {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new NotebookFormatError(file, `not valid JSON (${(error as Error).message})`);
  }
  return validateNotebook(file, parsed);
}

function validateNotebook(file: string, value: unknown): Notebook {
  if (typeof value !== "object" || value === null) throw new NotebookFormatError(file, "not a JSON object");
  const nb = value as Partial<Notebook>;
  if (nb.nbformat !== 4) {
    throw new NotebookFormatError(file, `nbformat ${String(nb.nbformat)} is not supported; save it as nbformat 4`);
  }
  if (!Array.isArray(nb.cells)) throw new NotebookFormatError(file, "has no cells list");
  nb.cells.forEach((cell, index) => {
    if (!["code", "markdown", "raw"].includes(cell.cell_type)) {
      throw new NotebookFormatError(file, `cell ${index} has unknown cell_type ${JSON.stringify(cell.cell_type)}`);
    }
    cell.metadata ??= {};
    cell.source ??= "";
    if (cell.cell_type === "code") {
      cell.outputs ??= [];
      if (cell.execution_count === undefined) cell.execution_count = null;
    }
  });
  nb.metadata ??= {};
  nb.nbformat_minor ??= 0;
  return nb as Notebook;
}

/** Mime types Jupyter stores as lists of lines (nbformat `_split_mimebundle`). */
function isSplitMime(mime: string): boolean {
  return mime.startsWith("text/") || mime === "application/javascript" || mime === "image/svg+xml";
}

function splitMimeBundle(data: MimeBundle): MimeBundle {
  const out: MimeBundle = {};
  for (const [mime, value] of Object.entries(data)) {
    out[mime] = typeof value === "string" && isSplitMime(mime) ? splitLinesKeepEnds(value) : value;
  }
  return out;
}

function splitOutput(output: NotebookOutput): NotebookOutput {
  switch (output.output_type) {
    case "stream":
      return { ...output, text: splitLinesKeepEnds(joinText(output.text)) };
    case "display_data":
    case "execute_result":
      return { ...output, data: splitMimeBundle(output.data) };
    case "error":
      return output;
  }
}

/** Recursively sorts object keys, as Python's `json.dumps(sort_keys=True)` does. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === "object" && value !== null) {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
    }
    return sorted;
  }
  return value;
}

/** Serialises a notebook exactly as Jupyter writes it. */
export function serializeNotebook(nb: Notebook): string {
  const cells = nb.cells.map((cell): NotebookCell => {
    const source = splitLinesKeepEnds(joinText(cell.source));
    if (cell.cell_type === "code") {
      return { ...cell, source, outputs: cell.outputs.map(splitOutput) };
    }
    return { ...cell, source };
  });
  return JSON.stringify(sortKeys({ ...nb, cells }), null, 1) + "\n";
}

/** Whether a cell is a code cell (runnable or empty). */
export function isCodeCell(cell: NotebookCell): cell is CodeCell {
  return cell.cell_type === "code";
}

/** Jupyter (and nbclient) skip code cells whose source is only whitespace. */
export function isRunnableCodeCell(cell: NotebookCell): cell is CodeCell {
  return isCodeCell(cell) && joinText(cell.source).trim() !== "";
}
