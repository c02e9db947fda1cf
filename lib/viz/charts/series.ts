/**
 * The data the charts draw: named series of (x, y) points, and helpers that turn raw samples
 * into such series.
 */
import { VizInputError, requirePositive, requireWindow } from "../errors";

/** A point as [x, y]. */
export type Point = readonly [number, number];

/** One line of a chart. */
export interface Series {
  readonly name: string;
  /** Points in increasing x order (they are sorted if not). */
  readonly points: readonly Point[];
}

/**
 * What the line charts accept: a list of series, or a record of name → values where the x of a
 * value is its index (`{ a: [1, 2, 3], b: [2, 2, 1] }`).
 */
export type SeriesInput = readonly Series[] | Readonly<Record<string, readonly number[]>>;

/**
 * Validates and normalises chart input: every series named, every number finite, points sorted
 * by x (stable, so equal x keep their order). Throws VizInputError naming the bad value.
 */
export function normalizeSeries(input: SeriesInput, where: string): Series[] {
  if (input === null || typeof input !== "object") {
    throw new VizInputError(`${where}: pass series as [{ name, points: [[x, y], ...] }] or as { name: [y0, y1, ...] }.`);
  }
  const list: Series[] = Array.isArray(input)
    ? (input as readonly Series[]).map((s) => s)
    : Object.entries(input as Readonly<Record<string, readonly number[]>>).map(([name, ys]) => {
        if (!Array.isArray(ys)) throw new VizInputError(`${where}: series "${name}" must be an array of numbers.`);
        return { name, points: ys.map((y, i): Point => [i, y]) };
      });
  return list.map((s, i) => {
    if (s === null || typeof s !== "object" || typeof s.name !== "string" || !Array.isArray(s.points)) {
      throw new VizInputError(`${where}: series #${i} must look like { name: "a", points: [[x, y], ...] }.`);
    }
    s.points.forEach((p, j) => {
      if (!Array.isArray(p) || p.length !== 2 || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) {
        throw new VizInputError(
          `${where}: series "${s.name}" point #${j} must be [x, y] with finite numbers, got ${JSON.stringify(p)}.`,
        );
      }
    });
    const points = [...s.points].map((p, j) => ({ p, j })).sort((a, b) => a.p[0] - b.p[0] || a.j - b.j).map((q) => q.p);
    return { name: s.name, points };
  });
}

/** One observation of a node's value, e.g. its commit index at some moment. */
export interface NodeSample {
  readonly timeMs: number;
  readonly node: string;
  readonly value: number;
}

/** How the samples of one node in one time bucket become one value. */
export type BucketAggregate = "last" | "mean" | "min" | "max" | "sum" | "count";

/** Options of `valuePerNodeOverTime`. */
export interface ValuePerNodeOptions {
  /** Width of a time bucket in ms (required: it sets the chart's resolution). */
  bucketMs: number;
  /**
   * How a bucket's samples combine (default "last": the node's value at the end of the bucket,
   * carried over empty buckets because a state persists until it changes). "sum" and "count"
   * give 0 for an empty bucket; "mean", "min" and "max" leave it out.
   */
  aggregate?: BucketAggregate;
  /** Series order and selection (default: nodes in order of their first sample). */
  nodes?: readonly string[];
  /** First bucket starts here (default: the earliest sample, rounded down to a bucket edge). */
  fromMs?: number;
  /** Last bucket contains this time (default: the latest sample). */
  toMs?: number;
}

const MAX_BUCKETS = 100_000;

/**
 * Turns samples such as `{ timeMs, node, value }` into one series per node with one point per
 * time bucket (x = the bucket's start time), ready for `lineChart` or `lineChartSvg`.
 *
 * ```ts
 * const samples = [];
 * for (let t = 0; t <= 1000; t += 50) {
 *   sim.run({ untilMs: t });
 *   for (const id of sim.nodes) samples.push({ timeMs: t, node: id, value: sim.logic(id).commitIndex });
 * }
 * console.log(lineChart(valuePerNodeOverTime(samples, { bucketMs: 100 }), { title: "commit index" }));
 * ```
 */
