/**
 * The message space-time diagram as a self-contained SVG for notebooks
 * (`tslab.display.html(spaceTimeSvg(...))`): vertical lifelines, slanted arrows from send to
 * delivery, dropped messages ending in a red cross, crash, pause and partition periods.
 */
import type { TraceEvent } from "../../sim/trace";
import { formatMs } from "../describe";
import { requirePositive } from "../errors";
import { fixed, textWidth, truncate } from "../format";
import { LabelPlacer, type Box } from "../label_placer";
import { messageKeeper, messageType, rememberAnswers } from "../message_filter";
import {
  FONT_MONO,
  MONO_CHAR_WIDTH,
  PALETTE,
  SANS_CHAR_WIDTH,
  arrowheadPoints,
  crossPath,
  el,
  num,
  polylinePath,
  svgDocument,
  text,
  tooltip,
  type AttrValue,
} from "../svg";
import { buildSpaceTimeModel, type MessageArc, type SpaceTimeModel, type SpaceTimeSelection } from "./model";
import { buildTimeAxis, type TimeAxis } from "./time_axis";

/** Options of `spaceTimeSvg`. */
export interface SpaceTimeSvgOptions extends SpaceTimeSelection {
  /** Picture width in px. Default: 130 px per lane plus the margins, at least 560. */
  width?: number;
  /**
   * Height of the time axis in px. Default: about 16 px per event drawn (between 280 and 6000),
   * so a busy run gets room and a quiet one stays small.
   */
  height?: number;
  /** A heading drawn above the lanes (and the picture's tooltip). */
  title?: string;
  /** Write message labels beside the arrows where they fit (default true; tooltips always). */
  labels?: boolean;
  /**
   * Squeeze long stretches in which nothing happens (no event, no message in flight) into short
   * bands marked on the axis, so bursts get the room (default true). false: a linear time axis.
   */
  squeezeQuiet?: boolean;
}

const COLOR = {
  axis: "#555555",
  grid: "#eeeeee",
  lifeline: "#9a9a9a",
  clientLifeline: "#6f9fcf",
  header: "#222222",
  clientHeader: "#1f5f9f",
  drop: "#d62728",
  down: "#d62728",
  restart: "#2ca02c",
  pause: "#7f7f7f",
  partition: "#e07b00",
  heal: "#2ca02c",
  invoke: "#0072B2",
  ok: "#009E73",
  fail: "#D55E00",
  unknown: "#E69F00",
  note: "#555555",
  inFlight: "#7f7f7f",
  quiet: "#f3f3f3",
} as const;

const LABEL_FONT = 10;
const CAPTION_FONT = 10;
const MARGIN = { left: 68, right: 24, top: 16, bottom: 16 } as const;
const HEADER_HEIGHT = 40;
const FOOTER_HEIGHT = 28;
const PLOT_PAD = 12;
/** Captions keep this far from the picture's right edge, px. */
const CANVAS_EDGE = 2;
/** A caption cut shorter than this many characters says nothing: leave it to the tooltip. */
const MIN_CAPTION_CHARS = 6;

/**
 * Draws the trace as an SVG space-time diagram and returns the markup.
 *
 * ```ts
 * import * as tslab from "tslab";
 * import { spaceTimeSvg } from "../dist/lib/viz";
 * tslab.display.html(spaceTimeSvg(sim.trace, { nodes: sim.nodes, clients: sim.clients, title: "Ping under a partition" }));
 * ```
 *
 * Hovering an arrow, cross or marker shows its details (a `<title>` tooltip). The output is a
 * pure function of the trace and the options: same input, same string.
 */
export function spaceTimeSvg(trace: readonly TraceEvent[], options: SpaceTimeSvgOptions): string {
  const where = "spaceTimeSvg";
  // One memo for the model and the colours, so both see the same answer for each label.
  const messages = rememberAnswers(options.messages, where);
  const model = buildSpaceTimeModel(trace, { ...options, messages }, where);
  requirePositive(options.width, `${where}: width`);
  requirePositive(options.height, `${where}: height`);
  return new SpaceTimeSvgRenderer(model, options, messageColors(trace, messageKeeper(messages, where))).render();
}

