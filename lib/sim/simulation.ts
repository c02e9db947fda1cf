import { LocalClock, type ClockSettings } from "./clock";
import { NodeCodeError, RunLimitError, SimulationConfigError, requireFiniteNonNegative } from "./errors";
import { EventQueue, type Scheduled } from "./event_queue";
import { History, type HistoryOp, type Reply } from "./history";
import { sampleLatency, validateLatency } from "./latency";
import {
  DEFAULT_LATENCY,
  validateLinkOverride,
  validateNetworkConfig,
  type LinkBehaviour,
  type LinkOverride,
  type NetworkConfig,
} from "./network";
import type { ClientContext, ClientLogic, ClientRequest, NodeContext, NodeLogic, TimerId } from "./node";
import { RandomStreams, type RandomStream, type Seed } from "./random";
import { SimulatedDisk } from "./storage";
import { formatTraceEvent, participants, traceDigest, type DropReason, type NodeId, type TraceEvent, type TraceKind } from "./trace";

/** Limits on one simulation; a run that passes one throws RunLimitError naming the seed. */
export interface RunLimits {
  /** Events processed before the run is declared runaway (default 5,000,000). */
  maxEvents?: number;
  /** Simulated time after which the run is declared runaway (default 24 hours). */
  maxTimeMs?: number;
}

/** Everything `new Simulation(config)` needs; only seed, nodes and createNode are required. */
export interface SimulationConfig<M, I = unknown, O = unknown, N extends NodeLogic<M, I, O> = NodeLogic<M, I, O>> {
  /** Every random decision derives from this seed: same seed, same run. */
  seed: Seed;
  /** The cluster's node ids, e.g. ["a", "b", "c"]. */
  nodes: readonly NodeId[];
  /** Builds a node's state machine; called at boot and again on every restart. */
  createNode: (id: NodeId) => N;
  /** Client endpoints (they take part in the network and in partitions like nodes do). */
  clients?: readonly (NodeId | { id: NodeId; logic: ClientLogic<I, O> })[];
  /** Latency, loss, duplication, reordering and per-link exceptions (default: uniform 1-5 ms, no faults). */
  network?: NetworkConfig;
  /** Per-node clock offset and drift. */
  clocks?: Readonly<Record<NodeId, ClockSettings>>;
  /** Guards against runaway runs (see RunLimits for the defaults). */
  limits?: RunLimits;
  /** Keep a trace of every event (default true; benchmarks turn it off). */
  trace?: boolean;
  /** How a message appears in traces and diagrams (default: its `type` field, else short JSON). */
  describeMessage?: (message: M) => string;
  /** How long a client waits for an answer before recording "unknown" (default 1000 ms). */
  clientTimeoutMs?: number;
}

/** Why `run` returned. */
export interface RunSummary {
  /** "idle": nothing left to happen; "time": the untilMs/forMs horizon; "condition": `until()` held. */
  stoppedBecause: "idle" | "time" | "condition";
  /** Simulated time when the run returned. */
  timeMs: number;
  /** Events processed since the simulation was created. */
  events: number;
}

/** Message counts over the whole run (client requests and replies included). */
export interface NetworkStats {
  /** Messages handed to the network, duplicates not counted. */
  sent: number;
  /** Messages a node or client handled (a paused node's backlog counts when it resumes). */
  delivered: number;
  /** Messages lost to loss, partitions or a crashed receiver. */
  dropped: number;
  /** Extra copies made by the duplication fault. */
  duplicated: number;
}

type NodeStatus = "up" | "crashed";

/** What the outside world (a notebook, a test) may look at of a node. */
export interface NodeView<N> {
  readonly id: NodeId;
  readonly status: NodeStatus;
  readonly paused: boolean;
  /** Number of restarts so far. */
  readonly incarnation: number;
  /** The node's current state machine (the dead one while crashed). */
  readonly logic: N;
  readonly storage: SimulatedDisk;
  /** The node's local clock reading now. */
  readonly localTimeMs: number;
}

const enum EventKind {
  Deliver,
  Timer,
  Action,
  ClientTimeout,
}

const enum Channel {
  Message,
  ClientRequest,
  ClientReply,
}

interface Endpoint {
  id: NodeId;
  index: number;
  isClient: boolean;
  status: NodeStatus;
  pausedUntilMs: number;
  paused: boolean;
  backlog: SimEvent[];
  incarnation: number;
  clock: LocalClock;
  random: RandomStream;
  disk: SimulatedDisk;
  timers: Map<TimerId, TimerEvent>;
  nodeLogic: NodeLogic<unknown, unknown, unknown> | undefined;
  nodeCtx: NodeContext<unknown, unknown, unknown> | undefined;
  clientLogic: ClientLogic<unknown, unknown> | undefined;
  clientCtx: ClientContext<unknown> | undefined;
}

interface DeliverEvent extends Scheduled {
  kind: EventKind.Deliver;
  cancelled: boolean;
  channel: Channel;
  from: Endpoint;
  to: Endpoint;
  payload: unknown;
  msgId: number;
  sentMs: number;
  label: string;
}

interface TimerEvent extends Scheduled {
  kind: EventKind.Timer;
  /** Cancelled events are skipped without advancing the clock. */
  cancelled: boolean;
  owner: Endpoint;
  id: TimerId;
  incarnation: number;
  name: string;
  data: unknown;
}

interface ActionEvent extends Scheduled {
  kind: EventKind.Action;
  cancelled: boolean;
  label: string;
  run: () => void;
}

