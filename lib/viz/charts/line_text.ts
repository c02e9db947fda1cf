/**
 * Text line charts drawn with asciichart, for terminals and `console.log` in notebooks.
 */
import * as asciichart from "asciichart";
import { VizInputError, requirePositive, requireYRange } from "../errors";
import { fixed, formatNumber, padCenter, padLeft, textWidth } from "../format";
import { niceTicks } from "../scale";
import { normalizeSeries, type LineChartCommonOptions, type Series, type SeriesInput } from "./series";

/** Options of `lineChart`. */
export interface LineChartOptions extends LineChartCommonOptions {
  /** Rows of the plot area (default 10). */
  height?: number;
  /** Columns of the plot area when x values must be resampled (default 60). */
  width?: number;
  /**
   * Colour the series with ANSI escape codes (default false: notebooks store outputs as text,
   * and escape codes would make committed outputs noisy; series are told apart by line style).
   */
  colors?: boolean;
}

type SymbolSet = [string, string, string, string, string, string, string, string, string, string];

/**
 * Line styles by series, in asciichart's symbol order: axis at zero, axis, two unused ends,
 * horizontal, the four corners, vertical. Without colours the style is what tells series apart.
 */
const STYLES: readonly SymbolSet[] = [
  ["┼", "┤", "╶", "╴", "─", "╰", "╭", "╮", "╯", "│"],
  ["┼", "┤", "╶", "╴", "━", "┗", "┏", "┓", "┛", "┃"],
  ["┼", "┤", "╶", "╴", "═", "╚", "╔", "╗", "╝", "║"],
  ["┼", "┤", "╶", "╴", "┄", "└", "┌", "┐", "┘", "┆"],
  ["┼", "┤", "╶", "╴", "-", "+", "+", "+", "+", "|"],
  ...["*", "o", "#", "@", "x", "%", "&", "="].map((c): SymbolSet => ["┼", "┤", "╶", "╴", c, c, c, c, c, c]),
];

const ANSI: readonly string[] = [asciichart.blue, asciichart.red, asciichart.green, asciichart.magenta, asciichart.yellow, asciichart.cyan];

/** The legend sample of series `i` ("── name"). */
function legendSample(i: number): string {
  const h = STYLES[i % STYLES.length]![4];
  return h + h;
}

/**
 * Draws one or more series as a text chart with a y axis, an x axis with a few tick values and
 * a legend naming each series by its line style.
 *
 * ```ts
 * console.log(lineChart({ leader: [0, 1, 1, 2, 3], follower: [0, 0, 1, 1, 3] }, { title: "commit index", height: 6 }));
 * console.log(lineChart(valuePerNodeOverTime(samples, { bucketMs: 100 }), { xLabel: "time (ms)", interpolate: "step" }));
 * ```
 *
 * Where two series cross the later one is drawn on top. Empty input gives "(no data)".
 */
