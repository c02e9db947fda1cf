/**
 * A history drawn as a timeline: one lane per client, one bar per operation from its invocation
 * to its answer. Unknown outcomes trail off to the right (they may take effect any time later),
 * failed operations are drawn faintly. Given a check result, the operations where the search got
 * stuck are highlighted, and the linearizable prefix is numbered in the order found.
 */
import { VizInputError } from "../../viz/errors";
import { padLeft, padRight, textWidth, truncate } from "../../viz/format";
import { linearScale, niceTicks } from "../../viz/scale";
import { FONT_MONO, MONO_CHAR_WIDTH, PALETTE, el, svgDocument, text, tooltip } from "../../viz/svg";
import type { CheckResult } from "./check";
import type { CheckedOp } from "./model";

/** Options of `historyTimelineText` and `historyTimelineSvg`. */
export interface HistoryTimelineOptions {
  /** A check result of these operations: highlights where it got stuck and numbers the prefix. */
  result?: CheckResult;
  /** Only operations of this partition key (e.g. one kv key); default: all. */
  key?: string;
  /** Only operations invoked at or after this time, or still running then. */
  fromMs?: number;
  /** Only operations invoked at or before this time. */
  toMs?: number;
  /** Labels of the operations; default `f(input) → output` as the result describes them. */
  describe?: (op: CheckedOp) => string;
  /** Most operations to draw (default 200); the earliest are kept. */
  limit?: number;
  /** Text only: columns of the time axis (default 72). SVG: width in pixels (default 720). */
  width?: number;
  /** SVG only: a title shown above the lanes. */
  title?: string;
}

/** How an operation is drawn. */
interface Bar {
  readonly op: CheckedOp;
  readonly label: string;
  readonly start: number;
  /** +∞ for unknown/pending outcomes: the bar runs to the right edge. */
  readonly end: number;
  /** When the timeout or crash was reported (unknown outcomes), if known. */
  readonly gaveUpAt?: number;
  /** "stuck": could not be placed; "candidate": could have come next but did not fit. */
  readonly mark?: "stuck" | "candidate";
  /** Position in the linearizable prefix (or full order), 1-based. */
  readonly order?: number;
}

interface Layout {
  readonly bars: Bar[];
  readonly clients: string[];
  /** Row of each bar within its client's lane (lanes grow when unknown operations overlap). */
  readonly rows: Map<Bar, number>;
  readonly rowsPerClient: Map<string, number>;
  readonly t0: number;
  readonly t1: number;
  readonly omitted: number;
}

function defaultLabel(op: CheckedOp): string {
  const input = op.input === null || op.input === undefined ? "" : JSON.stringify(op.input);
  const out = op.status === "ok" ? (op.output === undefined || op.output === null ? "" : ` → ${JSON.stringify(op.output)}`) : op.status === "fail" ? " ✗" : " ?";
  return `${op.f}(${input})${out}`;
}