interface ClientTimeoutEvent extends Scheduled {
  kind: EventKind.ClientTimeout;
  cancelled: boolean;
  opId: number;
}

type SimEvent = DeliverEvent | TimerEvent | ActionEvent | ClientTimeoutEvent;

const LINK_KEY_STRIDE = 1 << 16;

/** A value as JSON cut to 40 characters: trace labels stay one short line. */
function shortJson(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 40 ? json.slice(0, 39) + "…" : json;
}

function defaultDescribe(message: unknown): string {
  if (message !== null && typeof message === "object") {
    const type = (message as { type?: unknown }).type;
    if (typeof type === "string") return type;
  }
  return shortJson(message);
}

function describeOp(f: string, value: unknown): string {
  return value === undefined ? f : `${f} ${shortJson(value)}`;
}

/**
 * A deterministic discrete-event simulation of a cluster: nodes (I/O-free state machines),
 * clients, a faulty network, crashes, pauses and skewed clocks, all driven by one seed.
 *
 * ```ts
 * const sim = new Simulation({ seed: 1, nodes: ["a", "b"], createNode: () => new PingNode() });
 * sim.run({ forMs: 100 });
 * ```
 */
export class Simulation<M = unknown, I = unknown, O = unknown, N extends NodeLogic<M, I, O> = NodeLogic<M, I, O>> {
  readonly seed: string;
  readonly random: RandomStreams;
  readonly history = new History<I, O>();
  readonly stats: NetworkStats = { sent: 0, delivered: 0, dropped: 0, duplicated: 0 };
  /** Every event of the run in order (empty when tracing is off). */
  readonly trace: TraceEvent[] = [];

  private nowMs = 0;
  private eventsProcessed = 0;
  private readonly queue = new EventQueue<SimEvent>();
  private readonly endpoints: Endpoint[] = [];
  private readonly byId = new Map<NodeId, Endpoint>();
  private readonly nodeIds: NodeId[];
  private readonly createNode: (id: NodeId) => N;
  private readonly tracing: boolean;
  private readonly describe: (message: unknown) => string;
  private readonly clientTimeoutMs: number;
  private readonly maxEvents: number;
  private readonly maxTimeMs: number;
  private readonly netRandom: RandomStream;

  private defaultLink: LinkBehaviour;
  /** What each override sets; unset fields follow the default, even when it changes later. */
  private readonly linkOverrides = new Map<number, Partial<LinkBehaviour>>();
  /** Overrides merged with the default: what `send` reads. */
  private readonly resolvedLinks = new Map<number, LinkBehaviour>();
  private readonly blocked = new Set<number>();
  private partitionBlocked = new Set<number>();
  private readonly oneWayBlocked = new Set<number>();
  private duplicateProbability: number;
  private reorder: { probability: number; maxExtraDelayMs: number };

  private nextMsgId = 0;
  private nextTimerId = 0;
  private readonly pendingOps = new Map<number, { op: HistoryOp<I, O>; timeout: ClientTimeoutEvent }>();
  private readonly repliedOps = new Set<number>();
  private running = false;

  constructor(config: SimulationConfig<M, I, O, N>) {
    if (config === null || typeof config !== "object") {
      throw new SimulationConfigError("new Simulation(config) needs a config object with seed, nodes and createNode.");
    }
    if (typeof config.seed !== "number" && typeof config.seed !== "string") {
      throw new SimulationConfigError(
        `seed must be a number or a string (it makes the run reproducible), got ${String(config.seed)}.`,
      );
    }
    if (typeof config.seed === "number" && !Number.isFinite(config.seed)) {
      throw new SimulationConfigError(`seed must be a finite number or a string, got ${config.seed}.`);
    }
    if (!Array.isArray(config.nodes) || config.nodes.length === 0) {
      throw new SimulationConfigError(
        'the cluster is empty: pass at least one node id, e.g. nodes: ["a", "b", "c"].',
      );
    }
    if (typeof config.createNode !== "function") {
      throw new SimulationConfigError("createNode must be a function (id) => node state machine.");
    }
    this.seed = String(config.seed);
    this.random = new RandomStreams(config.seed);
    this.netRandom = this.random.stream("network");
    this.nodeIds = [...config.nodes];
    this.createNode = config.createNode;
    this.tracing = config.trace ?? true;
    this.describe = (config.describeMessage as ((m: unknown) => string) | undefined) ?? defaultDescribe;
    this.clientTimeoutMs = config.clientTimeoutMs ?? 1000;
    requireFiniteNonNegative(this.clientTimeoutMs, "clientTimeoutMs");
    this.maxEvents = config.limits?.maxEvents ?? 5_000_000;
    this.maxTimeMs = config.limits?.maxTimeMs ?? 24 * 3600 * 1000;
    if (!(this.maxEvents > 0)) throw new SimulationConfigError(`limits.maxEvents must be > 0, got ${this.maxEvents}.`);
    if (!(this.maxTimeMs > 0)) throw new SimulationConfigError(`limits.maxTimeMs must be > 0, got ${this.maxTimeMs}.`);

    for (const id of this.nodeIds) this.addEndpoint(id, false);
    for (const c of config.clients ?? []) {
      if (typeof c === "string") this.addEndpoint(c, true);
      else this.addEndpoint(c.id, true).clientLogic = c.logic as ClientLogic<unknown, unknown>;
    }

    const network = config.network ?? {};
    validateNetworkConfig(network, (id) => this.byId.has(id), this.knownList());
    this.defaultLink = { latency: network.latency ?? DEFAULT_LATENCY, lossProbability: network.lossProbability ?? 0 };
    this.duplicateProbability = network.duplicateProbability ?? 0;
    this.reorder = network.reorder ?? { probability: 0, maxExtraDelayMs: 0 };
    for (const link of network.links ?? []) this.applyLink(link);

    for (const [id, settings] of Object.entries(config.clocks ?? {})) {
      this.endpoint(id, "clocks").clock.set(settings, id);
    }

    // Boot every node, then every client, at t = 0, in configuration order. A node crashed before
    // the run stays down; one crashed and restarted before it is already running.
    for (const ep of this.endpoints) {
      this.schedule(0, `start ${ep.id}`, () => {
        if (ep.isClient) this.startClient(ep);
        else if (ep.status !== "crashed" && ep.nodeLogic === undefined) this.startNode(ep);
      });
    }
  }