export function lineChart(series: SeriesInput, options: LineChartOptions = {}): string {
  const where = "lineChart";
  const all = normalizeSeries(series, where);
  requirePositive(options.height, `${where}: height`);
  requirePositive(options.width, `${where}: width`);
  requireYRange(options.min, options.max, where);
  const height = Math.max(1, Math.round(options.height ?? 10));
  const maxWidth = Math.max(2, Math.round(options.width ?? 60));
  const interpolate = options.interpolate ?? "linear";
  if (interpolate !== "linear" && interpolate !== "step") {
    throw new VizInputError(`${where}: interpolate must be "linear" or "step", got ${JSON.stringify(interpolate)}.`);
  }
  const lines: string[] = [];
  if (options.title !== undefined) lines.push(options.title);
  const drawn = all.filter((s) => s.points.length > 0);
  if (drawn.length === 0) {
    lines.push("(no data)");
    return lines.join("\n");
  }

  // Columns: one per integer x when that fits (exact values), else resample to maxWidth.
  let xMin = Number.POSITIVE_INFINITY;
  let xMax = Number.NEGATIVE_INFINITY;
  for (const s of drawn) {
    xMin = Math.min(xMin, s.points[0]![0]);
    xMax = Math.max(xMax, s.points[s.points.length - 1]![0]);
  }
  const integerXs = drawn.every((s) => s.points.every(([x]) => Number.isInteger(x)));
  const columns = integerXs && xMax - xMin + 1 <= maxWidth ? xMax - xMin + 1 : maxWidth;
  const xAt = (c: number) => (columns === 1 ? xMin : xMin + ((xMax - xMin) * c) / (columns - 1));
  const sampled = drawn.map((s) => resample(s, columns, xAt, interpolate));

  let yMin = options.min ?? Number.POSITIVE_INFINITY;
  let yMax = options.max ?? Number.NEGATIVE_INFINITY;
  if (options.min === undefined || options.max === undefined) {
    for (const vs of sampled) {
      for (const v of vs) {
        if (v === undefined) continue;
        if (options.min === undefined) yMin = Math.min(yMin, v);
        if (options.max === undefined) yMax = Math.max(yMax, v);
      }
    }
  }
  if (!(yMax > yMin)) {
    // A flat chart still needs a y range asciichart can divide by: one unit either side (or
    // 0..1 for zeros), so the row labels stay round numbers.
    const v = yMin;
    yMin = v === 0 ? 0 : v - 1;
    yMax = v === 0 ? 1 : v + 1;
  }
  // asciichart writes its y labels as one multi-character cell, which breaks overlaying grids
  // column by column; so it draws only the axis and lines (offset 1, a one-space "label" that the
  // axis overwrites) and the labels are added here, one per row, for the value that row stands for.
  const config = { min: yMin, max: yMax, height, offset: 1, format: () => " " };
  const ratio = height / (yMax - yMin);
  const topRow = Math.round(yMax * ratio);
  const decimals = yDecimals((yMax - yMin) / height);

  // asciichart gives every series the same glyphs, so each series is drawn alone with its own
  // style on the shared y range and the grids are overlaid, shifted to where the series starts.
  let grid: string[][] | undefined;
  let owner: number[][] | undefined;
  sampled.forEach((vs, i) => {
    const first = vs.findIndex((v) => v !== undefined);
    let last = vs.length - 1;
    while (vs[last] === undefined) last--;
    let span = vs.slice(first, last + 1) as number[];
    if (span.length === 1) span = [span[0]!, span[0]!];
    const plotted = asciichart.plot(span, { ...config, symbols: STYLES[i % STYLES.length]! }).split("\n").map((row) => Array.from(row));
    if (grid === undefined) {
      grid = plotted.map(() => ["┤", ...Array.from({ length: columns - 1 }, () => " ")]);
      owner = grid.map((row) => row.map(() => -1));
    }
    for (let r = 0; r < plotted.length && r < grid.length; r++) {
      for (let c = 1; c < plotted[r]!.length; c++) {
        const ch = plotted[r]![c]!;
        const target = c + first;
        if (ch === " " || target >= grid[r]!.length) continue;
        grid[r]![target] = ch;
        owner![r]![target] = i;
      }
    }
  });

  const rowLabels = grid!.map((_, r) => fixed((topRow - r) / ratio, decimals));
  const labelWidth = Math.max(...rowLabels.map(textWidth));
  const offset = labelWidth + 2;
  if (options.yLabel !== undefined) lines.push(options.yLabel);
  for (let r = 0; r < grid!.length; r++) {
    const plot = grid![r]!
      .map((ch, c) => {
        const o = owner![r]![c]!;
        return options.colors && o >= 0 ? asciichart.colored(ch, ANSI[o % ANSI.length]) : ch;
      })
      .join("");
    lines.push(`${padLeft(rowLabels[r]!, labelWidth)} ${plot}`.trimEnd());
  }
  lines.push(...xAxis(offset, columns, xMin, xMax, options.xLabel));
  lines.push(
    "legend: " +
      drawn
        .map((s, i) => {
          const sample = legendSample(i);
          return `${options.colors ? asciichart.colored(sample, ANSI[i % ANSI.length]) : sample} ${s.name}`;
        })
        .join("   "),
  );
  const empty = all.filter((s) => s.points.length === 0).map((s) => s.name);
  if (empty.length > 0) lines.push(`(no points: ${empty.join(", ")})`);
  return lines.join("\n");
}