/** Holds the layout of one picture while its parts are drawn. */
class SpaceTimeSvgRenderer {
  private readonly width: number;
  private readonly plotTop: number;
  private readonly plotBottom: number;
  private readonly plotLeft: number;
  private readonly plotRight: number;
  private readonly laneX: number[];
  private readonly laneGap: number;
  private readonly y: (t: number) => number;
  private readonly axis: TimeAxis;
  private readonly placer = new LabelPlacer();
  private readonly labelsOn: boolean;
  /** Labels are drawn last so lines never cover them. */
  private readonly labelLayer: string[] = [];
  private readonly titleHeight: number;

  constructor(
    private readonly model: SpaceTimeModel,
    private readonly options: SpaceTimeSvgOptions,
    /** Colour of each message type (see messageColors). */
    private readonly typeColor: ReadonlyMap<string, string>,
  ) {
    const lanes = model.lanes.length;
    this.width = options.width ?? Math.max(560, MARGIN.left + MARGIN.right + 130 * lanes);
    this.plotLeft = MARGIN.left;
    this.plotRight = this.width - MARGIN.right;
    this.laneGap = (this.plotRight - this.plotLeft) / lanes;
    this.laneX = model.lanes.map((_, i) => this.plotLeft + this.laneGap * (i + 0.5));
    this.titleHeight = options.title === undefined ? 0 : 26;
    this.plotTop = MARGIN.top + this.titleHeight + HEADER_HEIGHT;
    const drawn = model.events.length + model.messages.filter((m) => m.fate === "in-flight").length;
    const plotHeight = options.height ?? Math.min(6000, Math.max(280, drawn * 16));
    this.plotBottom = this.plotTop + plotHeight;
    this.axis = buildTimeAxis(model, this.plotTop + PLOT_PAD, this.plotBottom - PLOT_PAD, options.squeezeQuiet ?? true);
    this.y = this.axis.y;
    this.labelsOn = options.labels ?? true;
  }

  render(): string {
    const parts: string[] = [];
    if (this.options.title !== undefined) {
      parts.push(
        el("text", { x: this.width / 2, y: MARGIN.top + 14, "text-anchor": "middle", "font-size": 15, "font-weight": "bold", fill: COLOR.header }, text(this.options.title)),
      );
    }
    parts.push(this.partitionBands());
    parts.push(this.timeAxis());
    parts.push(this.lifelines());
    parts.push(this.laneSegments());
    for (const m of this.model.messages) parts.push(this.message(m));
    parts.push(this.markers());
    parts.push(this.labelLayer.join("\n"));
    parts.push(this.headers(this.plotTop - 10, true));
    parts.push(this.headers(this.plotBottom + 16, false));
    const legend = this.legend(this.plotBottom + FOOTER_HEIGHT);
    parts.push(legend.markup);
    const height = this.plotBottom + FOOTER_HEIGHT + legend.height + MARGIN.bottom;
    return svgDocument(this.width, height, this.options.title ?? "space-time diagram", "\n" + parts.filter((p) => p !== "").join("\n") + "\n");
  }

  // ------------------------------------------------------------------ background

  private timeAxis(): string {
    const out: string[] = [];
    let grid = "";
    let tickMarks = "";
    for (const { t, y } of this.axis.ticks) {
      grid += `M${num(this.plotLeft)} ${num(y)} H${num(this.plotRight)} `;
      tickMarks += `M${num(this.plotLeft - 5)} ${num(y)} H${num(this.plotLeft)} `;
      out.push(el("text", { x: this.plotLeft - 8, y: y + 4, "text-anchor": "end", "font-size": 10, fill: COLOR.axis }, text(fixed(t, this.axis.decimals))));
    }
    // Squeezed quiet stretches: a grey band, a break mark on the axis, and how long it was.
    for (const b of this.axis.breaks) {
      const tip = `nothing happens from ${formatMs(b.fromMs, 2)} to ${formatMs(b.toMs, 2)} ms (${formatMs(b.toMs - b.fromMs, 2)} ms, drawn short)`;
      const mid = (b.y1 + b.y2) / 2;
      out.push(
        el(
          "g",
          { "data-part": "axis-break" },
          tooltip(tip) +
            el("rect", { x: this.plotLeft, y: b.y1, width: this.plotRight - this.plotLeft, height: b.y2 - b.y1, fill: COLOR.quiet }) +
            el("path", {
              d: `M${num(this.plotLeft - 6)} ${num(mid - 1)} L${num(this.plotLeft + 6)} ${num(mid - 5)} M${num(this.plotLeft - 6)} ${num(mid + 5)} L${num(this.plotLeft + 6)} ${num(mid + 1)}`,
              stroke: COLOR.axis,
              "stroke-width": 1.2,
              fill: "none",
            }) +
            el(
              "text",
              { x: this.plotRight - 4, y: mid + 3.5, "text-anchor": "end", "font-size": 9.5, "font-style": "italic", fill: COLOR.axis },
              text(`${formatMs(b.toMs - b.fromMs, 2)} ms quiet (${formatMs(b.fromMs, 2)}–${formatMs(b.toMs, 2)})`),
            ),
        ),
      );
    }
    const axis = [
      grid === "" ? "" : el("path", { d: grid.trim(), stroke: COLOR.grid, "stroke-width": 1, fill: "none" }),
      el("path", { d: `M${num(this.plotLeft)} ${num(this.plotTop)} V${num(this.plotBottom)}`, stroke: COLOR.axis, "stroke-width": 1, fill: "none" }),
      tickMarks === "" ? "" : el("path", { d: tickMarks.trim(), stroke: COLOR.axis, "stroke-width": 1, fill: "none" }),
      el(
        "text",
        { x: this.plotLeft - 8, y: this.plotTop - 10, "text-anchor": "end", "font-size": 10, fill: COLOR.axis, "font-style": "italic" },
        text("t (ms)"),
      ),
    ];
    return el("g", { "data-part": "time-axis" }, axis.join("") + out.join(""));
  }