  // ---------------------------------------------------------------- observation

  /** True simulated time in ms. */
  get now(): number {
    return this.nowMs;
  }

  /** Events processed so far. */
  get events(): number {
    return this.eventsProcessed;
  }

  /** The node ids, in configuration order. */
  get nodes(): readonly NodeId[] {
    return this.nodeIds;
  }

  /** The client ids, in the order they were added. */
  get clients(): NodeId[] {
    return this.endpoints.filter((e) => e.isClient).map((e) => e.id);
  }

  /** A live view of one node (status, pause, incarnation, state machine, disk, local clock). */
  node(id: NodeId): NodeView<N> {
    const ep = this.nodeEndpoint(id, "node()");
    const sim = this;
    return {
      id,
      get status() {
        return ep.status;
      },
      get paused() {
        return ep.paused;
      },
      get incarnation() {
        return ep.incarnation;
      },
      get logic() {
        return ep.nodeLogic as N;
      },
      storage: ep.disk,
      get localTimeMs() {
        return ep.clock.read(sim.nowMs);
      },
    };
  }

  /** The state machine of a node (its current incarnation). */
  logic(id: NodeId): N {
    return this.nodeEndpoint(id, "logic()").nodeLogic as N;
  }

  /** False while the node is crashed (a paused node is up). */
  isUp(id: NodeId): boolean {
    return this.nodeEndpoint(id, "isUp()").status === "up";
  }

  /** SHA-256 of the trace: two runs with equal digests made exactly the same decisions. */
  digest(): string {
    if (!this.tracing) throw new SimulationConfigError("digest() needs the trace: create the simulation with trace: true.");
    return traceDigest(this.trace);
  }

  /** The trace as text, optionally filtered. */
  traceText(filter: { kinds?: readonly TraceKind[]; nodes?: readonly NodeId[]; fromMs?: number; toMs?: number } = {}): string {
    return this.trace
      .filter((e) => {
        if (filter.kinds && !filter.kinds.includes(e.kind)) return false;
        if (filter.fromMs !== undefined && e.timeMs < filter.fromMs) return false;
        if (filter.toMs !== undefined && e.timeMs > filter.toMs) return false;
        if (filter.nodes) {
          const who = participants(e);
          if (who.length > 0 && !who.some((w) => filter.nodes!.includes(w))) return false;
        }
        return true;
      })
      .map(formatTraceEvent)
      .join("\n");
  }

  // ---------------------------------------------------------------- running

  /**
   * Processes events in (time, sequence) order until the queue is empty, simulated time reaches
   * `untilMs` (or now + `forMs`), or `until()` becomes true. Throws RunLimitError when the run
   * exceeds its limits, naming the seed.
   */
  run(options: { untilMs?: number; forMs?: number; until?: () => boolean } = {}): RunSummary {
    if (this.running) throw new SimulationConfigError("run() was called from inside the simulation; schedule work with at() instead.");
    let stopAt = Number.POSITIVE_INFINITY;
    if (options.untilMs !== undefined) {
      requireFiniteNonNegative(options.untilMs, "run({ untilMs })");
      stopAt = options.untilMs;
    }
    if (options.forMs !== undefined) {
      requireFiniteNonNegative(options.forMs, "run({ forMs })");
      stopAt = Math.min(stopAt, this.nowMs + options.forMs);
    }
    const until = options.until;
    this.running = true;
    let current: SimEvent | undefined;
    try {
      for (;;) {
        if (until !== undefined && until()) return this.summary("condition");
        const next = this.queue.peek();
        if (next === undefined) {
          if (stopAt !== Number.POSITIVE_INFINITY) this.nowMs = Math.max(this.nowMs, stopAt);
          return this.summary("idle");
        }
        if (next.cancelled) {
          this.queue.pop();
          continue;
        }
        if (next.time > stopAt) {
          this.nowMs = Math.max(this.nowMs, stopAt);
          return this.summary("time");
        }
        if (next.time > this.maxTimeMs) {
          throw this.limitError(
            `simulated time passed limits.maxTimeMs (${this.maxTimeMs} ms) and events were still queued`,
            "a protocol with periodic timers never goes idle: run it with { forMs } or { untilMs }, or raise limits.maxTimeMs",
          );
        }
        if (this.eventsProcessed >= this.maxEvents) {
          throw this.limitError(
            `the run processed limits.maxEvents (${this.maxEvents}) events`,
            "this usually means a livelock or a message storm; raise limits.maxEvents if the run is really that long",
          );
        }
        current = this.queue.pop() as SimEvent;
        this.nowMs = current.time;
        this.eventsProcessed++;
        this.process(current);
        current = undefined;
      }
    } catch (err) {
      if (err instanceof RunLimitError || err instanceof SimulationConfigError || err instanceof NodeCodeError) throw err;
      throw this.codeError(err, current);
    } finally {
      this.running = false;
    }
  }

