/**
 * One-line, human-readable descriptions of trace events, shared by the timeline and the text
 * space-time diagram so both speak the same visual language ("a ──ping──▶ c", "✖ c crashed").
 */
import type { TraceEvent } from "../sim/trace";
import { fixed } from "./format";

/** The single-width glyphs the text renderers draw with, by meaning. */
export const GLYPH = {
  lifeline: "│",
  down: "·",
  pausedLifeline: "┆",
  sender: "●",
  arrowRight: "▶",
  arrowLeft: "◀",
  sendRight: "▷",
  sendLeft: "◁",
  shaft: "─",
  sendShaft: "┄",
  crossing: "┼",
  selfMessage: "↺",
  drop: "✗",
  crash: "✖",
  restart: "↻",
  pause: "‖",
  resume: "▷",
  partition: "═",
  heal: "┄",
  invoke: "○",
  complete: "◉",
  note: "◆",
  timer: "◷",
} as const;

/** "a ──ping──▶ c"; `head` is the glyph at the receiver's end (▶ delivered, ✗ dropped, ▷ sent). */
export function messageArrow(from: string, to: string, label: string, head: string): string {
  return `${from} ──${label}──${head} ${to}`;
}

/** Time in ms with a fixed number of decimals (stable output for committed notebooks). */
export function formatMs(t: number, decimals: number): string {
  return fixed(t, decimals);
}

/**
 * What an event means, in a short sentence without its time, e.g.
 * "a ──ping──✗ c  dropped: partition (sent 12.00)". Pass `duplicate` for a delivery or drop of a
 * copy made by the network's duplication fault (only its send event says so).
 */
export function describeEvent(e: TraceEvent, decimals = 2, duplicate = false): string {
  const ms = (t: number) => formatMs(t, decimals);
  const dup = duplicate ? " [duplicate]" : "";
  switch (e.kind) {
    case "send":
      return `${messageArrow(e.from, e.to, e.label, GLYPH.sendRight)}  sent${e.duplicate ? " [duplicate]" : ""}`;
    case "deliver":
      return `${messageArrow(e.from, e.to, e.label, GLYPH.arrowRight)}  (sent ${ms(e.sentMs)}, ${ms(e.timeMs - e.sentMs)} ms in flight)${dup}`;
    case "drop":
      return `${messageArrow(e.from, e.to, e.label, GLYPH.drop)}  dropped: ${e.reason} (sent ${ms(e.sentMs)})${dup}`;
    case "timer":
      return `${GLYPH.timer} ${e.node} timer ${e.name}`;
    case "crash":
      return `${GLYPH.crash} ${e.node} crashed${e.lostUnsyncedWrites ? " (unsynced writes lost)" : ""}`;
    case "restart":
      return `${GLYPH.restart} ${e.node} restarted`;
    case "pause":
      return `${GLYPH.pause} ${e.node} paused until ${ms(e.untilMs)}`;
    case "resume":
      return `${GLYPH.resume} ${e.node} resumed`;
    case "partition":
      return `${GLYPH.partition} partition ${e.description}`;
    case "heal":
      return `${GLYPH.heal} heal: ${e.description}`;
    case "invoke":
      return `${GLYPH.invoke} ${e.client} invokes op${e.opId} ${e.label} on ${e.node}`;
    case "complete":
      return `${GLYPH.complete} ${e.client} op${e.opId} ${e.status}${e.label ? " " + e.label : ""} (from ${e.node})`;
    case "note":
      return `${GLYPH.note} ${e.node}: ${e.text}`;
  }
}
