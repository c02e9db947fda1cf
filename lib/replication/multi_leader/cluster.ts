/**
 * Builds a simulated multi-leader cluster: one leader per datacenter (or per device), a topology
 * that says who forwards writes to whom, a conflict policy, and helpers to write, look at every
 * leader and find the writes that were silently lost.
 *
 * ```ts
 * const cluster = createMultiLeaderCluster({ seed: 1, topology: { kind: "all-to-all", nodes: ["eu", "us"] } });
 * cluster.write("eu", "title", "B", { atMs: 10 });
 * cluster.write("us", "title", "C", { atMs: 10 });
 * cluster.sim.run({ untilMs: 500 });
 * cluster.valueTable(["title"]);
 * ```
 */
import type { ClockSettings } from "../../sim/clock";
import type { NetworkConfig } from "../../sim/network";
import type { Seed } from "../../sim/random";
import { Simulation, type RunLimits } from "../../sim/simulation";
import type { NodeId } from "../../sim/trace";
import { validateConflictPolicy, type ConflictPolicy, type ConflictResolution } from "./conflicts";
import { MultiLeaderConfigError } from "./errors";
import {
  MultiLeaderNode,
  type MultiLeaderInput,
  type MultiLeaderMessage,
  type MultiLeaderOutput,
  type LeaderReadResult,
} from "./leader_node";
import { plainRouter, validateTopology, type Router, type Topology } from "./topology";
import { writeHappenedBefore, type LeaderWrite, type LeaderWriteOp } from "./write";

/** Configuration of `createMultiLeaderCluster`; only `seed` and `topology` are required. */
export interface MultiLeaderClusterConfig {
  seed: Seed;
  /** The leaders and how they forward writes (its `nodes` are the simulation's nodes). */
  topology: Topology;
  /** How concurrent writes to one key are reconciled (default last-write-wins). */
  conflicts?: ConflictPolicy;
  /** Hold back writes until their causal dependencies arrive (version vectors; default false). */
  causalDelivery?: boolean;
  /** Where a leader forwards a copy (default `plainRouter`, which cannot route around a failure). */
  router?: Router;
  /** How often unacknowledged copies are re-sent, in the sender's local ms (default 250). */
  resendIntervalMs?: number;
  /** Client endpoints (default one, "client"). Place them with network.links to model regions. */
  clients?: readonly NodeId[];
  network?: NetworkConfig;
  clocks?: Readonly<Record<NodeId, ClockSettings>>;
  limits?: RunLimits;
}

/** A write some leader accepted, with the true time it was accepted. */
export interface AcceptedLeaderWrite {
  write: LeaderWrite;
  acceptedAtMs: number;
}

/** A conflict, as the leader that detected it saw it. */
export interface ConflictRecord {
  node: NodeId;
  /** True simulated time of the detection. */
  detectedAtMs: number;
  key: string;
  writes: readonly LeaderWrite[];
  resolution: ConflictResolution;
}

/** What finally became of a write. */
export type WriteFate = "shown" | "overwritten" | "lost";

/** The simulation type of a multi-leader cluster. */
export type MultiLeaderSimulation = Simulation<MultiLeaderMessage, MultiLeaderInput, MultiLeaderOutput, MultiLeaderNode>;

/** A running multi-leader cluster and what it recorded. */
export interface MultiLeaderCluster {
  readonly sim: MultiLeaderSimulation;
  readonly topology: Topology;
  readonly leaders: readonly NodeId[];
  /** Every write a leader accepted, in acceptance order. */
  readonly accepted: AcceptedLeaderWrite[];
  /** Every conflict detection, in time order (one per leader that saw it). */
  readonly conflicts: ConflictRecord[];
  /** Updates dropped because they arrived before the row they update. */
  readonly updatesBeforeInsert: { node: NodeId; write: LeaderWrite; timeMs: number }[];
  /** For each write id: the true time each leader applied it. */
  readonly appliedAt: Map<string, Map<NodeId, number>>;
  /** The leaders currently declared failed (routers may route around them). */
  readonly failed: ReadonlySet<NodeId>;
  /** A client writes `value` to `key` at leader `node` (now, or at `atMs`). */
  write(node: NodeId, key: string, value: string, options?: { atMs?: number; client?: NodeId; op?: LeaderWriteOp }): void;
  /** What `key` shows on `node` right now (no network round trip). */
  read(node: NodeId, key: string): LeaderReadResult;
  /** The operator declares a leader failed (or recovered): routers that can, route around it. */
  setFailed(node: NodeId, failed: boolean): void;
  /** One row per leader: what each key shows there. */
  valueTable(keys: readonly string[]): Record<string, string>[];
  /** True when every live leader shows the same value for each key. */
  converged(keys: readonly string[]): boolean;
  /** What became of each accepted write: shown somewhere, overwritten by a later write, or lost. */
  fates(): { write: LeaderWrite; fate: WriteFate }[];
  /** Replication copies forwarded between leaders (first sends; acknowledgements and re-sends not counted). */
  replicationMessages(): number;
  /** Copies re-sent because their acknowledgement was late or lost. */
  resends(): number;
}

/** How a message appears in diagrams: "title=B" for a replicated write, "ack" for an acknowledgement. */
function describeLeaderMessage(m: MultiLeaderMessage): string {
  if (m?.type === "replicate") return `${m.write.key}=${m.write.value}`;
  if (m?.type === "ack") return "ack";
  return JSON.stringify(m) ?? String(m);
}

