/**
 * Tables of records, as fixed-width text (terminals, `console.log`) or as a small HTML table with
 * inline styles (`tslab.display.html`). Useful for "what each replica holds" and node state.
 */
import { VizInputError, requirePositive } from "./errors";
import { escapeXml, formatValue, padCenter, padLeft, padRight, textWidth, truncate } from "./format";

/** How a column's cells line up. */
export type Align = "left" | "right" | "center";

/**
 * The keys that can name a column of rows of type `Row`: the string keys of any of its members
 * (a row type that is a union of shapes offers every shape's keys), or any string when the type
 * names none (an empty `[]`, `object[]`).
 */
export type ColumnKey<Row> = [RowKeys<Row>] extends [never] ? string : RowKeys<Row>;

/** The string keys of each member of `Row`, distributed over a union. */
type RowKeys<Row> = Row extends unknown ? Extract<keyof Row, string> : never;

/** A column with more than a key: its header, alignment or formatter. */
export interface TableColumn<Row extends object = Record<string, unknown>> {
  /** The row property shown in this column. */
  key: ColumnKey<Row>;
  /** Header text (default: the key). */
  header?: string;
  align?: Align;
  /** Turns the cell's value into text (default: `formatValue`). */
  format?: (value: unknown, row: Row) => string;
}

/** Options of `table` and `htmlTable`. */
export interface TableOptions<Row extends object = Record<string, unknown>> {
  /**
   * Columns in order, as keys or column objects (default: every key, in order of first
   * appearance). Keys are checked against the row type: a list kept in a variable needs
   * `as const` (`const cols = ["node", "lag"] as const`) so its entries stay key names.
   */
  columns?: readonly (ColumnKey<Row> | TableColumn<Row>)[];
  title?: string;
  /** Alignment by column key (default: right for columns of numbers, left otherwise). */
  align?: Readonly<Partial<Record<ColumnKey<Row>, Align>>>;
  /** Cells longer than this are cut with "…" (default 40 characters). */
  maxColumnWidth?: number;
}

/** Options of `table`. */
export interface TextTableOptions<Row extends object = Record<string, unknown>> extends TableOptions<Row> {
  /** Box-drawing borders, or markdown-style pipes (default "box"). */
  style?: "box" | "pipes";
}

/** Options of `htmlTable`. */
export interface HtmlTableOptions<Row extends object = Record<string, unknown>> extends TableOptions<Row> {
  /** Extra inline CSS for a row, e.g. to highlight the leader: `(r) => r.role === "leader" ? "font-weight:bold" : undefined`. */
  rowStyle?: (row: Row, index: number) => string | undefined;
}

interface ResolvedColumn {
  key: string;
  header: string;
  align: Align;
  cells: string[];
}

/**
 * Formats records as a fixed-width text table.
 *
 * ```ts
 * console.log(table(sim.nodes.map((id) => ({ node: id, up: sim.isUp(id), log: sim.logic(id).log, commit: sim.logic(id).commitIndex })), { title: "replicas" }));
 * // replicas
 * // ┌──────┬───────┬────────────┬────────┐
 * // │ node │ up    │ log        │ commit │
 * // ├──────┼───────┼────────────┼────────┤
 * // │ a    │ true  │ [x=1, y=2] │      2 │
 * // │ b    │ false │ [x=1]      │      1 │
 * // └──────┴───────┴────────────┴────────┘
 * ```
 *
 * Numbers get sensible decimals, arrays and objects print compactly, undefined prints as "-".
 * Rows can be any plain objects: object literals, or values of an interface or class type
 * (`table(candidates)` with `candidates: CandidateInfo[]`); their own enumerable keys are the
 * columns.
 */
export function table<Row extends object>(rows: readonly Row[], options: TextTableOptions<Row> = {}): string {
  const style = options.style ?? "box";
  if (style !== "box" && style !== "pipes") throw new VizInputError(`table: style must be "box" or "pipes", got ${JSON.stringify(style)}.`);
  const columns = resolveColumns(rows, options, "table");
  const lines: string[] = [];
  if (options.title !== undefined) lines.push(options.title);
  if (columns.length === 0) {
    lines.push("(no rows)");
    return lines.join("\n");
  }
  const widths = columns.map((c) => Math.max(textWidth(c.header), ...c.cells.map(textWidth)));
  const cell = (s: string, i: number, align: Align) =>
    align === "right" ? padLeft(s, widths[i]!) : align === "center" ? padCenter(s, widths[i]!) : padRight(s, widths[i]!);
  const header = columns.map((c, i) => cell(c.header, i, c.align === "right" ? "right" : c.align === "center" ? "center" : "left"));
  const body = rows.map((_, r) => columns.map((c, i) => cell(c.cells[r]!, i, c.align)));

  if (style === "box") {
    const rule = (l: string, m: string, r: string) => l + widths.map((w) => "─".repeat(w + 2)).join(m) + r;
    lines.push(rule("┌", "┬", "┐"));
    lines.push(`│ ${header.join(" │ ")} │`);
    lines.push(rule("├", "┼", "┤"));
    for (const row of body) lines.push(`│ ${row.join(" │ ")} │`);
    if (body.length === 0) lines.push(`│ ${padRight("(no rows)", widths.reduce((a, w) => a + w + 3, -3))} │`);
    lines.push(rule("└", "┴", "┘"));
  } else {
    lines.push(`| ${header.join(" | ")} |`);
    lines.push(
      "|" +
        columns
          .map((c, i) => {
            // Markdown's alignment markers, so the table also renders as markdown.
            const w = widths[i]!;
            if (c.align === "right") return "-".repeat(w + 1) + ":";
            if (c.align === "center") return ":" + "-".repeat(w) + ":";
            return "-".repeat(w + 2);
          })
          .join("|") +
        "|",
    );
    for (const row of body) lines.push(`| ${row.join(" | ")} |`);
  }
  return lines.join("\n");
}

