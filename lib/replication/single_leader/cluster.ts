/**
 * Builds a simulated single-leader cluster: data nodes n1..nK (n1 leads epoch 1), a failover
 * coordinator, optionally spare nodes to bootstrap as new followers and a fenced storage node,
 * plus helpers to write, read, fail over and look at every replica.
 *
 * ```ts
 * const cluster = createSingleLeaderCluster({ seed: 7, followers: 2, mode: "sync" });
 * cluster.write("x", 1, { atMs: 10 });
 * cluster.sim.run({ untilMs: 100 });
 * cluster.replicaTable();
 * ```
 */
import type { ClockSettings } from "../../sim/clock";
import type { PlannedOp } from "../../sim/clients";
import type { HistoryOp } from "../../sim/history";
import type { NetworkConfig } from "../../sim/network";
import type { ClientContext, ClientLogic, NodeLogic } from "../../sim/node";
import type { RandomStream, Seed } from "../../sim/random";
import { Simulation, type RunLimits } from "../../sim/simulation";
import type { NodeId } from "../../sim/trace";
import type { AckRule } from "../ack_rule_types";
import type { FailoverPolicy } from "../failover_types";
import { validateAckRule } from "./ack_rules";
import { singleLeaderClient, type SingleLeaderClient, type SingleLeaderClientOptions } from "./client";
import { SingleLeaderConfigError, resolveSettings, type ReplicationOptions, type ReplicationSettings } from "./config";
import { CoordinatorNode, type CoordinatorOptions, type CoordinatorState } from "./coordinator_node";
import { FencedStorageNode, type StorageRecord } from "./fenced_storage_node";
import { checkFailoverSafety, type FailoverSafetyReport } from "./invariants";
import { SingleLeaderRecorder, attachRecorder } from "./recorder";
import { ReplicaNode, type ReplicaState } from "./replica_node";
import type { BootstrapMethod, KvInput, SingleLeaderMessage, Value } from "./types";

/** The coordinator's node id. */
export const COORDINATOR_ID = "coordinator";
/** The fenced storage node's id (present with `fencingStorage: true`). */
export const STORAGE_ID = "storage";
/** The client endpoint used by `write`, `read`, `insert` and `delete`. */
export const HARNESS_CLIENT_ID = "client";

/** Any node of a single-leader simulation. */
export type SingleLeaderNode = ReplicaNode | CoordinatorNode | FencedStorageNode;

/** The simulation type of a single-leader cluster. */
export type SingleLeaderSimulation = Simulation<SingleLeaderMessage, unknown, unknown, NodeLogic<SingleLeaderMessage, unknown, unknown>>;

/** Configuration of `createSingleLeaderCluster`. Every field but `seed` has a default. */
export interface SingleLeaderClusterConfig extends ReplicationOptions {
  seed: Seed;
  /** Number of followers of the initial leader (default 2: a three-node cluster). */
  followers?: number;
  /** Explicit data node ids, the first leading epoch 1 (overrides `followers`). */
  nodeIds?: readonly NodeId[];
  /** Spare nodes (a count or ids) that stay idle until `addFollower` (default none). */
  spares?: number | readonly NodeId[];
  /** The failover policy. Without one the coordinator detects failures but only `promote` fails over. */
  policy?: FailoverPolicy;
  /**
   * When the leader may acknowledge a write (default `standardAckRule`); the replication_modes
   * exercise plugs the learner's rule in here.
   */
  ackRule?: AckRule;
  /** Set false to stop the coordinator from starting failovers at all (default true). */
  automaticFailover?: boolean;
  /** Adds a fenced storage node that must accept every write under the leader's epoch (default false). */
  fencingStorage?: boolean;
  network?: NetworkConfig;
  clocks?: Readonly<Record<NodeId, ClockSettings>>;
  /** Extra client endpoints (e.g. made with `singleLeaderClient`). */
  clients?: readonly (NodeId | { id: NodeId; logic: ClientLogic<unknown, unknown> })[];
  /** How long a client waits before recording "unknown" (default 1000 ms). */
  clientTimeoutMs?: number;
  limits?: RunLimits;
  /** Keep a trace of every event (default true; downtime and digests need it). */
  trace?: boolean;
}

/** A client operation scheduled by a cluster helper; `op` appears once it has been sent. */
export interface OpHandle {
  /** The history operation, once sent. */
  readonly op: HistoryOp<unknown, unknown> | undefined;
}

