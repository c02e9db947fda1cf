import { createHash } from "node:crypto";

/** The id of a node or a client endpoint, e.g. "n1" or "client". */
export type NodeId = string;

/** Why a message never arrived. */
export type DropReason = "loss" | "partition" | "crashed" | "unknown-endpoint";

/**
 * One line of a run's trace. Every decision the simulator makes is here, in order, so a run can
 * be explained (diagrams, timelines) and compared (digests) after the fact.
 */
export type TraceEvent =
  | { kind: "send"; timeMs: number; from: NodeId; to: NodeId; msgId: number; label: string; duplicate?: boolean }
  | { kind: "deliver"; timeMs: number; from: NodeId; to: NodeId; msgId: number; label: string; sentMs: number }
  | { kind: "drop"; timeMs: number; from: NodeId; to: NodeId; msgId: number; label: string; sentMs: number; reason: DropReason }
  | { kind: "timer"; timeMs: number; node: NodeId; name: string }
  | { kind: "crash"; timeMs: number; node: NodeId; lostUnsyncedWrites: boolean }
  | { kind: "restart"; timeMs: number; node: NodeId }
  | { kind: "pause"; timeMs: number; node: NodeId; untilMs: number }
  | { kind: "resume"; timeMs: number; node: NodeId }
  | { kind: "partition"; timeMs: number; description: string }
  | { kind: "heal"; timeMs: number; description: string }
  | { kind: "invoke"; timeMs: number; client: NodeId; node: NodeId; opId: number; f: string; label: string }
  | { kind: "complete"; timeMs: number; client: NodeId; node: NodeId; opId: number; status: string; label: string }
  | { kind: "note"; timeMs: number; node: NodeId; text: string };

/** The kinds of trace events, for filters (`kinds: ["deliver", "crash"]`). */
export type TraceKind = TraceEvent["kind"];

/** One line per event, stable across runs; used for digests and plain-text dumps. */
export function formatTraceEvent(e: TraceEvent): string {
  const t = e.timeMs.toFixed(3).padStart(10);
  switch (e.kind) {
    case "send":
      return `${t} send     ${e.from} -> ${e.to} #${e.msgId} ${e.label}${e.duplicate ? " (duplicate)" : ""}`;
    case "deliver":
      return `${t} deliver  ${e.from} -> ${e.to} #${e.msgId} ${e.label}`;
    case "drop":
      return `${t} drop     ${e.from} -> ${e.to} #${e.msgId} ${e.label} (${e.reason})`;
    case "timer":
      return `${t} timer    ${e.node} ${e.name}`;
    case "crash":
      return `${t} crash    ${e.node}${e.lostUnsyncedWrites ? " (unsynced writes lost)" : ""}`;
    case "restart":
      return `${t} restart  ${e.node}`;
    case "pause":
      return `${t} pause    ${e.node} until ${e.untilMs}`;
    case "resume":
      return `${t} resume   ${e.node}`;
    case "partition":
      return `${t} partition ${e.description}`;
    case "heal":
      return `${t} heal     ${e.description}`;
    case "invoke":
      return `${t} invoke   ${e.client} -> ${e.node} op${e.opId} ${e.label}`;
    case "complete":
      return `${t} complete ${e.client} <- ${e.node} op${e.opId} ${e.status} ${e.label}`;
    case "note":
      return `${t} note     ${e.node}: ${e.text}`;
  }
}

/** SHA-256 over the formatted trace: equal digests mean the runs made the same decisions. */
export function traceDigest(events: readonly TraceEvent[]): string {
  const h = createHash("sha256");
  for (const e of events) h.update(formatTraceEvent(e) + "\n");
  return h.digest("hex");
}

/** The nodes and clients an event concerns (empty for network-wide events). */
export function participants(e: TraceEvent): NodeId[] {
  switch (e.kind) {
    case "send":
    case "deliver":
    case "drop":
      return [e.from, e.to];
    case "invoke":
    case "complete":
      return [e.client, e.node];
    case "partition":
    case "heal":
      return [];
    default:
      return [e.node];
  }
}