function layout(ops: readonly CheckedOp[], options: HistoryTimelineOptions, where: string): Layout {
  if (!Array.isArray(ops)) throw new VizInputError(`${where}: the first argument must be an array of operations, e.g. sim.history.ops.`);
  const limit = options.limit ?? 200;
  if (!(limit > 0)) throw new VizInputError(`${where}: limit must be above 0, got ${limit}.`);
  // What the result says about each operation (by object identity).
  const described = new Map<CheckedOp, { label: string; order?: number; mark?: "stuck" | "candidate"; key: string }>();
  for (const p of options.result?.partitions ?? []) {
    p.ops.forEach((r) => described.set(r.op, { label: r.description, key: p.key }));
    const sequence = p.order?.map((i) => p.ops[i]!) ?? p.failure?.prefix ?? [];
    sequence.forEach((r, i) => (described.get(r.op)!.order = i + 1));
    if (p.failure !== undefined) {
      for (const c of p.failure.candidates) described.get(c.op.op)!.mark = "candidate";
      described.get(p.failure.blocking.op)!.mark = "stuck";
    }
  }
  const chosen = ops.filter((op) => {
    if (options.key !== undefined && described.get(op)?.key !== options.key) return false;
    const end = op.status === "ok" || op.status === "fail" ? (op.completeMs ?? op.invokeMs) : Number.POSITIVE_INFINITY;
    if (options.fromMs !== undefined && end < options.fromMs) return false;
    if (options.toMs !== undefined && op.invokeMs > options.toMs) return false;
    return true;
  });
  const shown = [...chosen].sort((a, b) => a.invokeMs - b.invokeMs || a.id - b.id).slice(0, limit);
  const bars: Bar[] = shown.map((op) => {
    const d = described.get(op);
    const unknown = op.status === "unknown" || op.status === "pending";
    return {
      op,
      label: options.describe?.(op) ?? d?.label ?? defaultLabel(op),
      start: op.invokeMs,
      end: unknown ? Number.POSITIVE_INFINITY : (op.completeMs ?? op.invokeMs),
      ...(unknown && op.completeMs !== undefined ? { gaveUpAt: op.completeMs } : {}),
      ...(d?.mark === undefined ? {} : { mark: d.mark }),
      ...(d?.order === undefined ? {} : { order: d.order }),
    };
  });
  const times = bars.flatMap((b) => [b.start, b.end, b.gaveUpAt ?? b.start]).filter(Number.isFinite);
  const t0 = options.fromMs ?? (times.length > 0 ? Math.min(...times) : 0);
  let t1 = options.toMs ?? (times.length > 0 ? Math.max(...times) : 1);
  if (t1 <= t0) t1 = t0 + 1;
  const clients = Array.from(new Set(bars.map((b) => String(b.op.client)))).sort(naturalCompare);
  const rows = new Map<Bar, number>();
  const rowsPerClient = new Map<string, number>();
  for (const c of clients) {
    const rowEnds: number[] = [];
    for (const b of bars.filter((x) => String(x.op.client) === c)) {
      let row = rowEnds.findIndex((end) => end < b.start);
      if (row < 0) row = rowEnds.length;
      rowEnds[row] = b.end;
      rows.set(b, row);
    }
    rowsPerClient.set(c, Math.max(1, rowEnds.length));
  }
  return { bars, clients, rows, rowsPerClient, t0, t1, omitted: chosen.length - shown.length };
}

/** When the next bar in the same lane row starts, if any. */
function nextStart(l: Layout, b: Bar): number | undefined {
  let best: number | undefined;
  for (const o of l.bars) {
    if (o === b || String(o.op.client) !== String(b.op.client) || l.rows.get(o) !== l.rows.get(b) || o.start < b.end) continue;
    if (best === undefined || o.start < best) best = o.start;
  }
  return best;
}

/** The column where the previous bar in the same lane row ends (-2 when there is none). */
function previousEndCol(l: Layout, b: Bar, col: (t: number) => number): number {
  let best = -2;
  for (const o of l.bars) {
    if (o === b || String(o.op.client) !== String(b.op.client) || l.rows.get(o) !== l.rows.get(b) || o.end > b.start) continue;
    // Leave room for a label that was written after that bar.
    best = Math.max(best, col(o.end) + 1 + textWidth(o.label) + 4);
  }
  return best;
}