  private partitionBands(): string {
    const { fromMs, toMs } = this.model;
    const out: string[] = [];
    for (const band of this.model.partitions) {
      const end = band.toMs ?? toMs;
      if (end < fromMs || band.fromMs > toMs) continue;
      const y1 = this.y(Math.max(band.fromMs, fromMs));
      const y2 = this.y(Math.min(end, toMs));
      out.push(
        el(
          "rect",
          { x: this.plotLeft, y: y1, width: this.plotRight - this.plotLeft, height: Math.max(1, y2 - y1), fill: COLOR.partition, "fill-opacity": 0.08 },
          tooltip(`partitioned from ${formatMs(band.fromMs, 2)} ms${band.toMs === undefined ? " to the end" : ` to ${formatMs(band.toMs, 2)} ms`}: ${band.description}`),
        ),
      );
    }
    return out.length === 0 ? "" : el("g", { "data-part": "partitions" }, out.join(""));
  }

  /** Down (crash to restart) and paused periods on the lifelines. */
  private laneSegments(): string {
    const out: string[] = [];
    const { fromMs, toMs } = this.model;
    /** Where a period is drawn, or undefined when it lies outside the window. */
    const span = (iv: { node: string; fromMs: number; toMs: number | undefined }) => {
      const end = iv.toMs ?? toMs;
      if (end < fromMs || iv.fromMs > toMs) return undefined;
      const x = this.laneX[this.model.laneIndex.get(iv.node)!]!;
      return { x, end, y1: this.y(Math.max(iv.fromMs, fromMs)), y2: this.y(Math.min(end, toMs)) };
    };
    for (const iv of this.model.down) {
      const at = span(iv);
      if (at === undefined) continue;
      const { x, y1, y2 } = at;
      out.push(
        el(
          "rect",
          { x: x - 7, y: y1, width: 14, height: Math.max(2, y2 - y1), fill: COLOR.down, "fill-opacity": 0.22, stroke: COLOR.down, "stroke-opacity": 0.5, "stroke-width": 1 },
          tooltip(`${iv.node} down from ${formatMs(iv.fromMs, 2)} ms${iv.toMs === undefined ? " to the end" : ` to ${formatMs(iv.toMs, 2)} ms`}`),
        ),
      );
    }
    for (const iv of this.model.paused) {
      const at = span(iv);
      if (at === undefined) continue;
      const { x, y1, y2, end } = at;
      out.push(
        el(
          "g",
          {},
          tooltip(`${iv.node} paused from ${formatMs(iv.fromMs, 2)} ms to ${formatMs(end, 2)} ms`) +
            el("rect", { x: x - 6, y: y1, width: 12, height: Math.max(2, y2 - y1), fill: "#f2f2f2", stroke: COLOR.pause, "stroke-width": 1 }) +
            el("path", { d: hatch(x - 6, y1, 12, Math.max(2, y2 - y1)), stroke: COLOR.pause, "stroke-width": 1, fill: "none" }),
        ),
      );
    }
    return out.length === 0 ? "" : el("g", { "data-part": "lane-periods" }, out.join(""));
  }

