/**
 * SVG line charts for notebooks: axes with nice ticks, grid lines, a legend, one colour, dash
 * pattern and marker shape per series (so they stay apart in print and for colour-blind readers).
 */
import { VizInputError, requirePositive, requireYRange } from "../errors";
import { formatNumber } from "../format";
import { linearScale } from "../scale";
import { el, num, svgDocument, text, tooltip } from "../svg";
import { axisTicks, axisTitles, legendRows, seriesStyle, xAxisNumeric, yAxis, type LegendItem, type PlotArea } from "./frame_svg";
import { normalizeSeries, type LineChartCommonOptions, type Point, type SeriesInput } from "./series";

/** Options of `lineChartSvg`. */
export interface LineChartSvgOptions extends LineChartCommonOptions {
  /** Picture size in px (default 640 × 360). */
  width?: number;
  height?: number;
  /** Draw a marker on every point (default: when no series has more than 40 points). */
  markers?: boolean;
}

/**
 * Draws series as an SVG line chart and returns the markup.
 *
 * ```ts
 * tslab.display.html(lineChartSvg(valuePerNodeOverTime(samples, { bucketMs: 50 }), {
 *   title: "Commit index per node", xLabel: "time (ms)", yLabel: "index", interpolate: "step",
 * }));
 * ```
 */
export function lineChartSvg(series: SeriesInput, options: LineChartSvgOptions = {}): string {
  const where = "lineChartSvg";
  const all = normalizeSeries(series, where);
  requirePositive(options.width, `${where}: width`);
  requirePositive(options.height, `${where}: height`);
  const interpolate = options.interpolate ?? "linear";
  if (interpolate !== "linear" && interpolate !== "step") {
    throw new VizInputError(`${where}: interpolate must be "linear" or "step", got ${JSON.stringify(interpolate)}.`);
  }
  requireYRange(options.min, options.max, where);
  const width = options.width ?? 640;
  const height = options.height ?? 360;
  const markers = options.markers ?? all.every((s) => s.points.length <= 40);

  const legendItems: LegendItem[] = all.map((s, i) => {
    const { color, dash } = seriesStyle(i);
    return {
      label: s.name,
      sample: (x, y) =>
        el("path", { d: `M${num(x)} ${num(y)} H${num(x + 24)}`, stroke: color, "stroke-width": 2, "stroke-dasharray": dash, fill: "none" }) +
        (markers ? marker(i, x + 12, y, color) : ""),
    };
  });
  const titleHeight = options.title === undefined ? 8 : 32;
  const legend = legendRows(legendItems, 64, titleHeight, width - 16);
  const area: PlotArea = {
    left: 64,
    top: titleHeight + legend.height + 10,
    right: width - 20,
    bottom: height - (options.xLabel === undefined ? 30 : 46),
  };
  if (area.bottom - area.top < 40 || area.right - area.left < 60) {
    throw new VizInputError(`${where}: ${width}×${height} px leaves no room for the plot; use a larger width/height.`);
  }

  const points = all.flatMap((s) => s.points);
  const parts: string[] = [axisTitles(width, area, options), legend.markup];
  if (points.length === 0) {
    parts.push(
      el("rect", { x: area.left, y: area.top, width: area.right - area.left, height: area.bottom - area.top, fill: "none", stroke: "#cccccc" }),
      el("text", { x: (area.left + area.right) / 2, y: (area.top + area.bottom) / 2, "text-anchor": "middle", fill: "#777777" }, text("(no data)")),
    );
    return svgDocument(width, height, options.title ?? "line chart", parts.join("\n"));
  }

  let xMin = Number.POSITIVE_INFINITY;
  let xMax = Number.NEGATIVE_INFINITY;
  let yLo = Number.POSITIVE_INFINITY;
  let yHi = Number.NEGATIVE_INFINITY;
  for (const [x, y] of points) {
    xMin = Math.min(xMin, x);
    xMax = Math.max(xMax, x);
    yLo = Math.min(yLo, y);
    yHi = Math.max(yHi, y);
  }
  const maxYTicks = Math.max(2, Math.floor((area.bottom - area.top) / 45));
  const auto = axisTicks(options.min ?? yLo, options.max ?? yHi, maxYTicks);
  const yMin = options.min ?? auto.ticks[0]!;
  const yMax = options.max ?? auto.ticks[auto.ticks.length - 1]!;
  const yTicks = auto.ticks.filter((t) => t >= yMin - 1e-9 && t <= yMax + 1e-9);
  const yScale = linearScale(yMin, yMax, area.bottom, area.top);
  const x = xAxisNumeric(area, xMin, xMax === xMin ? xMin + 1 : xMax);

  parts.push(yAxis(area, yTicks, auto.decimals, yScale, "left", true), x.markup);
  all.forEach((s, i) => {
    if (s.points.length === 0) return;
    const { color, dash } = seriesStyle(i);
    const clampY = (v: number) => yScale(Math.min(yMax, Math.max(yMin, v)));
    const path = linePath(s.points, x.scale, clampY, interpolate);
    let g = tooltip(s.name) + el("path", { d: path, stroke: color, "stroke-width": 2, "stroke-dasharray": dash, "stroke-linejoin": "round", fill: "none" });
    if (markers) {
      for (const [px, py] of s.points) {
        g += el("g", {}, tooltip(`${s.name}: (${formatNumber(px)}, ${formatNumber(py)})`) + marker(i, x.scale(px), clampY(py), color));
      }
    }
    parts.push(el("g", { "data-series": s.name }, g));
  });
  return svgDocument(width, height, options.title ?? "line chart", "\n" + parts.join("\n") + "\n");
}

function linePath(points: readonly Point[], sx: (v: number) => number, sy: (v: number) => number, interpolate: "linear" | "step"): string {
  let d = `M${num(sx(points[0]![0]))} ${num(sy(points[0]![1]))}`;
  for (let k = 1; k < points.length; k++) {
    const [x, y] = points[k]!;
    if (interpolate === "step") d += ` H${num(sx(x))} V${num(sy(y))}`;
    else d += ` L${num(sx(x))} ${num(sy(y))}`;
  }
  return d;
}

/** Series i's marker: circle, square, triangle, diamond, then again. */
export function marker(i: number, x: number, y: number, color: string): string {
  switch (i % 4) {
    case 0:
      return el("circle", { cx: x, cy: y, r: 3.2, fill: color });
    case 1:
      return el("rect", { x: x - 3, y: y - 3, width: 6, height: 6, fill: color });
    case 2:
      return el("polygon", { points: `${num(x)},${num(y - 4)} ${num(x + 3.8)},${num(y + 3)} ${num(x - 3.8)},${num(y + 3)}`, fill: color });
    default:
      return el("polygon", { points: `${num(x)},${num(y - 4)} ${num(x + 4)},${num(y)} ${num(x)},${num(y + 4)} ${num(x - 4)},${num(y)}`, fill: color });
  }
}
