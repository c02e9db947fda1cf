/**
 * The trace as readable lines with times: the compact alternative to the space-time diagram,
 * used by graders to show what happened around a failure.
 */
import { participants, type NodeId, type TraceEvent, type TraceKind } from "../sim/trace";
import { describeEvent, formatMs } from "./describe";
import { VizInputError, requirePositive, requireWindow } from "./errors";
import { padLeft, textWidth } from "./format";
import { messageKeeper, type MessageFilter } from "./message_filter";
import { DEFAULT_SPACETIME_KINDS } from "./spacetime/model";

/** Options of `timelineText`. */
export interface TimelineOptions {
  /** Only events that involve one of these nodes or clients (network-wide events always show). */
  nodes?: readonly NodeId[];
  /** Only events from this time on (ms, inclusive). */
  fromMs?: number;
  /** Only events up to this time (ms, inclusive). */
  toMs?: number;
  /** Shortcut for a window around a moment: fromMs = aroundMs - windowMs, toMs = aroundMs + windowMs. */
  aroundMs?: number;
  /** Half-width of the `aroundMs` window (default 50 ms). */
  windowMs?: number;
  /**
   * Event kinds to show. Default: everything except "send" and "timer" (a delivery or drop line
   * already says when its message was sent, and periodic timers would bury everything else).
   */
  kinds?: readonly TraceKind[];
  /**
   * Which messages to list, by label: `(label) => boolean`, true lists it. Default: all. A message
   * left out loses every line (send, delivery, drop), e.g.
   * `messages: (label) => label !== "heartbeat"`. See `MessageFilter`.
   */
  messages?: MessageFilter;
  /** Most lines to print; the rest is replaced by one "…" line (default 200). */
  limit?: number;
  /** Which lines to keep when over the limit: the first, the last, or both ends (default "both"). */
  keep?: "head" | "tail" | "both";
  /** Decimals of the times (default 2). */
  decimals?: number;
}

/** The kinds shown when `kinds` is not given: the same as the space-time diagram's. */
export const DEFAULT_TIMELINE_KINDS: readonly TraceKind[] = DEFAULT_SPACETIME_KINDS;

/**
 * Lists the trace as one line per event, e.g.
 *
 * ```text
 *  20.00 ms  ═ partition {a} | {b,c}
 *  20.00 ms  a ──ping──✗ b  dropped: partition (sent 20.00)
 *  21.21 ms  b ──ping──▶ c  (sent 20.00, 1.21 ms in flight)
 *  28.00 ms  ✖ c crashed
 * ```
 *
 * ```ts
 * // In a grading test, show what happened around the moment an invariant broke:
 * expect(ok, timelineText(sim.trace, { aroundMs: failedAtMs, windowMs: 20 })).toBe(true);
 * ```
 */
export function timelineText(trace: readonly TraceEvent[], options: TimelineOptions = {}): string {
  const where = "timelineText";
  if (!Array.isArray(trace)) throw new VizInputError(`${where}: the first argument must be a trace array such as sim.trace.`);
  requirePositive(options.limit, `${where}: limit`);
  requirePositive(options.windowMs, `${where}: windowMs`, true);
  requirePositive(options.decimals, `${where}: decimals`, true);
  if (options.aroundMs !== undefined && !Number.isFinite(options.aroundMs)) {
    throw new VizInputError(`${where}: aroundMs must be a finite time in ms, got ${String(options.aroundMs)}.`);
  }
  const keep = options.keep ?? "both";
  if (keep !== "head" && keep !== "tail" && keep !== "both") {
    throw new VizInputError(`${where}: keep must be "head", "tail" or "both", got ${JSON.stringify(keep)}.`);
  }
  const half = options.windowMs ?? 50;
  const fromMs = options.fromMs ?? (options.aroundMs !== undefined ? options.aroundMs - half : undefined);
  const toMs = options.toMs ?? (options.aroundMs !== undefined ? options.aroundMs + half : undefined);
  requireWindow(fromMs, toMs, where);
  const kinds = new Set<TraceKind>(options.kinds ?? DEFAULT_TIMELINE_KINDS);
  const keepMessage = messageKeeper(options.messages, where);
  const nodes = options.nodes === undefined ? undefined : new Set(options.nodes);
  const limit = options.limit ?? 200;
  const decimals = options.decimals ?? 2;

  const duplicates = new Set<number>();
  const shown: TraceEvent[] = [];
  for (const e of trace) {
    if (e.kind === "send" && e.duplicate) duplicates.add(e.msgId);
    if (!kinds.has(e.kind) || !keepMessage(e)) continue;
    if (fromMs !== undefined && e.timeMs < fromMs) continue;
    if (toMs !== undefined && e.timeMs > toMs) continue;
    if (nodes !== undefined) {
      const who = participants(e);
      if (who.length > 0 && !who.some((w) => nodes.has(w))) continue;
    }
    shown.push(e);
  }
  if (shown.length === 0) {
    const window =
      fromMs === undefined && toMs === undefined
        ? ""
        : ` between ${fromMs === undefined ? "the start" : formatMs(fromMs, decimals) + " ms"} and ${toMs === undefined ? "the end" : formatMs(toMs, decimals) + " ms"}`;
    return `(no events${window})`;
  }

  const timeWidth = Math.max(...shown.map((e) => textWidth(formatMs(e.timeMs, decimals))));
  const line = (e: TraceEvent) => {
    const dup = (e.kind === "deliver" || e.kind === "drop") && duplicates.has(e.msgId);
    return `${padLeft(formatMs(e.timeMs, decimals), timeWidth)} ms  ${describeEvent(e, decimals, dup)}`;
  };
  if (shown.length <= limit) return shown.map(line).join("\n");

  const headCount = keep === "head" ? limit : keep === "tail" ? 0 : Math.ceil(limit / 2);
  const tailCount = limit - headCount;
  const omitted = shown.slice(headCount, shown.length - tailCount);
  const gap =
    `${padLeft("…", timeWidth)}     … ${omitted.length} events omitted ` +
    `(${formatMs(omitted[0]!.timeMs, decimals)}–${formatMs(omitted[omitted.length - 1]!.timeMs, decimals)} ms); ` +
    `raise limit or narrow fromMs/toMs to see them`;
  return [...shown.slice(0, headCount).map(line), gap, ...shown.slice(shown.length - tailCount).map(line)].join("\n");
}