  /** Runs until `condition()` holds; throws RunLimitError if it does not within `timeoutMs`. */
  runUntil(condition: () => boolean, options: { timeoutMs?: number; what?: string } = {}): RunSummary {
    const timeoutMs = options.timeoutMs ?? 60_000;
    requireFiniteNonNegative(timeoutMs, "runUntil(condition, { timeoutMs })");
    const summary = this.run({ until: condition, forMs: timeoutMs });
    if (summary.stoppedBecause !== "condition" && !condition()) {
      throw this.limitError(
        `${options.what ?? "the condition"} did not hold within ${timeoutMs} ms of simulated time` +
          (summary.stoppedBecause === "idle" ? " (nothing was left to happen)" : ""),
        "pass a larger timeoutMs, or look at the trace to see why it never happened",
      );
    }
    return summary;
  }

  // ---------------------------------------------------------------- scheduling and faults

  /** Runs `action` at simulated time `timeMs` (e.g. a scheduled crash or partition). */
  at(timeMs: number, action: () => void, label = "action"): void {
    requireFiniteNonNegative(timeMs, "at(timeMs)");
    if (timeMs < this.nowMs) {
      throw new SimulationConfigError(`at(${timeMs}) is in the past: simulated time is already ${this.nowMs} ms.`);
    }
    this.schedule(timeMs, label, action);
  }

  /** Runs `action` after `delayMs` of simulated time. */
  after(delayMs: number, action: () => void, label = "action"): void {
    requireFiniteNonNegative(delayMs, "after(delayMs)");
    this.schedule(this.nowMs + delayMs, label, action);
  }

  /**
   * Crashes a node: its memory (the state machine object), timers and queued input are gone; its
   * disk survives. With `loseUnsyncedWrites`, writes since its last `sync()` are lost too.
   */
  crash(id: NodeId, options: { loseUnsyncedWrites?: boolean } = {}): void {
    const ep = this.nodeEndpoint(id, "crash()");
    if (ep.status === "crashed") return;
    const lose = options.loseUnsyncedWrites ?? false;
    ep.status = "crashed";
    ep.pausedUntilMs = 0;
    ep.paused = false;
    for (const ev of ep.backlog) if (ev.kind === EventKind.Deliver) this.recordDrop(ev, "crashed");
    ep.backlog = [];
    this.cancelAllTimers(ep);
    ep.disk.crash(lose);
    if (this.tracing) this.trace.push({ kind: "crash", timeMs: this.nowMs, node: id, lostUnsyncedWrites: lose });
  }

  /** Restarts a crashed node: a fresh state machine that finds only its disk. */
  restart(id: NodeId): void {
    const ep = this.nodeEndpoint(id, "restart()");
    if (ep.status !== "crashed") {
      throw new SimulationConfigError(`restart("${id}"): node is not crashed; crash it first.`);
    }
    ep.incarnation++;
    if (this.tracing) this.trace.push({ kind: "restart", timeMs: this.nowMs, node: id });
    this.startNode(ep);
  }

  /**
   * Freezes a node for `durationMs` (a long GC pause, a stalled VM): it handles nothing meanwhile
   * and then processes everything that arrived, in order, believing no time has passed.
   */
  pause(id: NodeId, durationMs: number): void {
    const ep = this.nodeEndpoint(id, "pause()");
    requireFiniteNonNegative(durationMs, `pause("${id}", durationMs)`);
    if (ep.status === "crashed") throw new SimulationConfigError(`pause("${id}"): node is crashed.`);
    const until = Math.max(ep.pausedUntilMs, this.nowMs + durationMs);
    ep.pausedUntilMs = until;
    ep.paused = true;
    if (this.tracing) this.trace.push({ kind: "pause", timeMs: this.nowMs, node: id, untilMs: until });
    this.schedule(until, `resume ${id}`, () => this.resume(ep, until));
  }

  /**
   * Splits the network into groups that cannot reach each other (in both directions). Endpoints
   * not listed in any group (typically clients) can still reach everyone. Replaces any earlier
   * partition; one-way blocks made with `blockLink` are kept.
   */
  partition(groups: readonly (readonly NodeId[])[]): void {
    const seen = new Set<NodeId>();
    for (const group of groups) {
      for (const id of group) {
        this.endpoint(id, "partition()");
        if (seen.has(id)) throw new SimulationConfigError(`partition(): "${id}" is listed in two groups.`);
        seen.add(id);
      }
    }
    this.partitionBlocked = new Set<number>();
    for (let g = 0; g < groups.length; g++) {
      for (let h = 0; h < groups.length; h++) {
        if (g === h) continue;
        for (const a of groups[g]!) for (const b of groups[h]!) this.partitionBlocked.add(this.linkKey(this.byId.get(a)!, this.byId.get(b)!));
      }
    }
    this.rebuildBlocked();
    if (this.tracing) {
      this.trace.push({ kind: "partition", timeMs: this.nowMs, description: groups.map((g) => `{${g.join(",")}}`).join(" | ") });
    }
  }