  private lifelines(): string {
    const out: string[] = [];
    for (const lane of this.model.lanes) {
      const x = this.laneX[lane.index]!;
      out.push(
        el("path", {
          d: `M${num(x)} ${num(this.plotTop)} V${num(this.plotBottom)}`,
          stroke: lane.isClient ? COLOR.clientLifeline : COLOR.lifeline,
          "stroke-width": 1.5,
          "stroke-dasharray": lane.isClient ? "5 3" : undefined,
          fill: "none",
        }),
      );
    }
    return el("g", { "data-part": "lifelines" }, out.join(""));
  }

  private headers(y: number, top: boolean): string {
    const out: string[] = [];
    const maxChars = Math.max(3, Math.floor(this.laneGap / (13 * SANS_CHAR_WIDTH)));
    for (const lane of this.model.lanes) {
      const x = this.laneX[lane.index]!;
      const color = lane.isClient ? COLOR.clientHeader : COLOR.header;
      if (top && lane.isClient) {
        out.push(el("text", { x, y: y - 14, "text-anchor": "middle", "font-size": 9, fill: color }, text("client")));
      }
      out.push(el("text", { x, y, "text-anchor": "middle", "font-size": 13, "font-weight": "bold", fill: color }, text(truncate(lane.id, maxChars))));
    }
    return el("g", { "data-part": top ? "lane-headers" : "lane-footers" }, out.join(""));
  }

  // ------------------------------------------------------------------ messages

  private message(m: MessageArc): string {
    const xs = this.laneX[this.model.laneIndex.get(m.from)!]!;
    const xr = this.laneX[this.model.laneIndex.get(m.to)!]!;
    const color = this.typeColor.get(messageType(m.label)) ?? PALETTE[0]!;
    const dup = m.duplicate ? " [duplicate]" : "";
    const { fromMs, toMs } = this.model;
    const sent = formatMs(m.sentMs, 2);

    if (m.fate === "delivered") {
      const end = m.endMs!;
      const tip = `${m.from} → ${m.to} ${m.label}${dup}: sent ${sent} ms, delivered ${formatMs(end, 2)} ms (${formatMs(end - m.sentMs, 2)} ms)`;
      if (m.from === m.to) return this.selfMessage(xs, m, color, tip);
      // Clip to the window: an arrow sent before it starts enters from the top edge.
      const s0 = m.sentMs < fromMs ? (fromMs - m.sentMs) / (end - m.sentMs) : 0;
      const s1 = end > toMs ? (toMs - m.sentMs) / (end - m.sentMs) : 1;
      const x1 = xs + (xr - xs) * s0;
      const y1 = this.y(m.sentMs + (end - m.sentMs) * s0);
      const x2 = xs + (xr - xs) * s1;
      const y2 = this.y(m.sentMs + (end - m.sentMs) * s1);
      const reaches = s1 === 1;
      // Stop the shaft where the arrowhead starts so the line does not poke through its tip.
      const len = Math.hypot(x2 - x1, y2 - y1) || 1;
      const head = reaches ? Math.min(8, len / 2) : 0;
      const lx2 = x2 - ((x2 - x1) / len) * head;
      const ly2 = y2 - ((y2 - y1) / len) * head;
      let g =
        tooltip(tip) +
        el("line", { class: "msg-arrow", x1, y1, x2: lx2, y2: ly2, stroke: color, "stroke-width": 1.4 }) +
        el("circle", { cx: x1, cy: y1, r: 2, fill: color });
      if (reaches) g += el("polygon", { points: arrowheadPoints(x1, y1, x2, y2, head, 3.5), fill: color });
      this.messageLabel(m.label + (m.duplicate ? " (dup)" : ""), x1, y1, x2, y2, color, tip);
      return el("g", { "data-msg": m.msgId }, g);
    }

    if (m.fate === "dropped") {
      const end = m.endMs!;
      const tip = `${m.from} → ${m.to} ${m.label}${dup}: dropped (${m.reason}) at ${formatMs(end, 2)} ms, sent ${sent} ms`;
      const y1 = this.y(Math.max(m.sentMs, fromMs));
      let x2: number;
      let y2: number;
      if (m.reason === "crashed" || m.from === m.to) {
        // The message reached a crashed node: the cross sits on the receiver's lifeline.
        x2 = xr;
        y2 = this.y(Math.min(end, toMs));
      } else {
        // Loss and partitions drop a message as it is sent: a short stub towards the receiver.
        // Its length grows with the distance to the receiver, so drops from one sender to
        // several receivers at the same moment do not land on the same spot.
        const dir = xr >= xs ? 1 : -1;
        x2 = xs + dir * Math.abs(xr - xs) * 0.3;
        y2 = y1 + 12;
      }
      const g =
        tooltip(tip) +
        el("path", { d: polylinePath([[xs, y1], [x2, y2]]), stroke: color, "stroke-width": 1.3, "stroke-dasharray": "4 3", fill: "none" }) +
        el("path", { d: crossPath(x2, y2, 4.5), stroke: COLOR.drop, "stroke-width": 2.2, fill: "none" });
      this.messageLabel(`${m.label} (${m.reason})`, xs, y1, x2, y2, COLOR.drop, tip);
      return el("g", { "data-msg": m.msgId, "data-dropped": m.reason }, g);
    }

    // Still in flight when the trace ends: a dotted stub pointing at the receiver.
    const tip = `${m.from} → ${m.to} ${m.label}${dup}: sent ${sent} ms, still in flight at the end of the trace`;
    const y1 = this.y(m.sentMs);
    const dir = xr >= xs ? 1 : -1;
    const x2 = m.from === m.to ? xs + 20 : xs + dir * Math.min(Math.abs(xr - xs) * 0.4, 56);
    const y2 = Math.min(y1 + 18, this.plotBottom);
    return el(
      "g",
      { "data-msg": m.msgId, "data-in-flight": "true" },
      tooltip(tip) + el("path", { d: polylinePath([[xs, y1], [x2, y2]]), stroke: COLOR.inFlight, "stroke-width": 1.3, "stroke-dasharray": "1 3", fill: "none" }),
    );
  }