/** One row of `replicaTable()`, ready for lib/viz `table` / `htmlTable`. */
export type ReplicaRow = {
  node: NodeId;
  status: "up" | "crashed" | "paused";
  role: string;
  epoch: number;
  leader: string;
  lastLsn: number;
  lastEpoch: number;
  appliedLsn: number;
  /** Entries behind the coordinator's leader. */
  lag: number;
  writable: string;
  keys: number;
  /** The first few key=value pairs. */
  store: string;
};

/** A built cluster (see `createSingleLeaderCluster`). */
export interface SingleLeaderCluster {
  readonly sim: SingleLeaderSimulation;
  readonly recorder: SingleLeaderRecorder;
  readonly settings: ReplicationSettings;
  /** The initial data nodes (the first leads epoch 1). */
  readonly dataNodes: readonly NodeId[];
  readonly spares: readonly NodeId[];
  readonly coordinatorId: NodeId;
  readonly storageId: NodeId | undefined;
  /** The coordinator's current leader (before the simulation boots: the first data node). */
  leader(): NodeId;
  /** Every up node that believes it leads right now (more than one: split brain; none before boot). */
  leaders(): NodeId[];
  /** What the coordinator knows (before the simulation boots: its initial state, epoch 1). */
  coordinator(): CoordinatorState;
  /** A replica's state; `status` says whether it is up, crashed or paused. */
  stateOf(id: NodeId): ReplicaState & { status: "up" | "crashed" | "paused" };
  /**
   * Writes at `atMs` (default now), to `via` (default: the coordinator's leader at that moment).
   * Pass a number as a shorthand for `{ atMs }`.
   */
  write(key: string, value: Value, options?: HelperOptions | number): OpHandle;
  delete(key: string, options?: HelperOptions | number): OpHandle;
  /** Inserts a row into `table`; the leader assigns the next id (returned in the output). */
  insert(table: string, value: Value, options?: HelperOptions | number): OpHandle;
  /** Reads `key` from `via` (default: the coordinator's leader). */
  read(key: string, options?: HelperOptions | number): OpHandle;
  /** One row per data node (spares included once they joined). */
  replicaTable(): ReplicaRow[];
  /** Promotes `node` by hand at `atMs` (default now), in `epoch` (default: a new one). */
  promote(node: NodeId, options?: { atMs?: number; epoch?: number }): void;
  /** Makes a spare node join as a follower at `atMs`, by snapshot + catch-up or by naive copy. */
  addFollower(node: NodeId, options?: { atMs?: number; method?: BootstrapMethod }): void;
  /** Adds a leader-following client (nodes and coordinator filled in) and returns it. */
  addClient(id: NodeId, options: Omit<SingleLeaderClientOptions, "nodes" | "coordinator"> & { coordinator?: NodeId | false }): SingleLeaderClient;
  /** Writes seen by the fenced storage (empty without one). */
  storageRecords(): StorageRecord[];
  /** The three failover safety properties on the run so far. */
  checkSafety(): FailoverSafetyReport;
}

/** Options of the write/read helpers. */
export interface HelperOptions {
  /** When to send (default: now). */
  atMs?: number;
  /** The node to send to (default: the coordinator's leader when the request is sent). */
  via?: NodeId;
  timeoutMs?: number;
}

const RESERVED = [COORDINATOR_ID, STORAGE_ID, HARNESS_CLIENT_ID];

function dataNodeIds(config: SingleLeaderClusterConfig): NodeId[] {
  if (config.nodeIds !== undefined) {
    if (!Array.isArray(config.nodeIds) || config.nodeIds.length === 0) {
      throw new SingleLeaderConfigError('nodeIds must list at least one data node, e.g. ["n1", "n2", "n3"].');
    }
    return [...config.nodeIds];
  }
  const followers = config.followers ?? 2;
  if (!Number.isInteger(followers) || followers < 0) {
    throw new SingleLeaderConfigError(`followers must be a whole number >= 0, got ${String(followers)}.`);
  }
  return Array.from({ length: followers + 1 }, (_, i) => `n${i + 1}`);
}

function spareIds(config: SingleLeaderClusterConfig, data: readonly NodeId[]): NodeId[] {
  const spares = config.spares ?? 0;
  if (typeof spares === "number") {
    if (!Number.isInteger(spares) || spares < 0) throw new SingleLeaderConfigError(`spares must be a whole number >= 0 or a list of ids, got ${spares}.`);
    const out: NodeId[] = [];
    for (let i = data.length + 1; out.length < spares; i++) if (!data.includes(`n${i}`)) out.push(`n${i}`);
    return out;
  }
  return [...spares];
}

