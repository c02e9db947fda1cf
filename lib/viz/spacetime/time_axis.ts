/**
 * The vertical time axis of the SVG space-time diagram. Runs are bursty (a heartbeat round, then
 * nothing for a while), so a plain linear axis spends most of its height on silence and crams
 * the bursts. This axis stays linear where something happens and squeezes each long quiet
 * stretch (no event, no message in flight) into a short band marked as a break.
 */
import { niceStep, stepDecimals } from "../scale";
import type { SpaceTimeModel } from "./model";

/** A quiet stretch drawn as a short band. */
export interface AxisBreak {
  readonly fromMs: number;
  readonly toMs: number;
  readonly y1: number;
  readonly y2: number;
}

/** Time → y mapping with its ticks and breaks. */
export interface TimeAxis {
  /** y of a time (monotone; times outside the window are clamped to its ends). */
  y(t: number): number;
  readonly breaks: readonly AxisBreak[];
  readonly ticks: readonly { t: number; y: number }[];
  /** Decimals that print the tick times exactly. */
  readonly decimals: number;
}

/** Height of a squeezed quiet stretch, px. */
export const BREAK_PX = 26;
/** A quiet stretch is squeezed only if the linear axis would give it more than this, px. */
const MIN_BREAK_SOURCE_PX = 3 * BREAK_PX;
/** A quiet stretch shorter than this fraction of the window is never squeezed. */
const MIN_BREAK_FRACTION = 0.05;
/** Ticks closer than this to the previous one are skipped, px. */
const MIN_TICK_GAP_PX = 16;

interface Segment {
  fromMs: number;
  toMs: number;
  squeezed: boolean;
}

/**
 * Lays out the window [model.fromMs, model.toMs] between y = top and y = bottom. With
 * `squeeze` false the axis is plainly linear.
 */
export function buildTimeAxis(model: SpaceTimeModel, top: number, bottom: number, squeeze: boolean): TimeAxis {
  const { fromMs, toMs } = model;
  const height = bottom - top;
  if (!(toMs > fromMs)) {
    const mid = (top + bottom) / 2;
    return { y: () => mid, breaks: [], ticks: [{ t: fromMs, y: mid }], decimals: 2 };
  }
  const quiet = squeeze ? quietStretches(model) : [];

  // Which quiet stretches to squeeze depends on the scale, and squeezing raises the scale, so
  // iterate: each round can only add stretches, and there are finitely many.
  let chosen: { fromMs: number; toMs: number }[] = [];
  for (let round = 0; round < 10; round++) {
    const squeezedMs = chosen.reduce((a, g) => a + (g.toMs - g.fromMs), 0);
    const pxPerMs = (height - chosen.length * BREAK_PX) / (toMs - fromMs - squeezedMs);
    // Worth squeezing: tall at the current scale, and not a trifle of the window (a 1 ms pause
    // between two bursts reads better drawn to scale than as a break).
    const next = quiet.filter((g) => (g.toMs - g.fromMs) * pxPerMs > MIN_BREAK_SOURCE_PX && g.toMs - g.fromMs >= MIN_BREAK_FRACTION * (toMs - fromMs));
    const nextMs = next.reduce((a, g) => a + (g.toMs - g.fromMs), 0);
    // Never squeeze so much that the rest gets less than half the height, nor everything (an
    // empty window stays linear).
    if (next.length * BREAK_PX > height / 2 || nextMs >= toMs - fromMs || next.length === chosen.length) break;
    chosen = next;
  }

  const segments: Segment[] = [];
  let cursor = fromMs;
  for (const g of chosen) {
    if (g.fromMs > cursor) segments.push({ fromMs: cursor, toMs: g.fromMs, squeezed: false });
    segments.push({ fromMs: g.fromMs, toMs: g.toMs, squeezed: true });
    cursor = g.toMs;
  }
  if (cursor < toMs) segments.push({ fromMs: cursor, toMs, squeezed: false });

  const squeezedMs = chosen.reduce((a, g) => a + (g.toMs - g.fromMs), 0);
  const pxPerMs = (height - chosen.length * BREAK_PX) / (toMs - fromMs - squeezedMs);
  const starts: number[] = [];
  let yCursor = top;
  for (const s of segments) {
    starts.push(yCursor);
    yCursor += s.squeezed ? BREAK_PX : (s.toMs - s.fromMs) * pxPerMs;
  }
  const y = (t: number): number => {
    if (t <= fromMs) return top;
    if (t >= toMs) return bottom;
    // Few segments: a linear scan is fine.
    for (let i = 0; i < segments.length; i++) {
      const s = segments[i]!;
      if (t <= s.toMs) {
        const span = s.toMs - s.fromMs;
        const h = s.squeezed ? BREAK_PX : span * pxPerMs;
        return starts[i]! + (span === 0 ? 0 : ((t - s.fromMs) / span) * h);
      }
    }
    return bottom;
  };

  const step = niceStep(toMs - fromMs - squeezedMs, Math.max(2, Math.floor((height - chosen.length * BREAK_PX) / 55)));
  const decimals = stepDecimals(step);
  const ticks: { t: number; y: number }[] = [];
  let lastY = Number.NEGATIVE_INFINITY;
  for (const s of segments) {
    if (s.squeezed) continue;
    for (let k = Math.ceil(s.fromMs / step - 1e-9); k * step <= s.toMs + 1e-9; k++) {
      const t = Number((k * step).toFixed(decimals));
      const ty = y(t);
      if (ty - lastY < MIN_TICK_GAP_PX) continue;
      ticks.push({ t, y: ty });
      lastY = ty;
    }
  }
  const breaks = chosen.map((g) => ({ fromMs: g.fromMs, toMs: g.toMs, y1: y(g.fromMs), y2: y(g.toMs) }));
  return { y, breaks, ticks, decimals };
}

/**
 * Stretches of the window in which nothing is drawn and no message is travelling: the
 * complement of the union of every event time and every message's [send, end] interval.
 */
function quietStretches(model: SpaceTimeModel): { fromMs: number; toMs: number }[] {
  const busy: [number, number][] = [];
  for (const e of model.events) busy.push([e.timeMs, e.timeMs]);
  for (const m of model.messages) busy.push([m.sentMs, m.endMs ?? m.sentMs]);
  busy.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: { fromMs: number; toMs: number }[] = [];
  let reach = model.fromMs;
  for (const [a, b] of busy) {
    if (a > reach) out.push({ fromMs: reach, toMs: Math.min(a, model.toMs) });
    reach = Math.max(reach, b);
    if (reach >= model.toMs) break;
  }
  if (reach < model.toMs) out.push({ fromMs: reach, toMs: model.toMs });
  return out.filter((g) => g.toMs > g.fromMs);
}