  /** Cuts one node off from every other node and client, both ways. */
  isolate(id: NodeId): void {
    const ep = this.endpoint(id, "isolate()");
    for (const other of this.endpoints) {
      if (other === ep) continue;
      this.oneWayBlocked.add(this.linkKey(ep, other));
      this.oneWayBlocked.add(this.linkKey(other, ep));
    }
    this.rebuildBlocked();
    if (this.tracing) this.trace.push({ kind: "partition", timeMs: this.nowMs, description: `isolate ${id}` });
  }

  /** One-way partition: messages from `from` to `to` are dropped; the other direction works. */
  blockLink(from: NodeId, to: NodeId): void {
    this.oneWayBlocked.add(this.linkKey(this.endpoint(from, "blockLink()"), this.endpoint(to, "blockLink()")));
    this.rebuildBlocked();
    if (this.tracing) this.trace.push({ kind: "partition", timeMs: this.nowMs, description: `${from} -x-> ${to}` });
  }

  /** Lifts a one-way block made with `blockLink` (not a `partition`, which only `heal` ends). */
  unblockLink(from: NodeId, to: NodeId): void {
    this.oneWayBlocked.delete(this.linkKey(this.endpoint(from, "unblockLink()"), this.endpoint(to, "unblockLink()")));
    this.rebuildBlocked();
    if (this.tracing) this.trace.push({ kind: "heal", timeMs: this.nowMs, description: `${from} ---> ${to}` });
  }

  /** Removes every partition and one-way block. */
  heal(): void {
    this.blocked.clear();
    this.partitionBlocked.clear();
    this.oneWayBlocked.clear();
    if (this.tracing) this.trace.push({ kind: "heal", timeMs: this.nowMs, description: "all links restored" });
  }

  /** True when a message from `from` to `to` would be dropped by a partition right now. */
  isBlocked(from: NodeId, to: NodeId): boolean {
    return this.blocked.has(this.linkKey(this.endpoint(from, "isBlocked()"), this.endpoint(to, "isBlocked()")));
  }

  /** Changes a link's latency or loss from now on (e.g. a follower's network slows down). */
  setLink(link: LinkOverride): void {
    validateLinkOverride(link, "setLink()", (id) => this.byId.has(id), this.knownList());
    this.applyLink(link);
  }

  /** Changes the default latency of every link that has no override. */
  setDefaultLatency(latency: LinkBehaviour["latency"]): void {
    validateLatency(latency, "setDefaultLatency()");
    this.defaultLink = { ...this.defaultLink, latency };
    this.resolveLinks();
  }

  /**
   * Changes a node's clock from now on: `offsetMs` steps it (reading = offsetMs + (1 + drift) * t),
   * `drift` alone changes its rate without a jump. Timers already set keep their true-time deadline.
   */
  setClock(id: NodeId, settings: ClockSettings): void {
    this.nodeEndpoint(id, "setClock()").clock.set(settings, id, this.nowMs);
  }

  /** Adds a client endpoint (before or during the run). */
  addClient(id: NodeId, logic?: ClientLogic<I, O>): void {
    const ep = this.addEndpoint(id, true);
    ep.clientLogic = logic as ClientLogic<unknown, unknown> | undefined;
    this.schedule(this.nowMs, `start ${id}`, () => this.startClient(ep));
  }

  /**
   * Sends one client request at simulated time `atMs` (default now), from a client endpoint
   * added with `clients` or `addClient`. The operation appears in `history` when it is sent.
   */
  invoke(client: NodeId, node: NodeId, f: string, input: I, options: { atMs?: number; timeoutMs?: number } = {}): void {
    const ep = this.clientEndpoint(client, "invoke()");
    this.nodeEndpoint(node, "invoke()");
    // Checked now rather than when the request is sent, in the middle of a later run().
    if (options.timeoutMs !== undefined) requireFiniteNonNegative(options.timeoutMs, "invoke() timeoutMs");
    const at = options.atMs ?? this.nowMs;
    this.at(at, () => this.startOp(ep, node, f, input, options.timeoutMs), `invoke ${client}`);
  }

  // ---------------------------------------------------------------- internals

  private rebuildBlocked(): void {
    this.blocked.clear();
    for (const k of this.partitionBlocked) this.blocked.add(k);
    for (const k of this.oneWayBlocked) this.blocked.add(k);
  }

  private knownList(): string {
    return this.endpoints.map((e) => `"${e.id}"`).join(", ");
  }

  private addEndpoint(id: NodeId, isClient: boolean): Endpoint {
    if (typeof id !== "string" || id.length === 0) {
      throw new SimulationConfigError(`node and client ids must be non-empty strings, got ${JSON.stringify(id)}.`);
    }
    if (this.byId.has(id)) {
      throw new SimulationConfigError(`id "${id}" is used twice; every node and client needs its own id.`);
    }
    if (this.endpoints.length >= LINK_KEY_STRIDE) {
      throw new SimulationConfigError(`too many endpoints (the limit is ${LINK_KEY_STRIDE}).`);
    }
    const ep: Endpoint = {
      id,
      index: this.endpoints.length,
      isClient,
      status: "up",
      pausedUntilMs: 0,
      paused: false,
      backlog: [],
      incarnation: 0,
      clock: new LocalClock({}, id),
      random: this.random.stream(isClient ? `client:${id}` : `node:${id}`),
      disk: new SimulatedDisk(),
      timers: new Map(),
      nodeLogic: undefined,
      nodeCtx: undefined,
      clientLogic: undefined,
      clientCtx: undefined,
    };
    this.endpoints.push(ep);
    this.byId.set(id, ep);
    return ep;
  }

