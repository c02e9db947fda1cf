/**
 * What a space-time diagram shows, independent of how it is drawn: the lanes (one per node or
 * client), the events to draw in trace order, every message as an arc from its send to its
 * delivery or drop, and the periods when a node was down, paused or cut off by a partition.
 * The text and SVG renderers both start from this model, so they always agree on what happened.
 */
import type { DropReason, NodeId, TraceEvent, TraceKind } from "../../sim/trace";
import { VizInputError, requireWindow } from "../errors";
import { messageKeeper, type MessageFilter } from "../message_filter";

/** Lane filtering and time window shared by both space-time renderers. */
export interface SpaceTimeSelection {
  /** Lanes left to right: usually `sim.nodes` (the order you want to read them in). */
  nodes: readonly NodeId[];
  /** Client lanes, drawn after the nodes (usually `sim.clients`). */
  clients?: readonly NodeId[];
  /** Only show what happens from this time on (ms, inclusive). Default: the trace's first event. */
  fromMs?: number;
  /** Only show what happens up to this time (ms, inclusive). Default: the trace's last event. */
  toMs?: number;
  /**
   * Event kinds to draw. Default: everything except "send" (a message is drawn once, at its
   * delivery or drop, with its send time) and "timer" (periodic timers would bury the messages).
   * Partition shading follows "partition": without it no partition band is drawn either.
   */
  kinds?: readonly TraceKind[];
  /**
   * Which messages to draw, by label: `(label) => boolean`, true draws it. Default: all. A message
   * left out disappears entirely (no arrow, no drop, no "in flight" stub), e.g.
   * `messages: (label) => !["heartbeat", "heartbeatReply"].includes(label)`. See `MessageFilter`.
   */
  messages?: MessageFilter;
}

/** The kinds drawn when `kinds` is not given. */
export const DEFAULT_SPACETIME_KINDS: readonly TraceKind[] = [
  "deliver",
  "drop",
  "crash",
  "restart",
  "pause",
  "resume",
  "partition",
  "heal",
  "invoke",
  "complete",
  "note",
];

/** One vertical lifeline. */
export interface Lane {
  readonly id: NodeId;
  /** Position from the left, 0-based. */
  readonly index: number;
  readonly isClient: boolean;
}

/** A message from its send to its end (delivery or drop), or still in flight when the trace ends. */
export interface MessageArc {
  readonly msgId: number;
  readonly from: NodeId;
  readonly to: NodeId;
  readonly label: string;
  readonly sentMs: number;
  /** Delivery or drop time; undefined while in flight. */
  readonly endMs: number | undefined;
  readonly fate: "delivered" | "dropped" | "in-flight";
  readonly reason?: DropReason;
  /** A copy made by the network's duplication fault. */
  readonly duplicate: boolean;
}

/** A period of one lane: down (crash to restart) or paused (pause to resume). */
export interface LaneInterval {
  readonly node: NodeId;
  readonly fromMs: number;
  /** Undefined when the trace ends before the period does. */
  readonly toMs: number | undefined;
}

/** A period during which at least one partition or blocked link was in force. */
export interface PartitionBand {
  readonly fromMs: number;
  /** Undefined when the trace ends before the network is fully healed. */
  readonly toMs: number | undefined;
  /** The partition events' descriptions, joined with "; ". */
  readonly description: string;
}

/** Everything a renderer needs, already filtered to the lanes, kinds and window asked for. */
export interface SpaceTimeModel {
  readonly lanes: readonly Lane[];
  /** Lane index by node id. */
  readonly laneIndex: ReadonlyMap<NodeId, number>;
  /** The window actually shown (defaults resolved). */
  readonly fromMs: number;
  readonly toMs: number;
  /** The events to draw, in trace order, inside the window. */
  readonly events: readonly TraceEvent[];
  /** Messages that touch the window (sent before its end, ended after its start), by end time. */
  readonly messages: readonly MessageArc[];
  readonly down: readonly LaneInterval[];
  readonly paused: readonly LaneInterval[];
  /**
   * Partition periods that overlap the window (each with its full extent; renderers clip it).
   * Empty when "partition" is not among the kinds drawn.
   */
  readonly partitions: readonly PartitionBand[];
  /** Message ids that are copies made by the duplication fault. */
  readonly duplicates: ReadonlySet<number>;
  /** Events in the window left out because they involve an endpoint without a lane. */
  readonly hiddenEvents: number;
  /**
   * Messages left out by the `messages` filter that touch the window (sent before its end and
   * delivered or dropped after its start, or sent inside it and never delivered), whatever
   * their lanes and kinds.
   */
  readonly filteredMessages: number;
}