/** Builds the cluster; see `SingleLeaderClusterConfig` for every option and `DEFAULT_REPLICATION_SETTINGS` for defaults. */
export function createSingleLeaderCluster(config: SingleLeaderClusterConfig): SingleLeaderCluster {
  if (config === null || typeof config !== "object") {
    throw new SingleLeaderConfigError("createSingleLeaderCluster(config) needs a config object, e.g. { seed: 1 }.");
  }
  const data = dataNodeIds(config);
  const spares = spareIds(config, data);
  const storageId = config.fencingStorage ? STORAGE_ID : undefined;
  const all = [...data, ...spares];
  const seen = new Set<NodeId>();
  for (const id of all) {
    if (RESERVED.includes(id)) throw new SingleLeaderConfigError(`"${id}" is reserved for the ${id}; pick another data node id.`);
    if (seen.has(id)) throw new SingleLeaderConfigError(`node id "${id}" is used twice (data nodes and spares need distinct ids).`);
    seen.add(id);
  }
  const settings = resolveSettings(config, { followers: data.slice(1), all, coordinatorId: COORDINATOR_ID, storageId });
  if (config.policy !== undefined && (typeof config.policy.electNewLeader !== "function" || typeof config.policy.validateSafeFailover !== "function")) {
    throw new SingleLeaderConfigError("policy must have validateSafeFailover(observation) and electNewLeader(observation) functions.");
  }
  if (config.ackRule !== undefined) validateAckRule(config.ackRule);

  const recorder = new SingleLeaderRecorder(data[0]!, () => 0, settings.mode);
  let harness: ClientContext<unknown> | undefined;
  const harnessLogic: ClientLogic<unknown, unknown> = {
    onStart(ctx) {
      harness = ctx;
    },
  };

  const coordinatorOptions: CoordinatorOptions = {
    settings,
    members: data,
    observer: recorder,
    ...(config.policy ? { policy: config.policy } : {}),
    ...(config.automaticFailover !== undefined ? { automaticFailover: config.automaticFailover } : {}),
  };
  // The simulation builds its nodes when it boots them (at t = 0, on the first run), so before
  // that there is no coordinator to ask. This one never runs: its state is the configured start,
  // which is what the real one knows until its first event.
  const unbootedCoordinator = new CoordinatorNode(coordinatorOptions);

  const nodes = [...all, COORDINATOR_ID, ...(storageId ? [storageId] : [])];
  // Shared by every incarnation of the storage node: the harness's log of what it was sent.
  const storageRecords: StorageRecord[] = [];
  const sim: SingleLeaderSimulation = new Simulation<SingleLeaderMessage, unknown, unknown, NodeLogic<SingleLeaderMessage, unknown, unknown>>({
    seed: config.seed,
    nodes,
    createNode: (id) => {
      if (id === COORDINATOR_ID) return new CoordinatorNode(coordinatorOptions) as NodeLogic<SingleLeaderMessage, unknown, unknown>;
      if (id === storageId) return new FencedStorageNode(settings.fencing, storageRecords) as NodeLogic<SingleLeaderMessage, unknown, unknown>;
      return new ReplicaNode({
        settings,
        members: data,
        spare: spares.includes(id),
        observer: recorder,
        ...(config.ackRule ? { ackRule: config.ackRule } : {}),
      }) as NodeLogic<SingleLeaderMessage, unknown, unknown>;
    },
    clients: [{ id: HARNESS_CLIENT_ID, logic: harnessLogic }, ...(config.clients ?? [])],
    ...(config.network ? { network: config.network } : {}),
    ...(config.clocks ? { clocks: config.clocks } : {}),
    ...(config.clientTimeoutMs !== undefined ? { clientTimeoutMs: config.clientTimeoutMs } : {}),
    ...(config.limits ? { limits: config.limits } : {}),
    ...(config.trace !== undefined ? { trace: config.trace } : {}),
  });
  recorder.setClock(() => sim.now);
  attachRecorder(sim, recorder);

  const coordinatorLogic = () => sim.logic(COORDINATOR_ID) as unknown as CoordinatorNode;
  const coordinatorState = (): CoordinatorState => ((sim.logic(COORDINATOR_ID) as unknown as CoordinatorNode | undefined) ?? unbootedCoordinator).inspect();
  const booted = (id: NodeId): boolean => sim.logic(id) !== undefined;
  const replica = (id: NodeId): ReplicaNode => {
    if (!all.includes(id)) {
      throw new SingleLeaderConfigError(`"${id}" is not a data node. Data nodes: ${all.join(", ")}.`);
    }
    return sim.logic(id) as unknown as ReplicaNode;
  };
  const statusOf = (id: NodeId): "up" | "crashed" | "paused" => {
    const view = sim.node(id);
    return view.status === "crashed" ? "crashed" : view.paused ? "paused" : "up";
  };
  const requireBooted = (what: string) => {
    if (harness === undefined) {
      throw new SingleLeaderConfigError(`${what} needs the cluster to have booted: run the simulation first, e.g. cluster.sim.run({ untilMs: 1 }).`);
    }
  };

  const schedule = (f: string, input: KvInput, given: HelperOptions | number = {}): OpHandle => {
    const options: HelperOptions = typeof given === "number" ? { atMs: given } : given;
    let op: HistoryOp<unknown, unknown> | undefined;
    const send = () => {
      const target = options.via ?? coordinatorState().leader;
      const id = harness!.invoke(target, f, input, options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs });
      op = sim.history.ops[id];
    };
    // Clients boot at t = 0 after the nodes; a request for t = 0 waits for that.
    sim.at(Math.max(options.atMs ?? sim.now, sim.now), () => (harness === undefined ? sim.after(0, send, `${f} (harness)`) : send()), `${f} (harness)`);
    return {
      get op() {
        return op;
      },
    };
  };

  const cluster: SingleLeaderCluster = {
    sim,
    recorder,
    settings,
    dataNodes: data,
    spares,
    coordinatorId: COORDINATOR_ID,
    storageId,
    leader: () => coordinatorState().leader,
    leaders: () => all.filter((id) => sim.isUp(id) && booted(id) && replica(id).inspect().role === "leader"),
    coordinator: coordinatorState,
    stateOf: (id) => {
      requireBooted(`stateOf("${id}")`);
      return { ...replica(id).inspect(), status: statusOf(id) };
    },
    write: (key, value, options) => schedule("write", { key, value }, options),
    delete: (key, options) => schedule("delete", { key }, options),
    insert: (table, value, options) => schedule("insert", { table, value }, options),
    read: (key, options) => schedule("read", { key }, options),
    replicaTable() {
      requireBooted("replicaTable()");
      const leaderLsn = replica(cluster.leader()).inspect().lastLsn;
      const members = new Set(coordinatorState().members);
      return all
        .filter((id) => members.has(id) || replica(id).inspect().role !== "idle")
        .map((id) => {
          const s = replica(id).inspect();
          const pairs = Object.entries(s.store);
          const shown = pairs.slice(0, 4).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(" ");
          return {
            node: id,
            status: statusOf(id),
            role: s.role,
            epoch: s.epoch,
            leader: s.leader ?? "?",
            lastLsn: s.lastLsn,
            lastEpoch: s.lastEpoch,
            appliedLsn: s.appliedLsn,
            lag: Math.max(0, leaderLsn - s.appliedLsn),
            writable: s.role === "leader" ? (s.writable ? "yes" : "no") : "-",
            keys: pairs.length,
            store: pairs.length > 4 ? `${shown} …` : shown,
          };
        });
    },
    promote(node, options = {}) {
      if (!all.includes(node)) throw new SingleLeaderConfigError(`promote("${node}"): not a data node. Data nodes: ${all.join(", ")}.`);
      sim.at(options.atMs ?? sim.now, () => coordinatorLogic().promote(node, options.epoch), `promote ${node}`);
    },
    addFollower(node, options = {}) {
      if (!spares.includes(node)) {
        throw new SingleLeaderConfigError(
          `addFollower("${node}"): only a spare node can join. Spares: ${spares.length > 0 ? spares.join(", ") : "none (set spares: 1)"}.`,
        );
      }
      sim.at(options.atMs ?? sim.now, () => coordinatorLogic().admit(node, options.method ?? "snapshot"), `add follower ${node}`);
    },
    addClient(id, options) {
      const { coordinator, ...rest } = options;
      const client = singleLeaderClient({
        ...rest,
        nodes: data,
        ...(coordinator === false ? {} : { coordinator: coordinator ?? COORDINATOR_ID }),
      });
      sim.addClient(id, client);
      return client;
    },
    storageRecords: () => [...storageRecords],
    checkSafety: () => checkFailoverSafety(cluster),
  };
  return cluster;
}

/** A write workload for `addClient`: `count` writes of distinct values to `keys` keys, chosen at random. */
export function randomWrites(count: number, keys = 5, prefix = "k"): { count: number; next: (random: RandomStream, index: number) => PlannedOp<KvInput> } {
  return {
    count,
    next: (random, index) => ({ f: "write", input: { key: `${prefix}${random.int(1, keys)}`, value: index + 1 } }),
  };
}