function naturalCompare(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (Number.isFinite(na) && Number.isFinite(nb) && na !== nb) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

function formatTime(t: number): string {
  return Number.isInteger(t) ? String(t) : t.toFixed(2);
}

/**
 * The history as text, one line per client (more when its unknown operations overlap later ones):
 *
 * ```text
 *    0                                              100
 * a  [1:write(1)──────────────────────────────────────]
 * b       [────] 2:read() → 1
 * c                 [────] !read() → nil
 * ```
 *
 * `[` invocation, `]` answer, `…?` unknown outcome running on, `✗` failed; `n:` the position in
 * the order the checker found; `!` could not be placed; `~` could have come next but did not fit.
 * A label too long for its bar is written after it (or before it) when the lane has room.
 */
export function historyTimelineText(ops: readonly CheckedOp[], options: HistoryTimelineOptions = {}): string {
  const where = "historyTimelineText";
  const width = options.width ?? 72;
  if (!(width >= 10)) throw new VizInputError(`${where}: width must be at least 10 columns, got ${width}.`);
  const l = layout(ops, options, where);
  if (l.bars.length === 0) return "(no operations)";
  const x = linearScale(l.t0, l.t1, 0, width - 1);
  const col = (t: number) => Math.max(0, Math.min(width - 1, Math.round(x(t))));
  const nameWidth = Math.max(...l.clients.map(textWidth));
  const lines: string[] = [];
  const left = formatTime(l.t0);
  const right = formatTime(l.t1);
  const axisLine = padRight(left, width - textWidth(right)) + right;
  lines.push(`${" ".repeat(nameWidth)}  ${axisLine}`);
  for (const c of l.clients) {
    for (let row = 0; row < l.rowsPerClient.get(c)!; row++) {
      const cells = Array<string>(width).fill(" ");
      for (const b of l.bars) {
        if (String(b.op.client) !== c || l.rows.get(b) !== row) continue;
        const a = col(b.start);
        const unknown = b.end === Number.POSITIVE_INFINITY;
        const z = unknown ? width - 1 : Math.max(col(b.end), a + 1);
        const fill = b.op.status === "fail" ? "·" : "─";
        for (let i = a; i <= z && i < width; i++) cells[i] = fill;
        cells[a] = "[";
        if (z < width) cells[z] = unknown ? "?" : b.op.status === "fail" ? "✗" : "]";
        if (unknown && z - 1 > a) cells[z - 1] = "…";
        const prefix = b.mark === "stuck" ? "!" : b.mark === "candidate" ? "~" : b.order !== undefined ? `${b.order}:` : "";
        const full = prefix + b.label;
        const room = z - a - 1 - (unknown ? 1 : 0);
        // Too long for its bar: write it after the bar when the row is free up to the next bar.
        const next = nextStart(l, b);
        const after = next === undefined ? width : col(next) - 1;
        const before = a - 1 - (previousEndCol(l, b, col) + 2);
        if (textWidth(full) > room && !unknown && after - (z + 2) >= Math.min(textWidth(full), room + 4)) {
          Array.from(truncate(full, after - (z + 2))).forEach((ch, i) => (cells[z + 2 + i] = ch));
        } else if (textWidth(full) > room && before >= textWidth(full)) {
          // No room after the bar (e.g. at the right edge): write it just before the bar instead.
          Array.from(full).forEach((ch, i) => (cells[a - 1 - textWidth(full) + i] = ch));
        } else {
          Array.from(truncate(full, Math.max(0, room))).forEach((ch, i) => (cells[a + 1 + i] = ch));
        }
      }
      lines.push(`${padLeft(row === 0 ? c : "", nameWidth)}  ${cells.join("").replace(/\s+$/, "")}`);
    }
  }
  if (l.omitted > 0) lines.push(`… ${l.omitted} more operations not drawn (raise limit or narrow fromMs/toMs)`);
  return lines.join("\n");
}

const LANE_HEIGHT = 22;
const BAR_HEIGHT = 14;
const LEFT = 70;
const TOP = 34;

/**
 * The history as an SVG timeline (same content as `historyTimelineText`): a lane per client, a
 * bar per operation with its label and a tooltip giving its times and status; the operation the
 * checker could not place is red, the other candidates orange, the order found is numbered.
 */
export function historyTimelineSvg(ops: readonly CheckedOp[], options: HistoryTimelineOptions = {}): string {
  const where = "historyTimelineSvg";
  const width = options.width ?? 720;
  if (!(width >= 200)) throw new VizInputError(`${where}: width must be at least 200 pixels, got ${width}.`);
  const l = layout(ops, options, where);
  const lanes = l.clients.reduce((n, c) => n + l.rowsPerClient.get(c)!, 0);
  const height = TOP + Math.max(1, lanes) * LANE_HEIGHT + 24;
  const right = width - 16;
  const x = linearScale(l.t0, l.t1, LEFT, right);
  const parts: string[] = [];
  if (options.title !== undefined) parts.push(el("text", { x: LEFT, y: 14, "font-weight": "bold" }, text(options.title)));
  for (const t of niceTicks(l.t0, l.t1, 8).filter((v) => v >= l.t0 && v <= l.t1)) {
    parts.push(el("line", { x1: x(t), y1: TOP - 6, x2: x(t), y2: height - 20, stroke: "#e0e0e0" }));
    parts.push(el("text", { x: x(t), y: TOP - 10, "text-anchor": "middle", "font-size": 10, fill: "#666666" }, text(formatTime(t))));
  }
  let laneIndex = 0;
  const laneY = new Map<string, number>();
  for (const c of l.clients) {
    laneY.set(c, TOP + laneIndex * LANE_HEIGHT);
    parts.push(el("text", { x: LEFT - 8, y: TOP + laneIndex * LANE_HEIGHT + 15, "text-anchor": "end" }, text(c)));
    laneIndex += l.rowsPerClient.get(c)!;
  }
  for (const b of l.bars) {
    const c = String(b.op.client);
    const y = laneY.get(c)! + l.rows.get(b)! * LANE_HEIGHT + (LANE_HEIGHT - BAR_HEIGHT) / 2;
    const x0 = Math.max(LEFT, x(b.start));
    const unknown = b.end === Number.POSITIVE_INFINITY;
    const x1 = unknown ? right : Math.min(right, Math.max(x(b.end), x0 + 2));
    const color = b.mark === "stuck" ? PALETTE[1]! : b.mark === "candidate" ? PALETTE[4]! : b.op.status === "fail" ? "#999999" : PALETTE[0]!;
    const tip =
      `client ${c}: ${b.label} [${b.op.status}], invoked at ${formatTime(b.start)}` +
      (unknown ? (b.gaveUpAt === undefined ? ", no answer" : `, gave up at ${formatTime(b.gaveUpAt)}; may take effect later`) : `, answered at ${formatTime(b.end)}`) +
      (b.mark === "stuck" ? "; returned before it could be placed" : b.mark === "candidate" ? "; could have come next but did not fit" : "") +
      (b.order !== undefined ? `; position ${b.order} in the order found` : "");
    // A label may run past its bar up to the next bar in the row.
    const next = nextStart(l, b);
    const labelEnd = unknown ? right : next === undefined ? right + 10 : Math.max(x1, x(next) - 4);
    const label = truncate((b.order !== undefined ? `${b.order}: ` : "") + b.label, Math.floor((labelEnd - x0 - 6) / (10 * MONO_CHAR_WIDTH)));
    parts.push(
      el(
        "g",
        {},
        tooltip(tip) +
          el("rect", {
            x: x0,
            y,
            width: x1 - x0,
            height: BAR_HEIGHT,
            rx: 3,
            fill: color,
            "fill-opacity": b.op.status === "fail" ? 0.12 : unknown ? 0.1 : 0.18,
            stroke: color,
            "stroke-width": b.mark === undefined ? 1 : 2,
            "stroke-dasharray": unknown ? "4 3" : b.op.status === "fail" ? "2 2" : undefined,
          }) +
          (label === "" ? "" : el("text", { x: x0 + 3, y: y + BAR_HEIGHT - 3.5, "font-family": FONT_MONO, "font-size": 10, fill: "#222222" }, text(label))),
      ),
    );
  }
  const legend = "bar: invocation → answer · dashed: outcome unknown · red: could not be placed · orange: other candidates";
  parts.push(el("text", { x: LEFT, y: height - 6, "font-size": 10, fill: "#666666" }, text(legend)));
  if (l.omitted > 0) parts.push(el("text", { x: right, y: height - 6, "text-anchor": "end", "font-size": 10, fill: "#666666" }, text(`+${l.omitted} not drawn`)));
  return svgDocument(width, height, options.title ?? "history timeline", parts.join(""));
}