  private selfMessage(x: number, m: MessageArc, color: string, tip: string): string {
    const y1 = this.y(Math.max(m.sentMs, this.model.fromMs));
    const y2 = this.y(Math.min(m.endMs!, this.model.toMs));
    const bulge = 26;
    const d = `M${num(x)} ${num(y1)} C${num(x + bulge)} ${num(y1)} ${num(x + bulge)} ${num(y2)} ${num(x + 7)} ${num(y2)}`;
    const g =
      tooltip(tip) +
      el("path", { d, stroke: color, "stroke-width": 1.4, fill: "none" }) +
      el("polygon", { points: arrowheadPoints(x + 14, y2, x, y2, 7, 3.5), fill: color });
    this.caption(m.label, x + bulge + 4, (y1 + y2) / 2, color, tip, true);
    return el("g", { "data-msg": m.msgId }, g);
  }

  /** Puts a message's label on its arrow where it does not cover another label. */
  private messageLabel(label: string, x1: number, y1: number, x2: number, y2: number, color: string, tip: string): void {
    if (!this.labelsOn) return;
    const maxChars = Math.max(4, Math.floor(Math.max(Math.abs(x2 - x1) * 0.9, this.laneGap) / (LABEL_FONT * MONO_CHAR_WIDTH)));
    const shown = truncate(label, maxChars);
    const w = Array.from(shown).length * LABEL_FONT * MONO_CHAR_WIDTH + 4;
    const h = LABEL_FONT + 2;
    const candidates: Box[] = [0.5, 0.35, 0.65, 0.2, 0.8].map((f) => {
      const cx = x1 + (x2 - x1) * f;
      const cy = y1 + (y2 - y1) * f;
      return { x: cx - w / 2, y: cy - h / 2 - 5, width: w, height: h };
    });
    const box = this.placer.place(candidates);
    if (box === undefined) return;
    this.labelLayer.push(
      haloText(
        {
          x: box.x + box.width / 2,
          y: box.y + h - 2.5,
          "text-anchor": "middle",
          "font-family": FONT_MONO,
          "font-size": LABEL_FONT,
          fill: color,
        },
        tip,
        shown,
      ),
    );
  }

