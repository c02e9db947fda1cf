/**
 * SVG grouped bar charts for comparisons across settings, e.g. "needless failovers and downtime
 * for each failure-detector timeout", with an optional second y axis for a series in other units.
 */
import { VizInputError, requirePositive } from "../errors";
import { formatNumber, truncate } from "../format";
import { linearScale } from "../scale";
import { SANS_CHAR_WIDTH, el, num, svgDocument, text, tooltip } from "../svg";
import { axisTicks, axisTitles, legendRows, seriesStyle, yAxis, type LegendItem, type PlotArea } from "./frame_svg";

/** One series of bars: one value per category. */
export interface BarSeries {
  readonly name: string;
  readonly values: readonly number[];
  /** Which y axis the bars are measured on (default "left"); use "right" for a second unit. */
  readonly axis?: "left" | "right";
  /** Written after the value labels and in the legend, e.g. "ms". */
  readonly unit?: string;
}

/** Categories along the x axis and the series drawn for each. */
export interface BarChartData {
  readonly categories: readonly (string | number)[];
  readonly series: readonly BarSeries[];
}

/** Options of `barChartSvg`. */
export interface BarChartSvgOptions {
  /** Picture size in px (default: 640, or more for many bars, × 360). */
  width?: number;
  height?: number;
  title?: string;
  xLabel?: string;
  /** Label of the left axis. */
  yLabel?: string;
  /** Label of the right axis (when a series has axis: "right"). */
  yLabelRight?: string;
  /** Write each bar's value above it when there is room (default true). */
  valueLabels?: boolean;
}

/**
 * Draws a grouped bar chart and returns the SVG markup. A plain record draws one bar per key.
 *
 * ```ts
 * tslab.display.html(barChartSvg({
 *   categories: [50, 100, 200, 400],            // failure-detector timeout (ms)
 *   series: [
 *     { name: "needless failovers", values: [9, 4, 1, 0] },
 *     { name: "downtime", values: [60, 110, 210, 420], axis: "right", unit: "ms" },
 *   ],
 * }, { title: "Timeout trade-off", xLabel: "timeout (ms)", yLabel: "failovers", yLabelRight: "downtime (ms)" }));
 *
 * tslab.display.html(barChartSvg({ a: 3, b: 5, c: 1 }, { title: "writes per node" }));
 * ```
 */