/** The series' value at each column; undefined before its first and after its last point. */
function resample(s: Series, columns: number, xAt: (c: number) => number, interpolate: "linear" | "step"): (number | undefined)[] {
  const pts = s.points;
  const out: (number | undefined)[] = [];
  let j = 0;
  const eps = 1e-9 * Math.max(1, Math.abs(pts[pts.length - 1]![0] - pts[0]![0]));
  for (let c = 0; c < columns; c++) {
    const x = xAt(c);
    if (x < pts[0]![0] - eps || x > pts[pts.length - 1]![0] + eps) {
      out.push(undefined);
      continue;
    }
    while (j + 1 < pts.length && pts[j + 1]![0] <= x + eps) j++;
    const [x0, y0] = pts[j]!;
    const next = pts[j + 1];
    if (interpolate === "step" || next === undefined || Math.abs(x - x0) <= eps) {
      out.push(y0);
    } else {
      const [x1, y1] = next;
      out.push(y0 + ((y1 - y0) * (x - x0)) / (x1 - x0));
    }
  }
  // Points that all fall between two neighbouring columns leave the series no column at all,
  // and nothing to draw: show it at the column nearest to it, with its point nearest to that column.
  if (!out.some((v) => v !== undefined)) {
    const middle = (pts[0]![0] + pts[pts.length - 1]![0]) / 2;
    let column = 0;
    for (let c = 1; c < columns; c++) if (Math.abs(xAt(c) - middle) < Math.abs(xAt(column) - middle)) column = c;
    let nearest = pts[0]!;
    for (const p of pts) if (Math.abs(p[0] - xAt(column)) < Math.abs(nearest[0] - xAt(column))) nearest = p;
    out[column] = nearest[1];
  }
  return out;
}

function yDecimals(stepPerRow: number): number {
  if (stepPerRow >= 1) return 0;
  if (stepPerRow >= 0.1) return 1;
  if (stepPerRow >= 0.01) return 2;
  return 3;
}

/** "└──┬────┬──" with nice tick values (see niceTicks) under it and the x label below. */
function xAxis(offset: number, columns: number, xMin: number, xMax: number, xLabel: string | undefined): string[] {
  const plotWidth = Math.max(1, columns - 1);
  const axis = Array.from(" ".repeat(offset - 1) + "└" + "─".repeat(plotWidth));
  const labels = Array.from(" ".repeat(offset + plotWidth + 12));
  const ticks = xMax > xMin ? niceTicks(xMin, xMax, Math.max(2, Math.floor(plotWidth / 8))).filter((x) => x >= xMin && x <= xMax) : [xMin];
  let free = 0;
  for (const x of ticks) {
    const c = xMax > xMin ? Math.round(((x - xMin) / (xMax - xMin)) * (columns - 1)) : 0;
    const label = formatNumber(x);
    const at = offset - 1 + c;
    const start = Math.max(0, at - Math.floor((textWidth(label) - 1) / 2));
    if (start < free) continue; // would overlap the previous label
    if (c > 0) axis[at] = "┬";
    Array.from(label).forEach((ch, k) => (labels[start + k] = ch));
    free = start + textWidth(label) + 1;
  }
  const out = [axis.join("").trimEnd(), labels.join("").trimEnd()];
  if (xLabel !== undefined) out.push(padCenter(xLabel, offset * 2 + plotWidth).trimEnd());
  return out;
}
