import type { ClockSettings } from "../../sim/clock";
import type { Latency } from "../../sim/latency";
import type { Seed } from "../../sim/random";
import type { NodeId } from "../../sim/trace";
import type { ConcurrencyMode } from "./concurrency";
import { LeaderlessConfigError } from "./errors";
import type { Datacenter } from "./ring";
import type { QuorumPolicy } from "./types";

/** Everything `createLeaderlessCluster` accepts; only `seed` is required. */
export interface LeaderlessConfig {
  /** Every random decision derives from this seed. */
  seed: Seed;
  /** Nodes of a single-datacenter cluster, named n1..nK (default 5). Ignored with `datacenters`. */
  nodes?: number;
  /** Several datacenters: nodes are named `<dc>-n1`, `<dc>-n2`, ... */
  datacenters?: readonly { name: string; nodes: number }[];
  /** Home replicas per key (per datacenter when there are several). Default 3. */
  n?: number;
  /** Acknowledgements a write needs (default 2). */
  w?: number;
  /** Replies a read needs (default 2). */
  r?: number;
  /**
   * "all" (default): w and r count replies from every datacenter (QUORUM). "local": they count
   * only replicas in the coordinator's datacenter (LOCAL_QUORUM); the other datacenters still
   * receive every write, asynchronously.
   */
  quorumScope?: "all" | "local";
  /** Borrow fallback nodes when home replicas do not answer (default false: a strict quorum). */
  sloppyQuorum?: boolean;
  /** How long the coordinator waits for a home replica before borrowing a fallback (default 30 ms). */
  substituteAfterMs?: number;
  /** How long a coordinator waits for its quorum before failing the request (default 200 ms). */
  requestTimeoutMs?: number;
  /** Repair stale replicas seen by reads (default true). */
  readRepair?: boolean;
  /** Run an anti-entropy round with the next peer every this many ms (default: never). */
  antiEntropyIntervalMs?: number;
  /** Depth of the anti-entropy Merkle trees: 2^depth leaf buckets (default 10). */
  merkleDepth?: number;
  /** How often a fallback retries handing its hints to their home replicas (default 100 ms). */
  handoffIntervalMs?: number;
  /** One-way latency between nodes in one datacenter (default uniform 1-5 ms). */
  latency?: Latency;
  /** One-way latency between datacenters (default uniform 40-60 ms). */
  interDatacenterLatency?: Latency;
  /** Per-node clock offset and drift (LWW versions come from these clocks). */
  clocks?: Readonly<Record<NodeId, ClockSettings>>;
  /**
   * How concurrent writes to one key are resolved (default "lww": the highest version wins, the
   * others are lost). "siblings": version vectors keep concurrent values side by side until a
   * client writes with a context that has seen them; deletes become tombstone siblings.
   */
  concurrency?: ConcurrencyMode;
  /** Replaces the built-in quorum decisions (chapter 06's `quorum_client` exercise plugs in here). */
  quorum?: QuorumPolicy;
  /** Client ids (default ["client"]). */
  clients?: readonly string[];
  /** Client timeout in ms (default requestTimeoutMs + 500: room for two slow trips to the coordinator). */
  clientTimeoutMs?: number;
}

/** A configuration with every default filled in and checked. */
export interface ResolvedLeaderlessConfig {
  readonly datacenters: Datacenter[];
  readonly nodes: NodeId[];
  readonly n: number;
  readonly w: number;
  readonly r: number;
  readonly quorumScope: "all" | "local";
  readonly sloppyQuorum: boolean;
  readonly substituteAfterMs: number;
  readonly requestTimeoutMs: number;
  readonly readRepair: boolean;
  readonly antiEntropyIntervalMs: number | undefined;
  readonly merkleDepth: number;
  readonly handoffIntervalMs: number;
  readonly concurrency: ConcurrencyMode;
}

function requireWhole(value: unknown, what: string, min: number, advice: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new LeaderlessConfigError(`${what} must be a whole number >= ${min}, got ${String(value)}. ${advice}`);
  }
  return value;
}

function requirePositive(value: number, what: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new LeaderlessConfigError(`${what} must be a number of milliseconds > 0, got ${String(value)}.`);
  }
  return value;
}

function merkleDepth(value: number | undefined): number {
  const depth = requireWhole(value ?? 10, "merkleDepth", 0, "Use 0 to 20.");
  if (depth > 20) throw new LeaderlessConfigError(`merkleDepth must be at most 20 (a million leaf buckets), got ${depth}.`);
  return depth;
}

