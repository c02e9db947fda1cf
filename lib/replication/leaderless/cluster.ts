import type { LinkOverride } from "../../sim/network";
import { Simulation } from "../../sim/simulation";
import type { NodeId } from "../../sim/trace";
import { liveSiblingValues, recordRules, type ReplicaRecord } from "./concurrency";
import { resolveLeaderlessConfig, type LeaderlessConfig, type ResolvedLeaderlessConfig } from "./config";
import { LeaderlessConfigError } from "./errors";
import { LeaderlessNode, type ReplicaStats } from "./replica_node";
import { HashRing } from "./ring";
import { formatVersionVector, mergeSiblingStates, EMPTY_SIBLING_STATE, type SiblingState, type VersionVector } from "./siblings";
import type { LeaderlessInput, LeaderlessMessage, LeaderlessOutput } from "./types";
import { compareVersions, formatVersion, newerRecord, type StoredRecord } from "./versions";

/** Where and when a helper sends a client request. */
export interface RequestOptions {
  /** Simulated time to send it (default: now). */
  atMs?: number;
  /**
   * The coordinating node (default: the first home replica of the key that is up at that time).
   * A function is asked at sending time; when it returns undefined the default applies.
   */
  via?: NodeId | (() => NodeId | undefined);
  /** The client endpoint (default: the first configured client). */
  client?: NodeId;
  /** Siblings mode: the version vector the client read (default {}: a blind write). */
  context?: VersionVector;
}

/** One row of `replicaTable`: what one node holds for a key. */
export interface LeaderlessReplicaRow {
  node: NodeId;
  role: "home" | "other";
  up: boolean;
  value: string;
  version: string;
  /** Records this node holds for the key on behalf of another node. */
  hint: string;
}

/** A leaderless (Dynamo-style) cluster on the simulator, with helpers for notebooks and tests. */
export interface LeaderlessCluster {
  readonly sim: Simulation<LeaderlessMessage, LeaderlessInput, LeaderlessOutput, LeaderlessNode>;
  readonly config: ResolvedLeaderlessConfig;
  readonly ring: HashRing;
  /** Node ids in configuration order. */
  readonly nodes: readonly NodeId[];
  /** Sends `put key=value`. */
  put(key: string, value: unknown, options?: RequestOptions): void;
  /** Sends `get key`. */
  get(key: string, options?: RequestOptions): void;
  /** Sends `delete key` (a tombstone: a write of null). */
  delete(key: string, options?: RequestOptions): void;
  /** The key's home replicas. */
  homeReplicas(key: string): NodeId[];
  /** What `node` holds for `key` as a home replica, read from its disk (works while it is down). */
  recordOn(node: NodeId, key: string): StoredRecord | undefined;
  /** The newest record for `key` anywhere in the cluster, hints included. */
  newestRecord(key: string): StoredRecord | undefined;
  /** Siblings mode: the state `node` holds for `key` as a home replica (works while it is down). */
  siblingsOn(node: NodeId, key: string): SiblingState<unknown> | undefined;
  /** What every node holds for `key` (siblings mode: live values joined by " | ", the version vector). */
  replicaTable(key: string): LeaderlessReplicaRow[];
  /** (home replica, key) pairs missing something another home replica holds: a staleness gauge. */
  staleReplicaCount(keys: readonly string[]): number;
  /** A copy of a node's disk, e.g. last night's backup. */
  backup(node: NodeId): Record<string, unknown>;
  /** Crashes `node`, replaces its disk with `backup` and restarts it (at `atMs`, default now). */
  restoreFromBackup(node: NodeId, backup: Record<string, unknown>, atMs?: number): void;
  /** Background-work counters summed over every node (or of one node). */
  stats(node?: NodeId): ReplicaStats;
}

/**
 * Builds a leaderless cluster: n home replicas per key on a consistent-hash ring, coordinators
 * that wait for w acknowledgements and r replies, read repair, optional sloppy quorum with
 * hinted handoff, optional Merkle-tree anti-entropy, one or several datacenters. Throws a
 * LeaderlessConfigError for impossible settings (w > n, r < 1, n larger than the cluster...).
 */