  private endpoint(id: NodeId, where: string): Endpoint {
    const ep = this.byId.get(id);
    if (ep === undefined) {
      throw new SimulationConfigError(`${where}: unknown node "${id}". Known nodes and clients: ${this.knownList()}.`);
    }
    return ep;
  }

  private nodeEndpoint(id: NodeId, where: string): Endpoint {
    const ep = this.endpoint(id, where);
    if (ep.isClient) throw new SimulationConfigError(`${where}: "${id}" is a client, not a node. Nodes: ${this.nodeIds.join(", ")}.`);
    return ep;
  }

  private clientEndpoint(id: NodeId, where: string): Endpoint {
    const ep = this.byId.get(id);
    if (ep === undefined || !ep.isClient) {
      throw new SimulationConfigError(
        `${where}: "${id}" is not a client. Declare it with clients: ["${id}"] or sim.addClient("${id}").`,
      );
    }
    return ep;
  }

  private linkKey(from: Endpoint, to: Endpoint): number {
    return from.index * LINK_KEY_STRIDE + to.index;
  }

  private applyLink(link: LinkOverride): void {
    const from = this.byId.get(link.from)!;
    const to = this.byId.get(link.to)!;
    const pairs: [Endpoint, Endpoint][] = link.symmetric === false ? [[from, to]] : [[from, to], [to, from]];
    for (const [a, b] of pairs) {
      const key = this.linkKey(a, b);
      const before = this.linkOverrides.get(key) ?? {};
      this.linkOverrides.set(key, {
        ...before,
        ...(link.latency === undefined ? {} : { latency: link.latency }),
        ...(link.lossProbability === undefined ? {} : { lossProbability: link.lossProbability }),
      });
    }
    this.resolveLinks();
  }

  private resolveLinks(): void {
    this.resolvedLinks.clear();
    for (const [key, override] of this.linkOverrides) this.resolvedLinks.set(key, { ...this.defaultLink, ...override });
  }

  private schedule(timeMs: number, label: string, run: () => void): void {
    this.queue.push({ kind: EventKind.Action, time: timeMs, seq: 0, cancelled: false, label, run });
  }

  private summary(stoppedBecause: RunSummary["stoppedBecause"]): RunSummary {
    return { stoppedBecause, timeMs: this.nowMs, events: this.eventsProcessed };
  }

  private limitError(what: string, advice: string): RunLimitError {
    return new RunLimitError(
      `Run stopped at t=${this.nowMs.toFixed(1)} ms after ${this.eventsProcessed} events: ${what}. ` +
        `Seed ${JSON.stringify(this.seed)} reproduces it. ${advice}.`,
      this.seed,
      this.nowMs,
      this.eventsProcessed,
    );
  }

  private codeError(err: unknown, ev: SimEvent | undefined): NodeCodeError {
    let where = "simulation code";
    if (ev !== undefined) {
      switch (ev.kind) {
        case EventKind.Deliver:
          where =
            ev.channel === Channel.ClientReply
              ? `client "${ev.to.id}" handling a reply from "${ev.from.id}"`
              : `node "${ev.to.id}" handling ${ev.channel === Channel.ClientRequest ? "a client request" : "a message"} from "${ev.from.id}" (${this.describe(ev.payload)})`;
          break;
        case EventKind.Timer:
          where = `${ev.owner.isClient ? "client" : "node"} "${ev.owner.id}" handling timer "${ev.name}"`;
          break;
        case EventKind.Action:
          where = `scheduled action "${ev.label}"`;
          break;
        case EventKind.ClientTimeout:
          where = `client "${this.history.ops[ev.opId]?.client}" handling the timeout of op${ev.opId}`;
          break;
      }
    }
    const message = err instanceof Error ? err.message : String(err);
    return new NodeCodeError(
      `${where} threw at t=${this.nowMs.toFixed(1)} ms (seed ${JSON.stringify(this.seed)}): ${message}`,
      this.seed,
      this.nowMs,
      err,
    );
  }

  private process(ev: SimEvent): void {
    switch (ev.kind) {
      case EventKind.Deliver:
        return this.deliver(ev);
      case EventKind.Timer:
        return this.fireTimer(ev);
      case EventKind.Action:
        return ev.run();
      case EventKind.ClientTimeout:
        return this.timeoutOp(ev.opId);
    }
  }

  private deliver(ev: DeliverEvent): void {
    const to = ev.to;
    if (to.status === "crashed") return this.recordDrop(ev, "crashed");
    if (to.paused) {
      to.backlog.push(ev);
      return;
    }
    this.stats.delivered++;
    if (this.tracing) {
      this.trace.push({ kind: "deliver", timeMs: this.nowMs, from: ev.from.id, to: to.id, msgId: ev.msgId, label: ev.label, sentMs: ev.sentMs });
    }
    switch (ev.channel) {
      case Channel.Message:
        to.nodeLogic!.onMessage(to.nodeCtx!, ev.from.id, ev.payload);
        return;
      case Channel.ClientRequest: {
        const request = ev.payload as ClientRequest<unknown>;
        const logic = to.nodeLogic!;
        if (logic.onClientRequest === undefined) {
          to.nodeCtx!.reply(request, { ok: false, error: `node "${to.id}" does not accept client requests` });
        } else {
          logic.onClientRequest(to.nodeCtx!, request);
        }
        return;
      }
      case Channel.ClientReply:
        return this.completeOp(ev.payload as { opId: number; reply: Reply<O> });
    }
  }