export function barChartSvg(data: BarChartData | Readonly<Record<string, number>>, options: BarChartSvgOptions = {}): string {
  const where = "barChartSvg";
  const { categories, series, single } = normalizeBars(data, where);
  requirePositive(options.width, `${where}: width`);
  requirePositive(options.height, `${where}: height`);
  const barCount = categories.length * series.length;
  const width = options.width ?? Math.max(640, 120 + barCount * 26 + categories.length * 14);
  const height = options.height ?? 360;
  const hasRight = series.some((s) => s.axis === "right");

  const legendItems: LegendItem[] = single
    ? []
    : series.map((s, i) => ({
        label: `${s.name}${s.unit ? ` (${s.unit})` : ""}${hasRight ? (s.axis === "right" ? " → right axis" : " ← left axis") : ""}`,
        sample: (x, y) => el("rect", { x, y: y - 6, width: 24, height: 12, fill: seriesStyle(i).color }),
      }));
  const titleHeight = options.title === undefined ? 8 : 32;
  const legend = legendRows(legendItems, 64, titleHeight, width - 16);
  const area: PlotArea = {
    left: 64,
    top: titleHeight + legend.height + 14,
    right: width - (hasRight ? 64 : 20),
    bottom: height - (options.xLabel === undefined ? 30 : 46),
  };
  if (area.bottom - area.top < 40 || area.right - area.left < 40) {
    throw new VizInputError(`${where}: ${width}×${height} px leaves no room for the bars; use a larger width/height.`);
  }

  const maxTicks = Math.max(2, Math.floor((area.bottom - area.top) / 45));
  const axisOf = (side: "left" | "right") => {
    const vs = series.filter((s) => (s.axis ?? "left") === side).flatMap((s) => s.values);
    const lo = Math.min(0, ...vs);
    const hi = Math.max(0, ...vs);
    const { ticks, decimals } = axisTicks(lo, hi === lo ? lo + 1 : hi, maxTicks);
    const scale = linearScale(ticks[0]!, ticks[ticks.length - 1]!, area.bottom, area.top);
    return { ticks, decimals, scale };
  };
  const left = axisOf("left");
  const right = hasRight ? axisOf("right") : undefined;

  const parts: string[] = [axisTitles(width, area, options), legend.markup];
  parts.push(yAxis(area, left.ticks, left.decimals, left.scale, "left", true));
  if (right) parts.push(yAxis(area, right.ticks, right.decimals, right.scale, "right", false));

  const groupWidth = (area.right - area.left) / Math.max(1, categories.length);
  const barWidth = (groupWidth * 0.78) / series.length;
  const showValues = options.valueLabels ?? true;
  const maxCategoryChars = Math.max(3, Math.floor(groupWidth / (11 * SANS_CHAR_WIDTH)));
  categories.forEach((category, c) => {
    const groupLeft = area.left + groupWidth * c + groupWidth * 0.11;
    let g = "";
    series.forEach((s, i) => {
      const v = s.values[c]!;
      const scale = s.axis === "right" ? right!.scale : left.scale;
      const zero = scale(0);
      const top = scale(v);
      const x = groupLeft + barWidth * i;
      const tip = `${s.name} at ${category}: ${formatNumber(v)}${s.unit ? " " + s.unit : ""}`;
      g += el(
        "rect",
        { x: x + 1, y: Math.min(zero, top), width: Math.max(1, barWidth - 2), height: Math.max(v === 0 ? 0 : 1, Math.abs(zero - top)), fill: seriesStyle(i).color },
        tooltip(tip),
      );
      const label = formatNumber(v);
      if (showValues && label.length * 10 * SANS_CHAR_WIDTH <= barWidth + 6) {
        const ly = v >= 0 ? top - 4 : top + 12;
        g += el("text", { x: x + barWidth / 2, y: ly, "text-anchor": "middle", "font-size": 10, fill: "#333333" }, text(label));
      }
    });
    g += el(
      "text",
      { x: area.left + groupWidth * (c + 0.5), y: area.bottom + 17, "text-anchor": "middle", "font-size": 11, fill: "#444444" },
      text(truncate(String(category), maxCategoryChars)),
    );
    parts.push(el("g", { "data-category": String(category) }, g));
  });
  // The baseline at zero, drawn over the bars.
  const zeroY = left.scale(0);
  parts.push(el("path", { d: `M${num(area.left)} ${num(zeroY)} H${num(area.right)}`, stroke: "#555555", "stroke-width": 1, fill: "none" }));
  return svgDocument(width, height, options.title ?? "bar chart", "\n" + parts.join("\n") + "\n");
}

function normalizeBars(
  data: BarChartData | Readonly<Record<string, number>>,
  where: string,
): { categories: (string | number)[]; series: BarSeries[]; single: boolean } {
  if (data === null || typeof data !== "object") {
    throw new VizInputError(`${where}: pass { categories: [...], series: [{ name, values }] } or a record { label: value }.`);
  }
  if (Array.isArray((data as BarChartData).categories) || Array.isArray((data as BarChartData).series)) {
    const d = data as BarChartData;
    if (!Array.isArray(d.categories) || !Array.isArray(d.series) || d.series.length === 0) {
      throw new VizInputError(`${where}: needs both categories: [...] and series: [{ name, values }] (at least one series).`);
    }
    d.series.forEach((s, i) => {
      if (s === null || typeof s !== "object" || typeof s.name !== "string" || !Array.isArray(s.values)) {
        throw new VizInputError(`${where}: series #${i} must look like { name: "downtime", values: [...] }.`);
      }
      if (s.values.length !== d.categories.length) {
        throw new VizInputError(
          `${where}: series "${s.name}" has ${s.values.length} values for ${d.categories.length} categories; give one value per category.`,
        );
      }
      (s.values as readonly unknown[]).forEach((v: unknown, j: number) => {
        if (typeof v !== "number" || !Number.isFinite(v)) {
          throw new VizInputError(`${where}: series "${s.name}" value #${j} is ${String(v)}; values must be finite numbers.`);
        }
      });
      if (s.axis !== undefined && s.axis !== "left" && s.axis !== "right") {
        throw new VizInputError(`${where}: series "${s.name}" axis must be "left" or "right", got ${JSON.stringify(s.axis)}.`);
      }
    });
    return { categories: [...d.categories], series: [...d.series], single: false };
  }
  const entries = Object.entries(data as Readonly<Record<string, number>>);
  if (entries.length === 0) throw new VizInputError(`${where}: nothing to draw; the record has no entries.`);
  for (const [k, v] of entries) {
    if (typeof v !== "number" || !Number.isFinite(v)) throw new VizInputError(`${where}: "${k}" is ${String(v)}; values must be finite numbers.`);
  }
  return { categories: entries.map(([k]) => k), series: [{ name: "value", values: entries.map(([, v]) => v) }], single: true };
}