  /**
   * A caption beside a lane marker, starting at `x` right of the lifeline, or ending left of it.
   * Both places stay inside the canvas (right of the time axis, left of the picture's edge): a
   * caption that does not fit is cut with "…" (the marker's tooltip, repeated on the caption,
   * has the whole text), and the side that shows more of it is tried first.
   */
  private caption(label: string, x: number, y: number, color: string, tip: string, rightOnly = false): void {
    if (!this.labelsOn) return;
    const charPx = CAPTION_FONT * SANS_CHAR_WIDTH;
    const maxChars = Math.max(MIN_CAPTION_CHARS, Math.floor((this.laneGap * 0.9) / charPx));
    const h = CAPTION_FONT + 2;
    // The text that fits in `room` px, or undefined when too little of it would be left to read.
    const fit = (room: number): { shown: string; w: number } | undefined => {
      const chars = Math.min(maxChars, Math.floor((room - 2) / charPx));
      if (chars < Math.min(MIN_CAPTION_CHARS, textWidth(label))) return undefined;
      const shown = truncate(label, chars);
      return { shown, w: textWidth(shown) * charPx + 2 };
    };
    const onRight = fit(this.width - CANVAS_EDGE - x);
    const onLeft = rightOnly ? undefined : fit(x - 16 - (this.plotLeft + 2));
    const right: Box[] = onRight === undefined ? [] : [0, -h, h].map((dy) => ({ x, y: y - h / 2 + dy, width: onRight.w, height: h }));
    const left: Box[] = onLeft === undefined ? [] : [0, -h, h].map((dy) => ({ x: x - 16 - onLeft.w, y: y - h / 2 + dy, width: onLeft.w, height: h }));
    const rightFirst = onLeft === undefined || (onRight !== undefined && textWidth(onRight.shown) >= textWidth(onLeft.shown));
    const box = this.placer.place(rightFirst ? [...right, ...left] : [...left, ...right]);
    if (box === undefined) return;
    const shown = right.includes(box) ? onRight!.shown : onLeft!.shown;
    this.labelLayer.push(
      haloText(
        {
          x: box.x,
          y: box.y + h - 3,
          "font-size": CAPTION_FONT,
          fill: color,
        },
        tip,
        shown,
      ),
    );
  }

  // ------------------------------------------------------------------ markers

  private markers(): string {
    const out: string[] = [];
    for (const e of this.model.events) {
      const t = formatMs(e.timeMs, 2);
      const y = this.y(e.timeMs);
      switch (e.kind) {
        case "crash": {
          const x = this.lane(e.node);
          const tip = `${e.node} crashed at ${t} ms${e.lostUnsyncedWrites ? " (unsynced writes lost)" : ""}`;
          out.push(el("g", { "data-event": "crash" }, tooltip(tip) + el("path", { d: crossPath(x, y, 6), stroke: COLOR.down, "stroke-width": 3.2, fill: "none" })));
          this.caption(e.lostUnsyncedWrites ? "crash (lost unsynced)" : "crash", x + 10, y, COLOR.down, tip);
          break;
        }
        case "restart": {
          const x = this.lane(e.node);
          const tip = `${e.node} restarted at ${t} ms`;
          out.push(el("g", { "data-event": "restart" }, tooltip(tip) + el("circle", { cx: x, cy: y, r: 5, fill: "#ffffff", stroke: COLOR.restart, "stroke-width": 2.2 })));
          this.caption("restart", x + 10, y, COLOR.restart, tip);
          break;
        }
        case "pause": {
          const x = this.lane(e.node);
          const tip = `${e.node} paused at ${t} ms until ${formatMs(e.untilMs, 2)} ms`;
          out.push(el("g", { "data-event": "pause" }, tooltip(tip) + el("path", { d: `M${num(x - 8)} ${num(y)} H${num(x + 8)}`, stroke: COLOR.pause, "stroke-width": 2.5 })));
          this.caption("pause", x + 10, y, COLOR.pause, tip);
          break;
        }
        case "resume": {
          const x = this.lane(e.node);
          const tip = `${e.node} resumed at ${t} ms`;
          out.push(el("g", { "data-event": "resume" }, tooltip(tip) + el("path", { d: `M${num(x - 8)} ${num(y)} H${num(x + 8)}`, stroke: COLOR.pause, "stroke-width": 2.5 })));
          this.caption("resume", x + 10, y, COLOR.pause, tip);
          break;
        }
        case "partition":
        case "heal": {
          const color = e.kind === "partition" ? COLOR.partition : COLOR.heal;
          const label = e.kind === "partition" ? `partition ${e.description}` : `heal: ${e.description}`;
          const tip = `${label} at ${t} ms`;
          out.push(
            el(
              "g",
              { "data-event": e.kind },
              tooltip(tip) +
                el("path", { d: `M${num(this.plotLeft)} ${num(y)} H${num(this.plotRight)}`, stroke: color, "stroke-width": 1.5, "stroke-dasharray": "7 4", fill: "none" }),
            ),
          );
          this.bandCaption(label, y, color, tip);
          break;
        }
        case "invoke": {
          const x = this.lane(e.client);
          const tip = `${e.client} invokes op${e.opId} ${e.label} on ${e.node} at ${t} ms`;
          out.push(el("g", { "data-event": "invoke" }, tooltip(tip) + el("circle", { cx: x, cy: y, r: 4.5, fill: "#ffffff", stroke: COLOR.invoke, "stroke-width": 2 })));
          this.caption(`op${e.opId} ${e.label}`, x + 9, y, COLOR.invoke, tip);
          break;
        }
        case "complete": {
          const x = this.lane(e.client);
          const color = e.status === "ok" ? COLOR.ok : e.status === "fail" ? COLOR.fail : COLOR.unknown;
          const tip = `${e.client} op${e.opId} ${e.status}${e.label ? " " + e.label : ""} (from ${e.node}) at ${t} ms`;
          out.push(el("g", { "data-event": "complete" }, tooltip(tip) + el("circle", { cx: x, cy: y, r: 4.5, fill: color, stroke: "#ffffff", "stroke-width": 1 })));
          this.caption(`op${e.opId} ${e.status}${e.label ? " " + e.label : ""}`, x + 9, y, color, tip);
          break;
        }
        case "note": {
          const x = this.lane(e.node);
          const tip = `${e.node} at ${t} ms: ${e.text}`;
          out.push(el("g", { "data-event": "note" }, tooltip(tip) + el("circle", { cx: x, cy: y, r: 2.5, fill: COLOR.note })));
          this.caption(e.text, x + 7, y, COLOR.note, tip);
          break;
        }
        case "timer": {
          const x = this.lane(e.node);
          const tip = `${e.node} timer ${e.name} at ${t} ms`;
          out.push(el("g", { "data-event": "timer" }, tooltip(tip) + el("circle", { cx: x, cy: y, r: 3, fill: "#ffffff", stroke: COLOR.pause, "stroke-width": 1.2 })));
          break;
        }
        case "send":
        case "deliver":
        case "drop":
          break; // drawn as message arcs
      }
    }
    return out.length === 0 ? "" : el("g", { "data-part": "markers" }, out.join(""));
  }

