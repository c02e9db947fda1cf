/**
 * Choosing which messages a diagram or timeline draws, by label. Replication runs are full of
 * periodic traffic (heartbeats, their replies, config pushes) that buries the few messages a
 * picture is about; the `messages` option of `spaceTimeSvg`, `spaceTimeText` and `timelineText`
 * leaves them out without filtering the trace by hand.
 */
import type { TraceEvent } from "../sim/trace";
import { VizInputError } from "./errors";

/**
 * Decides whether a message is drawn, from its label (the message's `type`, or whatever the
 * simulation's `describeMessage` printed, e.g. "heartbeat" or "append {...}"): true draws it.
 *
 * ```ts
 * // Everything except the periodic traffic:
 * spaceTimeSvg(sim.trace, { nodes: sim.nodes, messages: (label) => !["heartbeat", "heartbeatReply"].includes(label) });
 * // Only the failover conversation:
 * timelineText(sim.trace, { messages: (label) => ["probe", "probeReply", "promote"].includes(messageType(label)) });
 * ```
 *
 * The filter applies to a message as a whole: a message it rejects leaves no send, delivery,
 * drop or "still in flight" mark. It is asked once per distinct label, so every part of a
 * message gets the same answer. Client invocations and completions are not messages and are
 * chosen with `kinds`.
 */
export type MessageFilter = (label: string) => boolean;

/** A trace event that is part of a message: its send, its delivery or its drop. */
export type MessageEvent = Extract<TraceEvent, { kind: "send" | "deliver" | "drop" }>;

/** True for send, deliver and drop events. */
export function isMessageEvent(e: TraceEvent): e is MessageEvent {
  return e.kind === "send" || e.kind === "deliver" || e.kind === "drop";
}

/**
 * The first word of a message label ("append {...}" → "append", "heartbeat" → "heartbeat"): the
 * message's type, which colours its arrow and is handy inside a `messages` filter.
 */
export function messageType(label: string): string {
  const m = /^[^\s{[(:,]+/.exec(label);
  return m === null ? label : m[0];
}

/**
 * Checks the `messages` option and wraps it so each label is asked about once: a filter that is
 * not a pure function still cannot split a message, and a renderer that reads the trace twice
 * (the SVG's colours, then its model) gets the same answers both times.
 */
export function rememberAnswers(filter: MessageFilter | undefined, where: string): MessageFilter | undefined {
  if (filter === undefined) return undefined;
  if (typeof filter !== "function") {
    throw new VizInputError(
      `${where}: messages must be a function from a message label to true (draw it) or false, ` +
        `e.g. { messages: (label) => label !== "heartbeat" }; got ${JSON.stringify(filter)}.`,
    );
  }
  const answers = new Map<string, boolean>();
  return (label) => {
    let keep = answers.get(label);
    if (keep === undefined) {
      // Notebook cells are not type-checked strictly: accept any truthy answer.
      keep = Boolean(filter(label));
      answers.set(label, keep);
    }
    return keep;
  };
}

/**
 * The `messages` option as a test on trace events: non-message events are always kept, message
 * events when the filter accepts their label (each label asked about once, see rememberAnswers).
 */
export function messageKeeper(filter: MessageFilter | undefined, where: string): (e: TraceEvent) => boolean {
  const accepts = rememberAnswers(filter, where);
  if (accepts === undefined) return () => true;
  return (e) => !isMessageEvent(e) || accepts(e.label);
}