/** Builds the cluster; every leader starts empty and reachable. */
export function createMultiLeaderCluster(config: MultiLeaderClusterConfig): MultiLeaderCluster {
  if (config === null || typeof config !== "object") {
    throw new MultiLeaderConfigError("createMultiLeaderCluster(config) needs { seed, topology }.");
  }
  validateTopology(config.topology);
  const leaders = [...config.topology.nodes];
  const policy: ConflictPolicy = config.conflicts ?? { kind: "last-write-wins" };
  validateConflictPolicy(policy, leaders);
  const resendIntervalMs = config.resendIntervalMs ?? 250;
  if (!(resendIntervalMs > 0) || !Number.isFinite(resendIntervalMs)) {
    throw new MultiLeaderConfigError(`resendIntervalMs must be a positive number of ms, got ${resendIntervalMs}.`);
  }
  const clients = config.clients ?? ["client"];
  for (const c of clients) {
    if (leaders.includes(c)) throw new MultiLeaderConfigError(`client id "${c}" is also a leader; give clients their own ids.`);
  }

  const failed = new Set<NodeId>();
  const accepted: AcceptedLeaderWrite[] = [];
  const conflicts: ConflictRecord[] = [];
  const updatesBeforeInsert: MultiLeaderCluster["updatesBeforeInsert"] = [];
  const appliedAt = new Map<string, Map<NodeId, number>>();
  // Declared before the simulation so the hooks can read its clock once it exists.
  let sim: MultiLeaderSimulation | undefined;
  const now = () => sim!.now;
  /** The latest MultiLeaderNode object per leader (a restart builds the next one from it). */
  const incarnations = new Map<NodeId, MultiLeaderNode>();

  sim = new Simulation<MultiLeaderMessage, MultiLeaderInput, MultiLeaderOutput, MultiLeaderNode>({
    seed: config.seed,
    nodes: leaders,
    clients,
    network: config.network,
    clocks: config.clocks,
    limits: config.limits,
    describeMessage: describeLeaderMessage,
    // A restarted leader takes over its crashed predecessor's data: leaders keep their state on disk.
    createNode: (id) => {
      const node: MultiLeaderNode = new MultiLeaderNode({
        topology: config.topology,
        policy,
        causalDelivery: config.causalDelivery ?? false,
        resendIntervalMs,
        router: config.router ?? plainRouter,
        failed: () => failed,
        hooks: {
          applied(node, write) {
            let at = appliedAt.get(write.id);
            if (at === undefined) appliedAt.set(write.id, (at = new Map()));
            if (write.origin === node) accepted.push({ write, acceptedAtMs: now() });
            at.set(node, now());
          },
          conflict(node, key, writes, resolution) {
            conflicts.push({ node, detectedAtMs: now(), key, writes: [...writes], resolution });
          },
          updateBeforeInsert(node, write) {
            updatesBeforeInsert.push({ node, write, timeMs: now() });
          },
        },
      }, incarnations.get(id));
      incarnations.set(id, node);
      return node;
    },
  });
  const simulation = sim;

  const live = () => leaders.filter((id) => simulation.isUp(id));

  const cluster: MultiLeaderCluster = {
    sim: simulation,
    topology: config.topology,
    leaders,
    accepted,
    conflicts,
    updatesBeforeInsert,
    appliedAt,
    failed,
    write(node, key, value, options = {}) {
      if (!leaders.includes(node)) throw new MultiLeaderConfigError(`"${node}" is not a leader; leaders: ${leaders.join(", ")}.`);
      const client = options.client ?? clients[0]!;
      simulation.invoke(client, node, "write", { key, value, op: options.op ?? "set" }, { atMs: options.atMs });
    },
    read(node, key) {
      // A leader crashed before the run never built its state machine: it holds nothing.
      const logic = simulation.logic(node) as MultiLeaderNode | undefined;
      return logic === undefined ? { value: undefined, siblings: [] } : logic.read(key);
    },
    setFailed(node, isFailed) {
      if (!leaders.includes(node)) throw new MultiLeaderConfigError(`"${node}" is not a leader; leaders: ${leaders.join(", ")}.`);
      if (isFailed) failed.add(node);
      else failed.delete(node);
    },
    valueTable(keys) {
      return leaders.map((id) => {
        const row: Record<string, string> = { leader: simulation.isUp(id) ? id : `${id} (down)` };
        for (const key of keys) row[key] = cluster.read(id, key).value ?? "(none)";
        return row;
      });
    },
    converged(keys) {
      const ids = live();
      return keys.every((key) => ids.every((id) => cluster.read(id, key).value === cluster.read(ids[0]!, key).value));
    },
    fates() {
      const shown = new Set<string>();
      for (const id of live()) {
        for (const rec of simulation.logic(id).records.values()) for (const w of rec.resolved.writes) shown.add(w.id);
      }
      return accepted.map(({ write }) => {
        if (shown.has(write.id)) return { write, fate: "shown" as const };
        const later = accepted.some((a) => a.write.key === write.key && writeHappenedBefore(write, a.write));
        return { write, fate: later ? ("overwritten" as const) : ("lost" as const) };
      });
    },
    replicationMessages() {
      return leaders.reduce((sum, id) => sum + (simulation.logic(id)?.replicationMessagesSent ?? 0), 0);
    },
    resends() {
      return leaders.reduce((sum, id) => sum + (simulation.logic(id)?.resends ?? 0), 0);
    },
  };
  return cluster;
}
