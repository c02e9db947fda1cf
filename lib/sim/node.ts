import type { RandomStream } from "./random";
import type { DurableStorage } from "./storage";
import type { HistoryOp, Reply } from "./history";
import type { NodeId } from "./trace";

/** Handle returned by setTimer, for cancelTimer. */
export type TimerId = number;

/** A request a client sent to a node. Answer it (now or later) with `ctx.reply(request, ...)`. */
export interface ClientRequest<I = unknown> {
  /** The history operation id. */
  readonly opId: number;
  readonly client: NodeId;
  readonly f: string;
  readonly input: I;
}

/**
 * Everything a node may do to the world. A node never touches real time, real randomness or real
 * I/O: it acts only through this context, so the simulator can replay it exactly.
 */
export interface NodeContext<M, I = unknown, O = unknown> {
  /** This node's id. */
  readonly id: NodeId;
  /** Every other node of the cluster (clients excluded), in configuration order. */
  readonly peers: readonly NodeId[];
  /** This node's local clock in ms: true time plus the node's offset and drift. */
  now(): number;
  /** Sends a message over the simulated network (it may be delayed, lost, duplicated...). */
  send(to: NodeId, message: M): void;
  /** Sends the message to every peer. */
  broadcast(message: M): void;
  /** Fires `onTimer(name, data)` after `delayMs` of this node's local time. */
  setTimer(delayMs: number, name: string, data?: unknown): TimerId;
  /** Cancels a timer that has not fired yet (a no-op for one that has). */
  cancelTimer(id: TimerId): void;
  /** Answers a client request. A second answer to the same request is ignored. */
  reply(request: ClientRequest<I>, reply: Reply<O>): void;
  /** The node's disk: survives crashes (see DurableStorage for unsynced writes). */
  readonly storage: DurableStorage;
  /** This node's own random stream (for randomised timeouts). */
  readonly random: RandomStream;
  /** Adds a note to the trace, shown in timelines and diagrams. */
  note(text: string): void;
}

/**
 * A protocol node: an I/O-free state machine. Fields of the object are its volatile memory; a
 * crash throws the object away and a restart builds a fresh one with `createNode`, which then
 * finds only what it wrote to `ctx.storage`.
 */
export interface NodeLogic<M, I = unknown, O = unknown> {
  /** Called when the node boots and after every restart. */
  onStart?(ctx: NodeContext<M, I, O>): void;
  /** A message from another node arrived. */
  onMessage(ctx: NodeContext<M, I, O>, from: NodeId, message: M): void;
  /** A timer set with `ctx.setTimer` fired; `data` is what was passed to it. */
  onTimer?(ctx: NodeContext<M, I, O>, name: string, data: unknown): void;
  /** A client request arrived; without this method the simulator refuses every request. */
  onClientRequest?(ctx: NodeContext<M, I, O>, request: ClientRequest<I>): void;
}

/** What a client program may do. */
export interface ClientContext<I = unknown> {
  /** This client's id. */
  readonly id: NodeId;
  /** The cluster's nodes, in configuration order. */
  readonly nodes: readonly NodeId[];
  /** True simulated time (clients are the observers, so they see the real clock). */
  now(): number;
  /** Sends a request to a node and records it in the history. Returns the operation id. */
  invoke(node: NodeId, f: string, input: I, options?: { timeoutMs?: number }): number;
  /** Fires `onTimer(name, data)` after `delayMs` (true time, unless `clocks` skews this client's clock). */
  setTimer(delayMs: number, name: string, data?: unknown): TimerId;
  /** Cancels a timer that has not fired yet. */
  cancelTimer(id: TimerId): void;
  /** This client's own workload random stream. */
  readonly random: RandomStream;
}

/** A client program: issues operations and reacts to their results. */
export interface ClientLogic<I = unknown, O = unknown> {
  /** Called once, when the client joins the run (t = 0, or when `addClient` adds it). */
  onStart?(ctx: ClientContext<I>): void;
  /** Called once per operation when it completes: ok, fail, or unknown after a timeout. */
  onResult?(ctx: ClientContext<I>, op: HistoryOp<I, O>): void;
  /** A timer set with `ctx.setTimer` fired. */
  onTimer?(ctx: ClientContext<I>, name: string, data: unknown): void;
}