  private bandCaption(label: string, y: number, color: string, tip: string): void {
    if (!this.labelsOn) return;
    const maxChars = Math.floor((this.plotRight - this.plotLeft - 8) / (CAPTION_FONT * SANS_CHAR_WIDTH));
    const shown = truncate(label, maxChars);
    const w = Array.from(shown).length * CAPTION_FONT * SANS_CHAR_WIDTH + 2;
    const h = CAPTION_FONT + 2;
    const candidates: Box[] = [-h - 1, 2, -2 * h - 1, h + 2].map((dy) => ({ x: this.plotLeft + 4, y: y + dy, width: w, height: h }));
    const box = this.placer.place(candidates);
    if (box === undefined) return;
    this.labelLayer.push(
      haloText(
        {
          x: box.x,
          y: box.y + h - 3,
          "font-size": CAPTION_FONT,
          "font-weight": "bold",
          fill: color,
        },
        tip,
        shown,
      ),
    );
  }

  private lane(id: string): number {
    return this.laneX[this.model.laneIndex.get(id)!]!;
  }

  // ------------------------------------------------------------------ legend

  private legend(top: number): { markup: string; height: number } {
    const items: { sample: (x: number, y: number) => string; label: string }[] = [
      {
        label: "delivered",
        sample: (x, y) => el("path", { d: `M${num(x)} ${num(y - 5)} L${num(x + 18)} ${num(y + 3)}`, stroke: "#333333", "stroke-width": 1.4 }) + el("polygon", { points: arrowheadPoints(x, y - 5, x + 22, y + 5, 7, 3.5), fill: "#333333" }),
      },
      {
        label: "dropped",
        sample: (x, y) =>
          el("path", { d: `M${num(x)} ${num(y - 4)} L${num(x + 16)} ${num(y + 2)}`, stroke: "#333333", "stroke-width": 1.3, "stroke-dasharray": "4 3" }) +
          el("path", { d: crossPath(x + 18, y + 2, 4), stroke: COLOR.drop, "stroke-width": 2.2, fill: "none" }),
      },
      { label: "in flight", sample: (x, y) => el("path", { d: `M${num(x)} ${num(y - 4)} L${num(x + 20)} ${num(y + 4)}`, stroke: COLOR.inFlight, "stroke-width": 1.3, "stroke-dasharray": "1 3" }) },
      {
        label: "crash / down",
        sample: (x, y) =>
          el("rect", { x: x + 4, y: y - 7, width: 12, height: 14, fill: COLOR.down, "fill-opacity": 0.22, stroke: COLOR.down, "stroke-opacity": 0.5 }) +
          el("path", { d: crossPath(x + 10, y - 4, 4), stroke: COLOR.down, "stroke-width": 2.6, fill: "none" }),
      },
      { label: "restart", sample: (x, y) => el("circle", { cx: x + 10, cy: y, r: 5, fill: "#ffffff", stroke: COLOR.restart, "stroke-width": 2.2 }) },
      {
        label: "paused",
        sample: (x, y) =>
          el("rect", { x: x + 4, y: y - 7, width: 12, height: 14, fill: "#f2f2f2", stroke: COLOR.pause }) + el("path", { d: hatch(x + 4, y - 7, 12, 14), stroke: COLOR.pause, fill: "none" }),
      },
      {
        label: "partition",
        sample: (x, y) =>
          el("rect", { x, y: y - 7, width: 22, height: 14, fill: COLOR.partition, "fill-opacity": 0.12 }) +
          el("path", { d: `M${num(x)} ${num(y - 7)} H${num(x + 22)}`, stroke: COLOR.partition, "stroke-width": 1.5, "stroke-dasharray": "4 2" }),
      },
      { label: "invoke", sample: (x, y) => el("circle", { cx: x + 10, cy: y, r: 4.5, fill: "#ffffff", stroke: COLOR.invoke, "stroke-width": 2 }) },
      { label: "ok / fail / unknown", sample: (x, y) => [COLOR.ok, COLOR.fail, COLOR.unknown].map((c, i) => el("circle", { cx: x + 3 + i * 9, cy: y, r: 4, fill: c })).join("") },
      { label: "note", sample: (x, y) => el("circle", { cx: x + 10, cy: y, r: 2.5, fill: COLOR.note }) },
    ];
    const rowHeight = 20;
    const out: string[] = [];
    let x = this.plotLeft;
    let y = top + 8;
    for (const item of items) {
      const w = 30 + item.label.length * 11 * SANS_CHAR_WIDTH + 14;
      if (x + w > this.width - 4 && x > this.plotLeft) {
        x = this.plotLeft;
        y += rowHeight;
      }
      out.push(item.sample(x, y) + el("text", { x: x + 28, y: y + 4, "font-size": 11, fill: "#333333" }, text(item.label)));
      x += w;
    }
    return { markup: el("g", { "data-part": "legend" }, out.join("")), height: y - top + rowHeight };
  }
}

