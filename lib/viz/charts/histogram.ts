/**
 * Text histograms: how values are distributed (latencies, staleness, failover times), as
 * horizontal bars with the bin ranges and counts written out.
 */
import { VizInputError, requirePositive } from "../errors";
import { fixed, formatNumber, padLeft, textWidth } from "../format";
import { niceStep, stepDecimals } from "../scale";

/** Options of `histogram` and `histogramBins`. */
export interface HistogramOptions {
  /**
   * Number of bins (default: Sturges' rule, 1 + log2(n), between 5 and 20; the edges are rounded
   * to nice numbers so the actual count can differ by one or two), or the bin edges themselves
   * in increasing order.
   */
  bins?: number | readonly number[];
  /** Longest bar in characters (default 40). */
  width?: number;
  title?: string;
  /** Unit written after the ranges and statistics, e.g. "ms". */
  unit?: string;
  /** Append count, min, percentiles, max and mean (default true). */
  stats?: boolean;
}

/** Bins of a histogram: bin i holds values in [edges[i], edges[i+1]), the last one also its upper edge. */
export interface HistogramBins {
  readonly edges: readonly number[];
  readonly counts: readonly number[];
  /** Values below the first edge or above the last (only with explicit edges). */
  readonly below: number;
  readonly above: number;
  /** Decimals that print the edges exactly. */
  readonly decimals: number;
}

/** Sorts values into bins (see `histogram`); useful on its own to test or to draw elsewhere. */
export function histogramBins(values: readonly number[], options: Pick<HistogramOptions, "bins"> = {}): HistogramBins {
  const where = "histogramBins";
  checkValues(values, where);
  const bins = options.bins;
  if (Array.isArray(bins)) {
    const edges = bins as readonly number[];
    if (edges.length < 2) throw new VizInputError(`${where}: bins as edges needs at least two numbers, e.g. [0, 10, 20].`);
    for (let i = 0; i < edges.length; i++) {
      if (!Number.isFinite(edges[i]) || (i > 0 && !(edges[i]! > edges[i - 1]!))) {
        throw new VizInputError(`${where}: bin edges must be finite and strictly increasing, got ${JSON.stringify(edges)}.`);
      }
    }
    const counts = new Array<number>(edges.length - 1).fill(0);
    let below = 0;
    let above = 0;
    for (const v of values) {
      if (v < edges[0]!) below++;
      else if (v > edges[edges.length - 1]!) above++;
      else counts[binOf(edges, v)]!++;
    }
    return { edges: [...edges], counts, below, above, decimals: Math.max(...edges.map(decimalsOf)) };
  }
  if (bins !== undefined && (typeof bins !== "number" || !Number.isInteger(bins) || bins < 1)) {
    throw new VizInputError(`${where}: bins must be a whole number >= 1 or an array of edges, got ${JSON.stringify(bins)}.`);
  }
  if (values.length === 0) return { edges: [], counts: [], below: 0, above: 0, decimals: 0 };
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const target = (bins as number | undefined) ?? Math.min(20, Math.max(5, Math.ceil(1 + Math.log2(values.length))));
  const step = niceStep(max - min, target);
  const decimals = stepDecimals(step);
  const start = Math.floor(min / step + 1e-9) * step;
  const n = Math.max(1, Math.ceil((max - start) / step - 1e-9));
  const edges = Array.from({ length: n + 1 }, (_, i) => Number((start + i * step).toFixed(decimals)));
  // With rounding the last edge can fall a hair short of max: make sure max is inside.
  if (edges[n]! < max) edges[n] = max;
  const counts = new Array<number>(n).fill(0);
  for (const v of values) counts[binOf(edges, v)]!++;
  return { edges, counts, below: 0, above: 0, decimals };
}