export function createLeaderlessCluster(config: LeaderlessConfig): LeaderlessCluster {
  if (config === null || typeof config !== "object") throw new LeaderlessConfigError("createLeaderlessCluster(config) needs a config object with at least a seed.");
  const resolved = resolveLeaderlessConfig(config);
  const ring = new HashRing(resolved.datacenters, resolved.n);
  const clients = [...(config.clients ?? ["client"])];
  if (clients.length === 0) throw new LeaderlessConfigError('clients must name at least one client, e.g. ["client"].');
  const links: LinkOverride[] = [];
  if (resolved.datacenters.length > 1) {
    const far = config.interDatacenterLatency ?? { kind: "uniform", minMs: 40, maxMs: 60 };
    const home = resolved.datacenters.map((dc, i) => (i === 0 ? [...dc.nodes, ...clients] : [...dc.nodes]));
    for (let i = 0; i < home.length; i++) {
      for (let j = i + 1; j < home.length; j++) {
        for (const a of home[i]!) for (const b of home[j]!) links.push({ from: a, to: b, latency: far });
      }
    }
  }
  const sim = new Simulation<LeaderlessMessage, LeaderlessInput, LeaderlessOutput, LeaderlessNode>({
    seed: config.seed,
    nodes: resolved.nodes,
    clients,
    createNode: (id) => new LeaderlessNode(id, resolved, ring, config.quorum),
    network: { ...(config.latency ? { latency: config.latency } : {}), links },
    ...(config.clocks ? { clocks: config.clocks } : {}),
    clientTimeoutMs: config.clientTimeoutMs ?? resolved.requestTimeoutMs + 500,
    describeMessage: (m) => m.type,
  });

  const disk = (node: NodeId) => sim.node(node).storage;
  /** From the node's memory while it runs (fast), from its disk while it is down. */
  const recordOn = (node: NodeId, key: string) =>
    sim.isUp(node) && sim.logic(node) !== undefined ? sim.logic(node).recordOf(key) : disk(node).get<StoredRecord>(`data/${key}`);
  const replicaRecordOn = (node: NodeId, key: string) =>
    sim.isUp(node) && sim.logic(node) !== undefined ? sim.logic(node).replicaRecordOf(key) : disk(node).get<ReplicaRecord>(`data/${key}`);
  const rules = recordRules(resolved.concurrency);
  const siblingMode = resolved.concurrency === "siblings";
  const hintsOn = (node: NodeId): [NodeId, string, StoredRecord][] =>
    sim.isUp(node) && sim.logic(node) !== undefined
      ? sim.logic(node).hints()
      : disk(node).keys().filter((k) => k.startsWith("hint/")).map((k) => {
          const [, owner, ...rest] = k.split("/");
          return [owner!, rest.join("/"), disk(node).get<StoredRecord>(k)!];
        });
  const send = (f: "put" | "get" | "delete", key: string, input: LeaderlessInput, options: RequestOptions = {}) => {
    const client = options.client ?? clients[0]!;
    if (options.context !== undefined && !siblingMode) throw new LeaderlessConfigError('a write context needs concurrency: "siblings" in the cluster config.');
    if (!clients.includes(client)) throw new LeaderlessConfigError(`unknown client "${client}"; clients: ${clients.join(", ")}.`);
    if (typeof options.via === "string" && !resolved.nodes.includes(options.via)) {
      throw new LeaderlessConfigError(`unknown node "${options.via}"; nodes: ${resolved.nodes.join(", ")}.`);
    }
    const fire = () => {
      const homes = ring.homeReplicas(key);
      const chosen = typeof options.via === "function" ? options.via() : options.via;
      const via = chosen ?? homes.find((h) => sim.isUp(h)) ?? resolved.nodes.find((x) => sim.isUp(x)) ?? homes[0]!;
      sim.invoke(client, via, f, input);
    };
    if (options.atMs === undefined) fire();
    else sim.at(options.atMs, fire, `${f} ${key}`);
  };

  const cluster: LeaderlessCluster = {
    sim,
    config: resolved,
    ring,
    nodes: resolved.nodes,
    put: (key, value, options) => send("put", key, { key, value, ...(options?.context ? { context: options.context } : {}) }, options),
    get: (key, options) => send("get", key, { key }, options),
    delete: (key, options) => send("delete", key, { key, ...(options?.context ? { context: options.context } : {}) }, options),
    homeReplicas: (key) => ring.homeReplicas(key),
    recordOn,
    siblingsOn: (node, key) => replicaRecordOn(node, key) as SiblingState<unknown> | undefined,
    newestRecord(key) {
      let best: StoredRecord | undefined;
      for (const node of resolved.nodes) {
        best = newerRecord(best, recordOn(node, key));
        for (const [, k, record] of hintsOn(node)) if (k === key) best = newerRecord(best, record);
      }
      return best;
    },
    replicaTable(key) {
      const homes = ring.homeReplicas(key);
      return resolved.nodes.map((node) => {
        const record = recordOn(node, key);
        const show = (r: ReplicaRecord) => (siblingMode ? formatSiblings(r as SiblingState<unknown>) : formatValue((r as StoredRecord).value));
        const hints = hintsOn(node)
          .filter(([, k]) => k === key)
          .map(([owner, , r]) => `${show(r)} for ${owner}`);
        return {
          node,
          role: homes.includes(node) ? "home" : "other",
          up: sim.isUp(node),
          value: record === undefined ? "-" : show(record),
          version: siblingMode ? (record === undefined ? "-" : formatVersionVector((record as unknown as SiblingState<unknown>).vector)) : formatVersion(record?.version),
          hint: hints.join(", ") || "-",
        };
      });
    },
    staleReplicaCount(keys) {
      let stale = 0;
      for (const key of keys) {
        const homes = ring.homeReplicas(key);
        if (siblingMode) {
          let merged: SiblingState<unknown> | undefined;
          for (const h of homes) {
            const state = replicaRecordOn(h, key) as SiblingState<unknown> | undefined;
            if (state !== undefined) merged = mergeSiblingStates(merged ?? EMPTY_SIBLING_STATE, state);
          }
          for (const h of homes) if (rules.isBehind(replicaRecordOn(h, key), merged)) stale++;
          continue;
        }
        let newest: StoredRecord | undefined;
        for (const h of homes) newest = newerRecord(newest, recordOn(h, key));
        for (const h of homes) if (compareVersions(recordOn(h, key)?.version, newest?.version) < 0) stale++;
      }
      return stale;
    },
    backup: (node) => disk(node).snapshot(),
    restoreFromBackup(node, backup, atMs) {
      const restore = () => {
        if (sim.isUp(node)) sim.crash(node);
        const d = disk(node);
        for (const k of d.keys()) d.delete(k);
        for (const [k, v] of Object.entries(backup)) d.put(k, v);
        d.sync();
        sim.restart(node);
      };
      if (atMs === undefined) restore();
      else sim.at(atMs, restore, `restore ${node} from backup`);
    },
    stats(node) {
      const total: ReplicaStats = { readRepairsReceived: 0, hintsHandedOff: 0, antiEntropyRounds: 0, merkleHashesExchanged: 0, fullComparisonKeys: 0, antiEntropyRecordsCopied: 0 };
      for (const id of node === undefined ? resolved.nodes : [node]) {
        const logic = sim.logic(id) as LeaderlessNode | undefined;
        if (logic === undefined) continue;
        for (const k of Object.keys(total) as (keyof ReplicaStats)[]) total[k] += logic.stats[k];
      }
      return total;
    },
  };
  return cluster;
}

/** Live sibling values joined by " | ", or "(tombstone)" when every sibling is a delete. */
function formatSiblings(state: SiblingState<unknown>): string {
  const live = liveSiblingValues(state);
  return live.length === 0 ? "(tombstone)" : live.map(formatValue).join(" | ");
}

function formatValue(value: unknown): string {
  return value === null ? "(tombstone)" : typeof value === "string" ? value : JSON.stringify(value);
}