/**
 * Formats records as a small HTML table with inline styles (no stylesheet needed), for
 * `tslab.display.html(htmlTable(rows, { title: "replicas" }))`. Cells are escaped. Rows are any
 * plain objects, as for `table`.
 */
export function htmlTable<Row extends object>(rows: readonly Row[], options: HtmlTableOptions<Row> = {}): string {
  const columns = resolveColumns(rows, options, "htmlTable");
  const tableStyle = "border-collapse:collapse;font-family:Menlo,Consolas,'DejaVu Sans Mono',monospace;font-size:12px;margin:4px 0";
  const caption =
    options.title === undefined
      ? ""
      : `<caption style="text-align:left;font-weight:bold;font-family:Helvetica,Arial,sans-serif;padding:2px 0 4px 0">${escapeXml(options.title)}</caption>`;
  if (columns.length === 0) {
    return `<table style="${tableStyle}">${caption}<tbody><tr><td style="padding:2px 8px;color:#777">(no rows)</td></tr></tbody></table>`;
  }
  const th = (c: ResolvedColumn) =>
    `<th style="text-align:${c.align};padding:3px 8px;border-bottom:2px solid #999;background:#f0f0f0">${escapeXml(c.header)}</th>`;
  const head = `<thead><tr>${columns.map(th).join("")}</tr></thead>`;
  const bodyRows = rows.map((row, r) => {
    const extra = options.rowStyle?.(row, r);
    const zebra = r % 2 === 1 ? "background:#f8f8f8" : "";
    const style = [zebra, extra].filter((s) => s !== undefined && s !== "").join(";");
    const tds = columns
      .map((c) => `<td style="text-align:${c.align};padding:2px 8px;border-bottom:1px solid #e4e4e4;white-space:pre">${escapeXml(c.cells[r]!)}</td>`)
      .join("");
    return `<tr${style ? ` style="${escapeXml(style)}"` : ""}>${tds}</tr>`;
  });
  if (rows.length === 0) bodyRows.push(`<tr><td colspan="${columns.length}" style="padding:2px 8px;color:#777">(no rows)</td></tr>`);
  return `<table style="${tableStyle}">${caption}${head}<tbody>${bodyRows.join("")}</tbody></table>`;
}

function resolveColumns<Row extends object>(rows: readonly Row[], options: TableOptions<Row>, where: string): ResolvedColumn[] {
  if (!Array.isArray(rows)) throw new VizInputError(`${where}: rows must be an array of objects, e.g. [{ node: "a", value: 1 }].`);
  rows.forEach((r, i) => {
    if (r === null || typeof r !== "object" || Array.isArray(r)) {
      throw new VizInputError(`${where}: row #${i} must be an object such as { node: "a", value: 1 }, got ${JSON.stringify(r)}.`);
    }
  });
  requirePositive(options.maxColumnWidth, `${where}: maxColumnWidth`);
  const maxWidth = options.maxColumnWidth ?? 40;
  // Keys are plain strings from here on: the row type only served to check the caller's keys.
  let specs: { key: string; header?: string; align?: Align; format?: (value: unknown, row: Row) => string }[];
  if (options.columns !== undefined) {
    specs = options.columns.map((c) => (typeof c === "string" ? { key: c } : c));
  } else {
    const keys: string[] = [];
    const seen = new Set<string>();
    for (const r of rows) {
      for (const k of Object.keys(r)) {
        if (!seen.has(k)) {
          seen.add(k);
          keys.push(k);
        }
      }
    }
    specs = keys.map((key) => ({ key }));
  }
  return specs.map((spec) => {
    if (spec === null || typeof spec !== "object" || typeof spec.key !== "string") {
      throw new VizInputError(`${where}: each column must be a key or { key, header?, align?, format? }.`);
    }
    const values = rows.map((r) => (r as Readonly<Record<string, unknown>>)[spec.key]);
    const numeric = values.some((v) => typeof v === "number") && values.every((v) => v === undefined || v === null || typeof v === "number");
    const byKey: Readonly<Record<string, Align | undefined>> | undefined = options.align;
    const align = spec.align ?? byKey?.[spec.key] ?? (numeric ? "right" : "left");
    const cells = rows.map((r, i) => truncate((spec.format ? spec.format(values[i], r) : formatValue(values[i])).replace(/\r?\n/g, "⏎"), maxWidth));
    return { key: spec.key, header: truncate(spec.header ?? spec.key, maxWidth), align, cells };
  });
}