/** Fills in defaults and throws a LeaderlessConfigError that says what to change. */
export function resolveLeaderlessConfig(config: LeaderlessConfig): ResolvedLeaderlessConfig {
  const datacenters: Datacenter[] = [];
  if (config.datacenters !== undefined) {
    if (!Array.isArray(config.datacenters) || config.datacenters.length === 0) {
      throw new LeaderlessConfigError('datacenters must list at least one datacenter, e.g. [{ name: "eu", nodes: 3 }].');
    }
    for (const dc of config.datacenters) {
      if (typeof dc.name !== "string" || !/^[a-z0-9]+$/.test(dc.name)) {
        throw new LeaderlessConfigError(`a datacenter name must be lowercase letters and digits, like "eu", got ${JSON.stringify(dc.name)}.`);
      }
      if (datacenters.some((d) => d.name === dc.name)) throw new LeaderlessConfigError(`datacenter "${dc.name}" is listed twice.`);
      const count = requireWhole(dc.nodes, `datacenter "${dc.name}": nodes`, 1, "Every datacenter needs at least one node.");
      datacenters.push({ name: dc.name, nodes: Array.from({ length: count }, (_, i) => `${dc.name}-n${i + 1}`) });
    }
  } else {
    const count = requireWhole(config.nodes ?? 5, "nodes", 1, "A cluster needs at least one node.");
    datacenters.push({ name: "dc", nodes: Array.from({ length: count }, (_, i) => `n${i + 1}`) });
  }
  const smallest = Math.min(...datacenters.map((d) => d.nodes.length));
  const n = requireWhole(config.n ?? 3, "n (replicas per key)", 1, "Every key needs at least one replica.");
  if (n > smallest) {
    const where = datacenters.length > 1 ? `the smallest datacenter has ${smallest} nodes` : `the cluster has ${smallest} nodes`;
    throw new LeaderlessConfigError(`n = ${n} replicas per key, but ${where}: lower n or add nodes (a node cannot hold two replicas of one key).`);
  }
  const scope = config.quorumScope ?? "all";
  if (scope !== "all" && scope !== "local") throw new LeaderlessConfigError(`quorumScope must be "all" or "local", got ${JSON.stringify(scope)}.`);
  const counted = scope === "local" ? n : n * datacenters.length;
  const countedText = scope === "local" ? `n = ${n} replicas in the coordinator's datacenter` : datacenters.length > 1 ? `${counted} replicas (n = ${n} in each of ${datacenters.length} datacenters)` : `n = ${n}`;
  const w = requireWhole(config.w ?? 2, "w", 1, "A write needs at least one acknowledgement.");
  const r = requireWhole(config.r ?? 2, "r", 1, "A read needs at least one reply (r = 0 would answer without asking anyone).");
  if (w > counted) throw new LeaderlessConfigError(`w = ${w} is larger than ${countedText}: no write could ever collect that many acknowledgements. Use w <= ${counted}.`);
  if (r > counted) throw new LeaderlessConfigError(`r = ${r} is larger than ${countedText}: no read could ever collect that many replies. Use r <= ${counted}.`);
  if (config.quorum !== undefined && (typeof config.quorum.decideRead !== "function" || typeof config.quorum.decideWrite !== "function")) {
    throw new LeaderlessConfigError("quorum must have decideWrite(state) and decideRead(state) functions.");
  }
  const concurrency = config.concurrency ?? "lww";
  if (concurrency !== "lww" && concurrency !== "siblings") throw new LeaderlessConfigError(`concurrency must be "lww" or "siblings", got ${JSON.stringify(concurrency)}.`);
  const antiEntropy = config.antiEntropyIntervalMs;
  return {
    datacenters,
    nodes: datacenters.flatMap((d) => d.nodes),
    n,
    w,
    r,
    quorumScope: scope,
    sloppyQuorum: config.sloppyQuorum ?? false,
    substituteAfterMs: requirePositive(config.substituteAfterMs ?? 30, "substituteAfterMs"),
    requestTimeoutMs: requirePositive(config.requestTimeoutMs ?? 200, "requestTimeoutMs"),
    readRepair: config.readRepair ?? true,
    antiEntropyIntervalMs: antiEntropy === undefined ? undefined : requirePositive(antiEntropy, "antiEntropyIntervalMs"),
    merkleDepth: merkleDepth(config.merkleDepth),
    handoffIntervalMs: requirePositive(config.handoffIntervalMs ?? 100, "handoffIntervalMs"),
    concurrency,
  };
}
