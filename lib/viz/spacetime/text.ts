/**
 * The message space-time diagram as plain text, for terminals, test failures and `console.log`
 * in a notebook. Time flows down, one lane per node or client, one row per event.
 */
import type { TraceEvent } from "../../sim/trace";
import { GLYPH, describeEvent, formatMs } from "../describe";
import { requirePositive } from "../errors";
import { padLeft, padRight, textWidth, truncate } from "../format";
import { buildSpaceTimeModel, insideInterval, type SpaceTimeModel, type SpaceTimeSelection } from "./model";

/** Options of `spaceTimeText`. */
export interface SpaceTimeTextOptions extends SpaceTimeSelection {
  /** Longest line in characters; the description column is cut to fit (default 120). */
  width?: number;
  /** Message rows (deliveries, drops, sends) drawn before the diagram stops with "…" (default 200). */
  maxMessages?: number;
  /** Append a legend explaining the glyphs (default false). */
  legend?: boolean;
  /** Decimals of the times shown (default 2). */
  decimals?: number;
  /** Append a line counting delivered, dropped and in-flight messages (default true). */
  summary?: boolean;
}

/** The legend printed by `spaceTimeText(..., { legend: true })`. */
export const SPACETIME_TEXT_LEGEND: readonly string[] = [
  `legend: ${GLYPH.sender}──${GLYPH.arrowRight} delivered (row = delivery time)   ${GLYPH.sender}──${GLYPH.drop} dropped (reason at right)   ${GLYPH.sender}${GLYPH.sendShaft}${GLYPH.sendShaft}${GLYPH.sendRight} sent   ${GLYPH.selfMessage} to itself`,
  `        ${GLYPH.crash} crash   ${GLYPH.down} down   ${GLYPH.restart} restart   ${GLYPH.pause} pause   ${GLYPH.pausedLifeline} paused   ${GLYPH.resume} resume   ${GLYPH.partition}${GLYPH.partition} partition   ${GLYPH.heal}${GLYPH.heal} heal`,
  `        ${GLYPH.invoke} client invokes   ${GLYPH.complete} client gets its answer   ${GLYPH.note} note   ${GLYPH.timer} timer`,
];

/**
 * Draws the trace as a text space-time diagram.
 *
 * Each row shows the event's time, the lanes (│ alive, · down, ┆ paused) with the event drawn
 * across them, and a description at the right. A message takes one row, at its delivery or
 * drop time: ● marks the sender, ▶/◀ the receiver, ✗ where it was lost (beside the sender for
 * loss and partitions, which drop a message as it is sent; on the receiver when it had crashed).
 * Partitions and heals are full-width lines.
 *
 * ```ts
 * console.log(spaceTimeText(sim.trace, { nodes: sim.nodes, clients: sim.clients, legend: true }));
 * // t (ms) │  a    b    c   client1 │
 * // ───────┼────────────────────────┼──────────────────────────────────────
 * //  13.96 │  ●────▶    │      │    │ a ──ping──▶ b  (sent 10.00, 3.96 ms in flight)
 * //  14.30 │  ●────┼────▶      │    │ a ──ping──▶ c  (sent 10.00, 4.30 ms in flight)
 * //  15.00 │════════════════════════│ ═ partition {a} | {b,c}
 * //  20.00 │  ●─✗  │    │      │    │ a ──ping──✗ b  dropped: partition (sent 20.00)
 * //  28.00 │  │    │    ✖      │    │ ✖ c crashed
 * //  32.23 │  ●────┼────✗      │    │ a ──ping──✗ c  dropped: crashed (sent 30.00)
 * //  32.30 │  ◀────●    ·      │    │ b ──ping──▶ a  (sent 30.00, 2.30 ms in flight)
 * ```
 */