/** Builds the lane list, rejecting empty or repeated ids with a message that says what to pass. */
export function resolveLanes(nodes: readonly NodeId[] | undefined, clients: readonly NodeId[] | undefined, where: string): Lane[] {
  if (!Array.isArray(nodes)) {
    throw new VizInputError(`${where}: pass the lanes as { nodes: sim.nodes } (and clients: sim.clients for client lanes).`);
  }
  const ids = [...nodes, ...(clients ?? [])];
  if (ids.length === 0) {
    throw new VizInputError(`${where}: no lanes to draw; pass { nodes: sim.nodes } with at least one node.`);
  }
  const seen = new Set<NodeId>();
  for (const id of ids) {
    if (typeof id !== "string" || id.length === 0) throw new VizInputError(`${where}: lane ids must be non-empty strings, got ${JSON.stringify(id)}.`);
    if (seen.has(id)) throw new VizInputError(`${where}: lane "${id}" is listed twice; list each node or client once.`);
    seen.add(id);
  }
  return ids.map((id, index) => ({ id, index, isClient: index >= nodes.length }));
}

/** The endpoints an event needs lanes for (none for network-wide partition and heal events). */
export function endpointsOf(e: TraceEvent): NodeId[] {
  switch (e.kind) {
    case "send":
    case "deliver":
    case "drop":
      return e.from === e.to ? [e.from] : [e.from, e.to];
    case "invoke":
    case "complete":
      return [e.client];
    case "partition":
    case "heal":
      return [];
    default:
      return [e.node];
  }
}

/** Collects the model; `where` names the calling function in error messages. */
export function buildSpaceTimeModel(trace: readonly TraceEvent[], sel: SpaceTimeSelection, where: string): SpaceTimeModel {
  if (!Array.isArray(trace)) throw new VizInputError(`${where}: the first argument must be a trace array such as sim.trace.`);
  if (sel === null || typeof sel !== "object") throw new VizInputError(`${where}: pass options such as { nodes: sim.nodes }.`);
  const lanes = resolveLanes(sel.nodes, sel.clients, where);
  requireWindow(sel.fromMs, sel.toMs, where);
  const laneIndex = new Map<NodeId, number>(lanes.map((l) => [l.id, l.index]));
  const kinds = new Set<TraceKind>(sel.kinds ?? DEFAULT_SPACETIME_KINDS);
  const keep = messageKeeper(sel.messages, where);
  const onLanes = (e: TraceEvent) => endpointsOf(e).every((id) => laneIndex.has(id));

  const firstMs = trace.length > 0 ? trace[0]!.timeMs : 0;
  const lastMs = trace.length > 0 ? trace[trace.length - 1]!.timeMs : 0;
  const fromMs = sel.fromMs ?? Math.min(firstMs, sel.toMs ?? firstMs);
  const toMs = sel.toMs ?? Math.max(lastMs, fromMs);
  const inWindow = (t: number) => t >= fromMs && t <= toMs;

  const events: TraceEvent[] = [];
  let hiddenEvents = 0;
  const sends = new Map<number, Extract<TraceEvent, { kind: "send" }>>();
  const ended = new Set<number>();
  const duplicates = new Set<number>();
  const messages: MessageArc[] = [];
  // Messages the filter leaves out, by id: counted once, when they touch the window.
  const filteredSends = new Set<number>();
  const filteredEnded = new Set<number>();
  let filteredMessages = 0;

  for (const e of trace) {
    if (!keep(e)) {
      // The filter decides by label, and a message keeps its label from send to end, so the
      // whole arc goes: nothing of it reaches the events, the arcs or the in-flight list.
      if (e.kind === "send" && inWindow(e.timeMs)) filteredSends.add(e.msgId);
      if ((e.kind === "deliver" || e.kind === "drop") && !filteredEnded.has(e.msgId)) {
        filteredEnded.add(e.msgId);
        if (e.timeMs >= fromMs && e.sentMs <= toMs) filteredMessages++;
      }
      continue;
    }
    if (e.kind === "send") {
      sends.set(e.msgId, e);
      if (e.duplicate) duplicates.add(e.msgId);
    }
    if (e.kind === "deliver" || e.kind === "drop") ended.add(e.msgId);
    const visible = kinds.has(e.kind);
    if (visible && inWindow(e.timeMs)) {
      if (onLanes(e)) events.push(e);
      else hiddenEvents++;
    }
    if ((e.kind === "deliver" || e.kind === "drop") && visible && onLanes(e) && e.timeMs >= fromMs && e.sentMs <= toMs) {
      messages.push({
        msgId: e.msgId,
        from: e.from,
        to: e.to,
        label: e.label,
        sentMs: e.sentMs,
        endMs: e.timeMs,
        fate: e.kind === "deliver" ? "delivered" : "dropped",
        ...(e.kind === "drop" ? { reason: e.reason } : {}),
        duplicate: duplicates.has(e.msgId),
      });
    }
  }
  // Messages still travelling when the trace ends belong with the deliveries.
  if (kinds.has("deliver")) {
    for (const s of sends.values()) {
      if (ended.has(s.msgId) || !inWindow(s.timeMs) || !onLanes(s)) continue;
      messages.push({
        msgId: s.msgId,
        from: s.from,
        to: s.to,
        label: s.label,
        sentMs: s.timeMs,
        endMs: undefined,
        fate: "in-flight",
        duplicate: s.duplicate === true,
      });
    }
  }

  for (const id of filteredSends) if (!filteredEnded.has(id)) filteredMessages++;

  return {
    lanes,
    laneIndex,
    fromMs,
    toMs,
    events,
    messages,
    down: downIntervals(trace, laneIndex),
    paused: pauseIntervals(trace, laneIndex),
    // The bands are the periods between partition and heal events: drawn only with those
    // events, and only where they overlap the window.
    partitions: kinds.has("partition")
      ? partitionBands(trace).filter((b) => b.fromMs <= toMs && (b.toMs === undefined || b.toMs > fromMs))
      : [],
    duplicates,
    hiddenEvents,
    filteredMessages,
  };
}

