/**
 * The parts every SVG chart shares: title, legend, plot rectangle, axes with tick labels and
 * grid lines, axis labels.
 */
import { fixed, formatNumber } from "../format";
import { linearScale, niceTicks, stepDecimals } from "../scale";
import { DASHES, PALETTE, SANS_CHAR_WIDTH, el, num, text } from "../svg";

/** Where the plot area is, in px. */
export interface PlotArea {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** One legend entry; `sample` draws its swatch in a 24×12 box whose left-middle is (x, y). */
export interface LegendItem {
  label: string;
  sample: (x: number, y: number) => string;
}

/** The colour and dash pattern of series `i`. */
export function seriesStyle(i: number): { color: string; dash: string | undefined } {
  return { color: PALETTE[i % PALETTE.length]!, dash: DASHES[i % DASHES.length] };
}

/** Legend rows starting at (left, top), wrapping at `maxRight`; returns markup and height used. */
export function legendRows(items: readonly LegendItem[], left: number, top: number, maxRight: number): { markup: string; height: number } {
  if (items.length === 0) return { markup: "", height: 0 };
  const rowHeight = 18;
  let x = left;
  let y = top + 9;
  const out: string[] = [];
  for (const item of items) {
    const w = 30 + item.label.length * 11 * SANS_CHAR_WIDTH + 16;
    if (x + w > maxRight && x > left) {
      x = left;
      y += rowHeight;
    }
    out.push(item.sample(x, y) + el("text", { x: x + 30, y: y + 4, "font-size": 11, fill: "#333333" }, text(item.label)));
    x += w;
  }
  return { markup: el("g", { "data-part": "legend" }, out.join("")), height: y - top + rowHeight - 9 + 4 };
}

/** Ticks of a numeric axis inside [min, max], with the decimals that print them cleanly. */
export function axisTicks(min: number, max: number, maxTicks: number): { ticks: number[]; decimals: number } {
  const ticks = niceTicks(min, max, maxTicks);
  const decimals = ticks.length > 1 ? stepDecimals(ticks[1]! - ticks[0]!) : 0;
  return { ticks, decimals };
}

/** Grid lines and tick labels of a y axis on the left or right edge of the plot. */
export function yAxis(area: PlotArea, ticks: readonly number[], decimals: number, scale: (v: number) => number, side: "left" | "right", grid: boolean): string {
  const x = side === "left" ? area.left : area.right;
  let gridPath = "";
  let tickPath = "";
  const labels: string[] = [];
  for (const t of ticks) {
    const y = scale(t);
    if (grid) gridPath += `M${num(area.left)} ${num(y)} H${num(area.right)} `;
    tickPath += side === "left" ? `M${num(x - 4)} ${num(y)} H${num(x)} ` : `M${num(x)} ${num(y)} H${num(x + 4)} `;
    labels.push(
      el("text", { x: side === "left" ? x - 7 : x + 7, y: y + 4, "text-anchor": side === "left" ? "end" : "start", "font-size": 11, fill: "#444444" }, text(fixed(t, decimals))),
    );
  }
  return (
    (gridPath ? el("path", { d: gridPath.trim(), stroke: "#e8e8e8", "stroke-width": 1, fill: "none" }) : "") +
    el("path", { d: `M${num(x)} ${num(area.top)} V${num(area.bottom)}`, stroke: "#555555", "stroke-width": 1, fill: "none" }) +
    el("path", { d: tickPath.trim(), stroke: "#555555", "stroke-width": 1, fill: "none" }) +
    labels.join("")
  );
}

/** A numeric x axis along the bottom of the plot. */
export function xAxisNumeric(area: PlotArea, min: number, max: number): { markup: string; scale: (v: number) => number } {
  const scale = linearScale(min, max, area.left, area.right);
  const { ticks, decimals } = axisTicks(min, max, Math.max(2, Math.floor((area.right - area.left) / 80)));
  let tickPath = "";
  const labels: string[] = [];
  for (const t of ticks) {
    if (t < min - 1e-9 * Math.abs(max - min) || t > max + 1e-9 * Math.abs(max - min)) continue;
    const x = scale(t);
    tickPath += `M${num(x)} ${num(area.bottom)} V${num(area.bottom + 4)} `;
    labels.push(el("text", { x, y: area.bottom + 17, "text-anchor": "middle", "font-size": 11, fill: "#444444" }, text(decimals > 0 ? fixed(t, decimals) : formatNumber(t))));
  }
  const markup =
    el("path", { d: `M${num(area.left)} ${num(area.bottom)} H${num(area.right)}`, stroke: "#555555", "stroke-width": 1, fill: "none" }) +
    (tickPath ? el("path", { d: tickPath.trim(), stroke: "#555555", "stroke-width": 1, fill: "none" }) : "") +
    labels.join("");
  return { markup, scale };
}

/** Title centred at the top, x label under the axis, y labels rotated beside their axes. */
export function axisTitles(
  width: number,
  area: PlotArea,
  titles: { title?: string; xLabel?: string; yLabel?: string; yLabelRight?: string },
): string {
  const out: string[] = [];
  if (titles.title !== undefined) {
    out.push(el("text", { x: width / 2, y: 20, "text-anchor": "middle", "font-size": 15, "font-weight": "bold", fill: "#222222" }, text(titles.title)));
  }
  if (titles.xLabel !== undefined) {
    out.push(el("text", { x: (area.left + area.right) / 2, y: area.bottom + 36, "text-anchor": "middle", "font-size": 12, fill: "#333333" }, text(titles.xLabel)));
  }
  const midY = (area.top + area.bottom) / 2;
  if (titles.yLabel !== undefined) {
    out.push(
      el("text", { x: 16, y: midY, "text-anchor": "middle", "font-size": 12, fill: "#333333", transform: `rotate(-90 16 ${num(midY)})` }, text(titles.yLabel)),
    );
  }
  if (titles.yLabelRight !== undefined) {
    const x = width - 14;
    out.push(
      el("text", { x, y: midY, "text-anchor": "middle", "font-size": 12, fill: "#333333", transform: `rotate(90 ${num(x)} ${num(midY)})` }, text(titles.yLabelRight)),
    );
  }
  return out.join("");
}