/**
 * Message colours by type, in order of first appearance in the whole trace (not just the window),
 * so a message type keeps its colour when you zoom into another window of the same run. Types the
 * `messages` filter leaves out take no colour: the palette is short, and hiding heartbeats should
 * not push the messages that remain into repeated colours.
 */
/** Text with a white halo, readable where it crosses lines; `tip` is its tooltip. */
function haloText(attributes: Readonly<Record<string, AttrValue>>, tip: string, shown: string): string {
  return el(
    "text",
    { ...attributes, stroke: "#ffffff", "stroke-width": 3, "stroke-linejoin": "round", "paint-order": "stroke" },
    tooltip(tip) + text(shown),
  );
}

function messageColors(trace: readonly TraceEvent[], keep: (e: TraceEvent) => boolean): Map<string, string> {
  const colors = new Map<string, string>();
  for (const e of trace) {
    if (e.kind !== "send" || !keep(e)) continue;
    const type = messageType(e.label);
    if (!colors.has(type)) colors.set(type, PALETTE[colors.size % PALETTE.length]!);
  }
  return colors;
}

/** Diagonal hatching inside a rectangle, as one path (no pattern ids that could clash). */
function hatch(x: number, y: number, w: number, h: number): string {
  const step = 5;
  let d = "";
  // Lines go up-right at 45°: from (x, y + k) to (x + w, y + k - w), clipped to the rectangle.
  for (let k = step; k < h + w; k += step) {
    const s0 = Math.max(0, (k - h) / w);
    const s1 = Math.min(1, k / w);
    if (s1 <= s0) continue;
    d += `M${num(x + w * s0)} ${num(y + k - w * s0)} L${num(x + w * s1)} ${num(y + k - w * s1)} `;
  }
  return d.trim();
}