/**
 * Draws a text histogram.
 *
 * ```ts
 * const latencies = sim.history.ops.filter((op) => op.completeMs !== undefined).map((op) => op.completeMs! - op.invokeMs);
 * console.log(histogram(latencies, { title: "read latency", unit: "ms", width: 24 }));
 * // read latency
 * // [0,  2) ms │█████████▋               2
 * // [2,  4) ms │████████████████████████ 5
 * // [4,  6) ms │█████████▋               2
 * // [6,  8) ms │                         0
 * // [8, 10] ms │████▊                    1
 * // n=10  min 0.80  p50 3.10  p90 5.20  p99 9.60  max 9.60  mean 3.67 ms
 * ```
 */
export function histogram(values: readonly number[], options: HistogramOptions = {}): string {
  const where = "histogram";
  checkValues(values, where);
  requirePositive(options.width, `${where}: width`);
  const width = Math.max(1, Math.round(options.width ?? 40));
  const unit = options.unit === undefined || options.unit === "" ? "" : ` ${options.unit}`;
  const lines: string[] = [];
  if (options.title !== undefined) lines.push(options.title);
  const bins = histogramBins(values, options);
  if (values.length === 0 && bins.counts.length === 0) {
    lines.push("(no values)");
    return lines.join("\n");
  }

  const lo = bins.edges.slice(0, -1).map((e) => fixed(e, bins.decimals));
  const hi = bins.edges.slice(1).map((e) => fixed(e, bins.decimals));
  const loWidth = Math.max(...lo.map(textWidth));
  const hiWidth = Math.max(...hi.map(textWidth));
  const maxCount = Math.max(1, ...bins.counts);
  const countWidth = Math.max(...bins.counts.map((c) => String(c).length));
  bins.counts.forEach((count, i) => {
    const close = i === bins.counts.length - 1 ? "]" : ")";
    const range = `[${padLeft(lo[i]!, loWidth)}, ${padLeft(hi[i]!, hiWidth)}${close}${unit}`;
    const bar = bar8(count / maxCount, width);
    lines.push(`${range} │${bar}${" ".repeat(width - textWidth(bar))} ${padLeft(String(count), countWidth)}`);
  });
  if (bins.below > 0 || bins.above > 0) {
    lines.push(`outside the bins: ${bins.below} below ${fixed(bins.edges[0]!, bins.decimals)}, ${bins.above} above ${fixed(bins.edges[bins.edges.length - 1]!, bins.decimals)}`);
  }
  if ((options.stats ?? true) && values.length > 0) lines.push(statsLine(values, unit));
  return lines.join("\n");
}

/** Count, min, p50, p90, p99 (nearest rank), max and mean on one line ("n=0" for no values). */
export function statsLine(values: readonly number[], unit = ""): string {
  checkValues(values, "statsLine");
  if (values.length === 0) return "n=0";
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
  const mean = sorted.reduce((a, v) => a + v, 0) / sorted.length;
  return (
    `n=${sorted.length}  min ${formatNumber(sorted[0]!)}  p50 ${formatNumber(rank(0.5))}  p90 ${formatNumber(rank(0.9))}  ` +
    `p99 ${formatNumber(rank(0.99))}  max ${formatNumber(sorted[sorted.length - 1]!)}  mean ${formatNumber(mean)}${unit}`
  );
}

function checkValues(values: readonly number[], where: string): void {
  if (!Array.isArray(values)) throw new VizInputError(`${where}: values must be an array of numbers.`);
  values.forEach((v, i) => {
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new VizInputError(`${where}: value #${i} is ${String(v)}; every value must be a finite number (filter out missing ones first).`);
    }
  });
}

/** Index of the bin holding v; the last bin includes its upper edge. */
function binOf(edges: readonly number[], v: number): number {
  let lo = 0;
  let hi = edges.length - 2;
  // Binary search for the last edge <= v.
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (edges[mid]! <= v) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function decimalsOf(x: number): number {
  const s = String(x);
  if (s.includes("e")) return 6;
  const dot = s.indexOf(".");
  return dot < 0 ? 0 : Math.min(6, s.length - dot - 1);
}

/** A bar of `fraction` × `width` characters, in eighths of a character. */
function bar8(fraction: number, width: number): string {
  const eighths = Math.round(fraction * width * 8);
  const partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"][eighths % 8]!;
  return "█".repeat(Math.floor(eighths / 8)) + partial;
}