  private recordDrop(ev: DeliverEvent, reason: DropReason): void {
    this.stats.dropped++;
    if (this.tracing) {
      this.trace.push({ kind: "drop", timeMs: this.nowMs, from: ev.from.id, to: ev.to.id, msgId: ev.msgId, label: ev.label, sentMs: ev.sentMs, reason });
    }
  }

  private fireTimer(ev: TimerEvent): void {
    const owner = ev.owner;
    if (owner.incarnation !== ev.incarnation || owner.status === "crashed") return;
    if (owner.paused) {
      owner.backlog.push(ev);
      return;
    }
    owner.timers.delete(ev.id);
    if (this.tracing) this.trace.push({ kind: "timer", timeMs: this.nowMs, node: owner.id, name: ev.name });
    if (owner.isClient) owner.clientLogic?.onTimer?.(owner.clientCtx!, ev.name, ev.data);
    else owner.nodeLogic!.onTimer?.(owner.nodeCtx!, ev.name, ev.data);
  }

  private resume(ep: Endpoint, until: number): void {
    // A later, longer pause supersedes this resume; a shorter one inside it scheduled a second
    // resume for the same instant, which finds the node already awake.
    if (!ep.paused || ep.pausedUntilMs !== until || ep.status === "crashed") return;
    if (this.tracing) this.trace.push({ kind: "resume", timeMs: this.nowMs, node: ep.id });
    ep.paused = false;
    const backlog = ep.backlog;
    ep.backlog = [];
    // Handled here, in arrival order, before anything else due at this instant.
    for (const ev of backlog) {
      if (ev.cancelled) continue;
      try {
        this.process(ev);
      } catch (err) {
        if (err instanceof SimulationConfigError || err instanceof RunLimitError || err instanceof NodeCodeError) throw err;
        throw this.codeError(err, ev);
      }
    }
  }

  private send(from: Endpoint, toId: NodeId, payload: unknown, channel: Channel): void {
    const to = this.byId.get(toId);
    if (to === undefined) {
      throw new SimulationConfigError(`"${from.id}" sent a message to unknown node "${toId}". Known nodes and clients: ${this.knownList()}.`);
    }
    if (to.isClient && channel === Channel.Message) {
      throw new SimulationConfigError(
        `"${from.id}" sent a message to client "${toId}"; clients only receive answers: use ctx.reply(request, reply).`,
      );
    }
    const msgId = ++this.nextMsgId;
    this.stats.sent++;
    const label = this.tracing ? this.labelFor(payload, channel) : "";
    if (this.tracing) this.trace.push({ kind: "send", timeMs: this.nowMs, from: from.id, to: toId, msgId, label });
    const key = from.index * LINK_KEY_STRIDE + to.index;
    const link = this.resolvedLinks.size === 0 ? this.defaultLink : (this.resolvedLinks.get(key) ?? this.defaultLink);
    const ev: DeliverEvent = {
      kind: EventKind.Deliver,
      time: 0,
      seq: 0,
      cancelled: false,
      channel,
      from,
      to,
      payload,
      msgId,
      sentMs: this.nowMs,
      label,
    };
    if (this.blocked.size > 0 && this.blocked.has(key)) return this.recordDrop(ev, "partition");
    if (link.lossProbability > 0 && this.netRandom.chance(link.lossProbability)) return this.recordDrop(ev, "loss");
    ev.time = this.nowMs + this.flightTime(link);
    this.queue.push(ev);
    if (this.duplicateProbability > 0 && this.netRandom.chance(this.duplicateProbability)) {
      const copyId = ++this.nextMsgId;
      this.stats.duplicated++;
      if (this.tracing) this.trace.push({ kind: "send", timeMs: this.nowMs, from: from.id, to: toId, msgId: copyId, label, duplicate: true });
      this.queue.push({ ...ev, msgId: copyId, time: this.nowMs + this.flightTime(link) });
    }
  }

  private flightTime(link: LinkBehaviour): number {
    let t = sampleLatency(link.latency, this.netRandom);
    if (this.reorder.probability > 0 && this.netRandom.chance(this.reorder.probability)) {
      t += this.netRandom.uniform(0, this.reorder.maxExtraDelayMs);
    }
    return t;
  }

  private labelFor(payload: unknown, channel: Channel): string {
    switch (channel) {
      case Channel.Message:
        return this.describe(payload);
      case Channel.ClientRequest: {
        const r = payload as ClientRequest<unknown>;
        return describeOp(r.f, r.input);
      }
      case Channel.ClientReply: {
        const { reply } = payload as { reply: Reply<unknown> };
        return reply.ok ? describeOp("ok", reply.value) : `fail ${reply.error}`;
      }
    }
  }

  private setTimer(owner: Endpoint, delayMs: number, name: string, data: unknown): TimerId {
    if (typeof delayMs !== "number" || !(delayMs >= 0) || !Number.isFinite(delayMs)) {
      throw new SimulationConfigError(`"${owner.id}" set timer "${name}" with delay ${delayMs}; a delay must be a finite number >= 0.`);
    }
    const id = ++this.nextTimerId;
    const ev: TimerEvent = {
      kind: EventKind.Timer,
      time: this.nowMs + owner.clock.toTrueDuration(delayMs),
      seq: 0,
      cancelled: false,
      owner,
      id,
      incarnation: owner.incarnation,
      name,
      data,
    };
    owner.timers.set(id, ev);
    this.queue.push(ev);
    return id;
  }