export function valuePerNodeOverTime(samples: readonly NodeSample[], options: ValuePerNodeOptions): Series[] {
  const where = "valuePerNodeOverTime";
  if (!Array.isArray(samples)) throw new VizInputError(`${where}: samples must be an array of { timeMs, node, value }.`);
  if (options === null || typeof options !== "object" || options.bucketMs === undefined) {
    throw new VizInputError(`${where}: pass { bucketMs } (the width of a time bucket in ms, e.g. 100).`);
  }
  requirePositive(options.bucketMs, `${where}: bucketMs`);
  requireWindow(options.fromMs, options.toMs, where);
  const aggregate = options.aggregate ?? "last";
  if (!["last", "mean", "min", "max", "sum", "count"].includes(aggregate)) {
    throw new VizInputError(`${where}: aggregate must be one of last, mean, min, max, sum, count; got ${JSON.stringify(aggregate)}.`);
  }
  samples.forEach((s, i) => {
    if (s === null || typeof s !== "object" || typeof s.node !== "string" || !Number.isFinite(s.timeMs) || !Number.isFinite(s.value)) {
      throw new VizInputError(`${where}: sample #${i} must be { timeMs, node, value } with finite numbers, got ${JSON.stringify(s)}.`);
    }
  });
  const bucketMs = options.bucketMs;
  const inRange = samples.filter(
    (s) => (options.fromMs === undefined || s.timeMs >= options.fromMs) && (options.toMs === undefined || s.timeMs <= options.toMs),
  );
  const nodes = options.nodes ?? [...new Set(inRange.map((s) => s.node))];
  if (inRange.length === 0) return nodes.map((name) => ({ name, points: [] }));

  // A loop, not Math.min(...xs): spreading a long array overflows the call stack.
  let minT = Number.POSITIVE_INFINITY;
  let latest = Number.NEGATIVE_INFINITY;
  for (const s of inRange) {
    minT = Math.min(minT, s.timeMs);
    latest = Math.max(latest, s.timeMs);
  }
  const maxT = options.toMs ?? latest;
  const start = options.fromMs ?? Math.floor(minT / bucketMs) * bucketMs;
  const buckets = Math.floor((maxT - start) / bucketMs) + 1;
  if (buckets > MAX_BUCKETS) {
    throw new VizInputError(`${where}: ${buckets} buckets of ${bucketMs} ms is too many to draw; use a larger bucketMs.`);
  }

  // Samples are sorted by time (stable) so "last" means the latest observation in a bucket.
  const sorted = inRange.map((s, i) => ({ s, i })).sort((a, b) => a.s.timeMs - b.s.timeMs || a.i - b.i).map((q) => q.s);
  return nodes.map((name) => {
    const perBucket: number[][] = Array.from({ length: buckets }, () => []);
    for (const s of sorted) {
      if (s.node !== name) continue;
      const b = Math.min(buckets - 1, Math.floor((s.timeMs - start) / bucketMs));
      perBucket[b]!.push(s.value);
    }
    const points: Point[] = [];
    let seen = false;
    let last = 0;
    for (let b = 0; b < buckets; b++) {
      const vs = perBucket[b]!;
      const x = start + b * bucketMs;
      if (vs.length > 0) seen = true;
      if (!seen) continue; // no line before a node's first sample
      switch (aggregate) {
        case "last":
          if (vs.length > 0) last = vs[vs.length - 1]!;
          points.push([x, last]);
          break;
        case "sum":
          points.push([x, vs.reduce((a, v) => a + v, 0)]);
          break;
        case "count":
          points.push([x, vs.length]);
          break;
        case "mean":
          if (vs.length > 0) points.push([x, vs.reduce((a, v) => a + v, 0) / vs.length]);
          break;
        case "min":
          if (vs.length > 0) points.push([x, Math.min(...vs)]);
          break;
        case "max":
          if (vs.length > 0) points.push([x, Math.max(...vs)]);
          break;
      }
    }
    return { name, points };
  });
}

/** Options shared by the text and SVG line charts (`lineChart`, `lineChartSvg`). */
export interface LineChartCommonOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Fix the y range instead of fitting it to the data. */
  min?: number;
  max?: number;
  /**
   * Between two points: "linear" draws the straight line, "step" holds the earlier value until
   * the next point (right for states such as a commit index). Default "linear".
   */
  interpolate?: "linear" | "step";
}
