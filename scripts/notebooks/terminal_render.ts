/**
 * Rendering notebook cells for a terminal: readable markdown, dimmed code, and outputs.
 * SVG and HTML cannot be shown in a terminal, so they are written to files and named.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { type NotebookOutput, joinText } from "./nbformat";

/** Styling for `npm run chapter`'s terminal output (plain functions when colour is off). */
export interface TerminalStyle {
  /** Whether ANSI styling is on. */
  colour: boolean;
  bold(text: string): string;
  dim(text: string): string;
  underline(text: string): string;
  red(text: string): string;
  cyan(text: string): string;
}

const ansi = (open: number, close: number) => (text: string) => `\x1b[${open}m${text}\x1b[${close}m`;

/** ANSI styles for a terminal, or no styling at all (pipes, files, NO_COLOR). */
export function terminalStyle(colour: boolean): TerminalStyle {
  if (!colour) {
    const plain = (text: string) => text;
    return { colour: false, bold: plain, dim: plain, underline: plain, red: plain, cyan: plain };
  }
  return { colour: true, bold: ansi(1, 22), dim: ansi(2, 22), underline: ansi(4, 24), red: ansi(31, 39), cyan: ansi(36, 39) };
}

/** Whether to colour: stdout is a terminal and the user did not ask for plain output (NO_COLOR). */
export function wantsColour(stream: NodeJS.WriteStream = process.stdout): boolean {
  return Boolean(stream.isTTY) && process.env["NO_COLOR"] === undefined;
}

/**
 * Markdown for reading in a terminal: headings stand out (bold in a terminal, underlined with
 * = or - in plain text), fenced code blocks are indented, **bold** and `code` are styled.
 */
export function renderMarkdown(markdown: string, style: TerminalStyle): string {
  const out: string[] = [];
  let inFence = false;
  for (const line of markdown.replace(/\r\n?/g, "\n").split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) {
      out.push(style.cyan(`    ${line}`));
      continue;
    }
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const level = heading[1]!.length;
      const title = heading[2]!;
      if (out.length > 0 && out[out.length - 1] !== "") out.push("");
      out.push(level === 1 ? style.bold(style.underline(title.toUpperCase())) : style.bold(title));
      if (!style.colour && level <= 2) out.push((level === 1 ? "=" : "-").repeat(title.length));
      continue;
    }
    out.push(
      line
        .replace(/\*\*(.+?)\*\*/g, (_, text: string) => style.bold(text))
        .replace(/`([^`]+)`/g, (_, text: string) => style.cyan(text)),
    );
  }
  return out.join("\n").replace(/\n{3,}/g, "\n\n").trim();
}

/** A code cell's source, dimmed and marked with a gutter. */
export function renderCodeSource(source: string, label: string, style: TerminalStyle): string {
  const lines = source.replace(/\s+$/, "").split(/\r?\n/);
  return [style.dim(`${label}`), ...lines.map((line) => style.dim(`  │ ${line}`))].join("\n");
}

/** Outputs written to files, one per SVG/HTML output; the counter keeps names unique per cell. */
export interface OutputFileTarget {
  dir: string;
  /** 1-based cell number used in file names. */
  cellNumber: number;
}

const FILE_MIME_TYPES: Array<{ mime: string; extension: string; what: string }> = [
  { mime: "image/svg+xml", extension: "svg", what: "SVG image" },
  { mime: "text/html", extension: "html", what: "HTML" },
];

/**
 * The terminal text for a cell's outputs. SVG and HTML are written under `target.dir`
 * (cell-<n>.svg, cell-<n>-2.html, …) and shown as a note with the path; a text/plain
 * alternative, if any, is printed as well.
 */
export function renderOutputs(outputs: readonly NotebookOutput[], target: OutputFileTarget, style: TerminalStyle): string {
  const parts: string[] = [];
  let filesWritten = 0;
  for (const output of outputs) {
    switch (output.output_type) {
      case "stream": {
        const text = joinText(output.text).replace(/\s+$/, "");
        if (text) parts.push(output.name === "stderr" ? style.red(text) : text);
        break;
      }
      case "display_data":
      case "execute_result": {
        let shown = false;
        for (const { mime, extension, what } of FILE_MIME_TYPES) {
          const value = output.data[mime];
          if (value === undefined) continue;
          filesWritten += 1;
          const name = `cell-${target.cellNumber}${filesWritten > 1 ? `-${filesWritten}` : ""}.${extension}`;
          const file = path.join(target.dir, name);
          fs.mkdirSync(target.dir, { recursive: true });
          fs.writeFileSync(file, Array.isArray(value) ? value.join("") : String(value));
          parts.push(style.dim(`[${what} written to ${path.relative(process.cwd(), file) || file}]`));
          shown = true;
          break;
        }
        const plain = output.data["text/plain"] ?? output.data["text/markdown"];
        if (plain !== undefined) {
          parts.push(Array.isArray(plain) ? plain.join("") : String(plain));
          shown = true;
        }
        if (!shown) parts.push(style.dim(`[${Object.keys(output.data).join(", ")} output not shown in the terminal]`));
        break;
      }
      case "error":
        parts.push(style.red([`${output.ename}: ${output.evalue}`, ...output.traceback].join("\n")));
        break;
    }
  }
  return parts.join("\n");
}