  private cancelTimer(owner: Endpoint, id: TimerId): void {
    const ev = owner.timers.get(id);
    if (ev === undefined) return;
    ev.cancelled = true;
    owner.timers.delete(id);
  }

  private cancelAllTimers(owner: Endpoint): void {
    for (const ev of owner.timers.values()) ev.cancelled = true;
    owner.timers.clear();
  }

  private startNode(ep: Endpoint): void {
    ep.status = "up";
    this.cancelAllTimers(ep);
    const sim = this;
    const incarnation = ep.incarnation;
    const alive = (what: string) => {
      if (ep.incarnation !== incarnation || ep.status !== "up") {
        throw new SimulationConfigError(`node "${ep.id}" used ${what} from a crashed incarnation; keep the context of the current one.`);
      }
    };
    const peers = this.nodeIds.filter((id) => id !== ep.id);
    const ctx: NodeContext<unknown, unknown, unknown> = {
      id: ep.id,
      peers,
      now: () => ep.clock.read(sim.nowMs),
      send(to, message) {
        alive("send()");
        sim.send(ep, to, message, Channel.Message);
      },
      broadcast(message) {
        alive("broadcast()");
        for (const p of peers) sim.send(ep, p, message, Channel.Message);
      },
      setTimer(delayMs, name, data) {
        alive("setTimer()");
        return sim.setTimer(ep, delayMs, name, data);
      },
      cancelTimer(id) {
        sim.cancelTimer(ep, id);
      },
      reply(request, reply) {
        alive("reply()");
        if (sim.repliedOps.has(request.opId)) return;
        sim.repliedOps.add(request.opId);
        sim.send(ep, request.client, { opId: request.opId, reply }, Channel.ClientReply);
      },
      storage: ep.disk,
      random: ep.random,
      note(text) {
        if (sim.tracing) sim.trace.push({ kind: "note", timeMs: sim.nowMs, node: ep.id, text });
      },
    };
    ep.nodeCtx = ctx;
    ep.nodeLogic = this.createNode(ep.id) as NodeLogic<unknown, unknown, unknown>;
    if (ep.nodeLogic === null || typeof ep.nodeLogic !== "object" || typeof ep.nodeLogic.onMessage !== "function") {
      throw new SimulationConfigError(`createNode("${ep.id}") must return an object with an onMessage(ctx, from, message) method.`);
    }
    ep.nodeLogic.onStart?.(ctx);
  }

  private startClient(ep: Endpoint): void {
    const sim = this;
    ep.clientCtx = {
      id: ep.id,
      nodes: this.nodeIds,
      now: () => sim.nowMs,
      invoke(node, f, input, options) {
        sim.nodeEndpoint(node, `client "${ep.id}" invoke()`);
        return sim.startOp(ep, node, f, input as I, options?.timeoutMs);
      },
      setTimer: (delayMs, name, data) => sim.setTimer(ep, delayMs, name, data),
      cancelTimer: (id) => sim.cancelTimer(ep, id),
      random: ep.random,
    };
    ep.clientLogic?.onStart?.(ep.clientCtx);
  }

  private startOp(client: Endpoint, node: NodeId, f: string, input: I, timeoutMs = this.clientTimeoutMs): number {
    requireFiniteNonNegative(timeoutMs, "invoke timeoutMs");
    const op: HistoryOp<I, O> = {
      id: this.history.ops.length,
      client: client.id,
      node,
      f,
      input,
      status: "pending",
      invokeMs: this.nowMs,
    };
    this.history.ops.push(op);
    if (this.tracing) {
      this.trace.push({ kind: "invoke", timeMs: this.nowMs, client: client.id, node, opId: op.id, f, label: describeOp(f, input) });
    }
    const timeout: ClientTimeoutEvent = {
      kind: EventKind.ClientTimeout,
      time: this.nowMs + timeoutMs,
      seq: 0,
      cancelled: false,
      opId: op.id,
    };
    this.pendingOps.set(op.id, { op, timeout });
    this.queue.push(timeout);
    const request: ClientRequest<I> = { opId: op.id, client: client.id, f, input };
    this.send(client, node, request, Channel.ClientRequest);
    return op.id;
  }

  private completeOp(payload: { opId: number; reply: Reply<O> }): void {
    const pending = this.pendingOps.get(payload.opId);
    if (pending === undefined) return; // already timed out: the client stopped listening
    this.pendingOps.delete(payload.opId);
    pending.timeout.cancelled = true;
    const { op } = pending;
    const reply = payload.reply;
    op.status = reply.ok ? "ok" : "fail";
    if (reply.ok) op.output = reply.value;
    else op.error = reply.error;
    this.finishOp(op, reply.ok ? describeOp("", reply.value).trim() : reply.error);
  }

  private timeoutOp(opId: number): void {
    const pending = this.pendingOps.get(opId);
    if (pending === undefined) return;
    this.pendingOps.delete(opId);
    pending.op.status = "unknown";
    this.finishOp(pending.op, "timed out");
  }

  private finishOp(op: HistoryOp<I, O>, label: string): void {
    op.completeMs = this.nowMs;
    if (this.tracing) {
      this.trace.push({ kind: "complete", timeMs: this.nowMs, client: op.client, node: op.node, opId: op.id, status: op.status, label });
    }
    const ep = this.byId.get(op.client)!;
    ep.clientLogic?.onResult?.(ep.clientCtx!, op);
  }
}