export function spaceTimeText(trace: readonly TraceEvent[], options: SpaceTimeTextOptions): string {
  const where = "spaceTimeText";
  const model = buildSpaceTimeModel(trace, options, where);
  requirePositive(options.width, `${where}: width`);
  requirePositive(options.maxMessages, `${where}: maxMessages`, true);
  requirePositive(options.decimals, `${where}: decimals`, true);
  const width = options.width ?? 120;
  const maxMessages = options.maxMessages ?? 200;
  const decimals = options.decimals ?? 2;

  const grid = laneGrid(model);
  const timeWidth = Math.max(textWidth("t (ms)"), textWidth(formatMs(model.toMs, decimals)), textWidth(formatMs(model.fromMs, decimals)));
  const labelWidth = Math.max(20, width - timeWidth - grid.width - 4);
  const row = (time: string, lanes: string, label: string) =>
    `${padLeft(time, timeWidth)} │${lanes}│ ${truncate(label, labelWidth)}`.trimEnd();

  const lines: string[] = [];
  lines.push(row("t (ms)", grid.header, ""));
  lines.push(`${"─".repeat(timeWidth)}─┼${"─".repeat(grid.width)}┼${"─".repeat(Math.min(labelWidth, 40) + 1)}`);

  let messageRows = 0;
  let stoppedAt = -1;
  for (let i = 0; i < model.events.length; i++) {
    const e = model.events[i]!;
    const isMessage = e.kind === "deliver" || e.kind === "drop" || e.kind === "send";
    if (isMessage && messageRows >= maxMessages) {
      stoppedAt = i;
      break;
    }
    if (isMessage) messageRows++;
    const duplicate = (e.kind === "deliver" || e.kind === "drop") && model.duplicates.has(e.msgId);
    lines.push(row(formatMs(e.timeMs, decimals), drawEvent(model, grid, e), describeEvent(e, decimals, duplicate)));
  }
  if (model.events.length === 0) {
    lines.push(
      row("", grid.blank, `(nothing to show between ${formatMs(model.fromMs, decimals)} and ${formatMs(model.toMs, decimals)} ms)`),
    );
  }
  if (stoppedAt >= 0) {
    const rest = model.events.slice(stoppedAt);
    const restMessages = rest.filter((e) => e.kind === "deliver" || e.kind === "drop" || e.kind === "send").length;
    lines.push(
      row(
        "…",
        grid.blank,
        `… ${rest.length} more events (${restMessages} messages) up to ${formatMs(rest[rest.length - 1]!.timeMs, decimals)} ms; ` +
          `raise maxMessages or narrow fromMs/toMs to see them`,
      ),
    );
  }
  if (options.summary ?? true) lines.push(summaryLine(model));
  if (options.legend) lines.push(...SPACETIME_TEXT_LEGEND);
  return lines.join("\n");
}

/** Column positions of the lanes inside the lane area. */
interface LaneGrid {
  /** Width of the lane area in characters. */
  width: number;
  /** Column of each lane's lifeline, by lane index. */
  centers: number[];
  /** The lane names, centred over their lifelines. */
  header: string;
  /** Lifelines only, everyone alive. */
  blank: string;
}

function laneGrid(model: SpaceTimeModel): LaneGrid {
  // Each lane is as wide as its name plus a margin, and at least 5 so arrows stay visible.
  const widths = model.lanes.map((l) => Math.max(textWidth(l.id) + 2, 5));
  const centers: number[] = [];
  let offset = 0;
  for (const w of widths) {
    centers.push(offset + Math.floor((w - 1) / 2));
    offset += w;
  }
  // Centre each name on its lifeline column (an even-length name leans left by one).
  let header = "";
  for (const [i, lane] of model.lanes.entries()) {
    const start = Math.max(textWidth(header), centers[i]! - Math.floor((textWidth(lane.id) - 1) / 2));
    header = padRight(header, start) + lane.id;
  }
  header = padRight(header, offset);
  const blank = Array.from({ length: offset }, (_, p) => (centers.includes(p) ? GLYPH.lifeline : " ")).join("");
  return { width: offset, centers, header, blank };
}