function downIntervals(trace: readonly TraceEvent[], laneIndex: ReadonlyMap<NodeId, number>): LaneInterval[] {
  const open = new Map<NodeId, number>();
  const out: LaneInterval[] = [];
  for (const e of trace) {
    if (e.kind === "crash" && laneIndex.has(e.node) && !open.has(e.node)) open.set(e.node, e.timeMs);
    if (e.kind === "restart" && open.has(e.node)) {
      out.push({ node: e.node, fromMs: open.get(e.node)!, toMs: e.timeMs });
      open.delete(e.node);
    }
  }
  // Insertion order of the map is the order the crashes happened: deterministic.
  for (const [node, fromMs] of open) out.push({ node, fromMs, toMs: undefined });
  return out.sort((a, b) => a.fromMs - b.fromMs || laneIndex.get(a.node)! - laneIndex.get(b.node)!);
}

function pauseIntervals(trace: readonly TraceEvent[], laneIndex: ReadonlyMap<NodeId, number>): LaneInterval[] {
  // A pause lasts until the node's resume event; a crash cuts it short (the simulator forgets a
  // crashed node's pause), and a second pause while paused only extends the first.
  const open = new Map<NodeId, { fromMs: number; untilMs: number }>();
  const out: LaneInterval[] = [];
  const close = (node: NodeId, toMs: number | undefined) => {
    const p = open.get(node);
    if (p === undefined) return;
    out.push({ node, fromMs: p.fromMs, toMs });
    open.delete(node);
  };
  for (const e of trace) {
    if (e.kind === "pause" && laneIndex.has(e.node)) {
      const p = open.get(e.node);
      if (p === undefined) open.set(e.node, { fromMs: e.timeMs, untilMs: e.untilMs });
      else p.untilMs = Math.max(p.untilMs, e.untilMs);
    } else if (e.kind === "resume" || e.kind === "crash") {
      close(e.node, e.timeMs);
    }
  }
  // Still paused at the end of the trace: the pause event said when it would end.
  for (const [node, p] of open) out.push({ node, fromMs: p.fromMs, toMs: p.untilMs });
  return out.sort((a, b) => a.fromMs - b.fromMs || laneIndex.get(a.node)! - laneIndex.get(b.node)!);
}

/**
 * Periods with any partition in force. The simulator's descriptions say what changed: a group
 * partition ("{a,b} | {c}", or "{a,b,c}" and "" that block nothing) replaces the previous group
 * partition and keeps one-way blocks, as `Simulation.partition` does; "isolate x" and "a -x-> b"
 * add blocks, "a ---> b" lifts one one-way block, and any other heal restores every link.
 */
function partitionBands(trace: readonly TraceEvent[]): PartitionBand[] {
  const blocks = new Set<string>();
  const out: PartitionBand[] = [];
  let start: number | undefined;
  let descriptions: string[] = [];
  const close = (timeMs: number) => {
    if (blocks.size > 0 || start === undefined) return;
    out.push({ fromMs: start, toMs: timeMs, description: descriptions.join("; ") });
    start = undefined;
    descriptions = [];
  };
  for (const e of trace) {
    if (e.kind === "partition") {
      const groups = e.description === "" || e.description.startsWith("{");
      if (groups) {
        blocks.delete("groups");
        // Groups cut something only when there are at least two of them.
        if (e.description.includes(" | ")) blocks.add("groups");
      } else {
        blocks.add(e.description.replace(" -x-> ", "->"));
      }
      if (start === undefined && blocks.size > 0) start = e.timeMs;
      if (start !== undefined) descriptions.push(e.description);
      close(e.timeMs);
    } else if (e.kind === "heal") {
      if (e.description.includes(" ---> ")) blocks.delete(e.description.replace(" ---> ", "->"));
      else blocks.clear();
      close(e.timeMs);
    }
  }
  if (start !== undefined) out.push({ fromMs: start, toMs: undefined, description: descriptions.join("; ") });
  return out;
}

/** True when `node` is inside one of `intervals` at time `t` (start inclusive, end exclusive). */
export function insideInterval(intervals: readonly LaneInterval[], node: NodeId, t: number): boolean {
  return intervals.some((iv) => iv.node === node && t >= iv.fromMs && (iv.toMs === undefined || t < iv.toMs));
}