function drawEvent(model: SpaceTimeModel, grid: LaneGrid, e: TraceEvent): string {
  const t = e.timeMs;
  const cells = Array.from({ length: grid.width }, () => " ");
  const laneAt = new Map<number, string>();
  for (const lane of model.lanes) {
    const c = grid.centers[lane.index]!;
    laneAt.set(c, lane.id);
    cells[c] = insideInterval(model.down, lane.id, t)
      ? GLYPH.down
      : insideInterval(model.paused, lane.id, t)
        ? GLYPH.pausedLifeline
        : GLYPH.lifeline;
  }
  const center = (id: string) => grid.centers[model.laneIndex.get(id)!]!;
  // Shaft between two columns (exclusive): crossing a live lifeline shows ┼ so lanes stay visible.
  const shaft = (a: number, b: number, ch: string) => {
    const step = a < b ? 1 : -1;
    for (let p = a + step; p !== b; p += step) {
      cells[p] = laneAt.has(p) && cells[p] !== GLYPH.down ? GLYPH.crossing : ch;
    }
  };

  switch (e.kind) {
    case "deliver":
    case "send": {
      const s = center(e.from);
      const r = center(e.to);
      if (s === r) {
        cells[s] = GLYPH.selfMessage;
        break;
      }
      const delivered = e.kind === "deliver";
      shaft(s, r, delivered ? GLYPH.shaft : GLYPH.sendShaft);
      cells[s] = GLYPH.sender;
      cells[r] = s < r ? (delivered ? GLYPH.arrowRight : GLYPH.sendRight) : delivered ? GLYPH.arrowLeft : GLYPH.sendLeft;
      break;
    }
    case "drop": {
      const s = center(e.from);
      const r = center(e.to);
      if (s === r) {
        cells[s] = GLYPH.drop;
        break;
      }
      // A crashed receiver got the message and lost it, so ✗ sits on its lane. Loss and
      // partitions drop a message as it is sent: ✗ just beside the sender, pointing the way it went
      // (lanes are at least 5 apart, so two steps never land on another lifeline).
      const end = e.reason === "crashed" ? r : s + (s < r ? 2 : -2);
      shaft(s, end, GLYPH.shaft);
      cells[s] = GLYPH.sender;
      cells[end] = GLYPH.drop;
      break;
    }
    case "partition":
    case "heal":
      cells.fill(e.kind === "partition" ? GLYPH.partition : GLYPH.heal);
      break;
    case "crash":
      cells[center(e.node)] = GLYPH.crash;
      break;
    case "restart":
      cells[center(e.node)] = GLYPH.restart;
      break;
    case "pause":
      cells[center(e.node)] = GLYPH.pause;
      break;
    case "resume":
      cells[center(e.node)] = GLYPH.resume;
      break;
    case "timer":
      cells[center(e.node)] = GLYPH.timer;
      break;
    case "note":
      cells[center(e.node)] = GLYPH.note;
      break;
    case "invoke":
      cells[center(e.client)] = GLYPH.invoke;
      break;
    case "complete":
      cells[center(e.client)] = GLYPH.complete;
      break;
  }
  return cells.join("");
}

function summaryLine(model: SpaceTimeModel): string {
  let delivered = 0;
  const dropped = new Map<string, number>();
  for (const e of model.events) {
    if (e.kind === "deliver") delivered++;
    if (e.kind === "drop") dropped.set(e.reason, (dropped.get(e.reason) ?? 0) + 1);
  }
  const inFlight = model.messages.filter((m) => m.fate === "in-flight").length;
  const droppedTotal = Array.from(dropped.values()).reduce((a, b) => a + b, 0);
  const reasons = Array.from(dropped.entries())
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([r, n]) => `${r} ${n}`)
    .join(", ");
  let line = `messages: ${delivered} delivered, ${droppedTotal} dropped${droppedTotal > 0 ? ` (${reasons})` : ""}`;
  if (inFlight > 0) line += `, ${inFlight} still in flight at the end`;
  if (model.filteredMessages > 0) line += `; ${model.filteredMessages} more left out by the messages filter`;
  if (model.hiddenEvents > 0) line += `; ${model.hiddenEvents} events involve endpoints without a lane (add them to nodes or clients)`;
  return line;
}
