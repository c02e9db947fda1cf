import type { Latency } from "../../sim/latency";
import { RandomStreams } from "../../sim/random";
import { findStaleReads, type StaleRead } from "./checks";
import { createLeaderlessCluster, type LeaderlessCluster } from "./cluster";
import type { LeaderlessConfig } from "./config";
import type { QuorumPolicy } from "./types";

/** A random mix of puts and gets sent open-loop (without waiting for answers). */
export interface WorkloadOptions {
  /** Keys to use (default k1..k5). */
  keys?: readonly string[];
  /** Operations to send in total. */
  ops: number;
  /** Send times are spread uniformly over [fromMs, toMs). */
  fromMs: number;
  toMs: number;
  /** Share of reads (default 0.5). */
  readFraction?: number;
  /** Clients to spread the operations over (default: every configured client). */
  clients?: readonly string[];
}

/**
 * Schedules a random workload on the cluster, drawn from the simulation's "workload" stream so
 * the same seed sends the same operations. Each operation goes to a random coordinator (the
 * key's first live home replica when that one is down). Written values are "w1", "w2", ...
 */
export function scheduleWorkload(cluster: LeaderlessCluster, options: WorkloadOptions): void {
  const random = cluster.sim.random.stream("workload");
  const keys = options.keys ?? ["k1", "k2", "k3", "k4", "k5"];
  const clients = options.clients ?? cluster.sim.clients;
  const times = Array.from({ length: options.ops }, () => random.uniform(options.fromMs, options.toMs)).sort((a, b) => a - b);
  times.forEach((atMs, i) => {
    const key = random.pick(keys);
    const client = random.pick(clients);
    // Any node may coordinate (Dynamo's clients talk to any node); drawn now, used if it is up.
    const via = random.pick(cluster.nodes);
    const target = { atMs, client, via: () => (cluster.sim.isUp(via) ? via : undefined) };
    if (random.chance(options.readFraction ?? 0.5)) cluster.get(key, target);
    else cluster.put(key, `w${i + 1}`, target);
  });
}

/** What one random quorum scenario did and found. */
export interface QuorumScenarioResult {
  readonly cluster: LeaderlessCluster;
  /** The parameters drawn from the seed, in one line. */
  readonly description: string;
  readonly staleReads: StaleRead[];
  /** Operations that completed ok, failed, or got no answer in time. */
  readonly ok: number;
  readonly failed: number;
  readonly unknown: number;
}

/**
 * A random strict-quorum run with w + r > n: 4-7 nodes, n of 3 or 5 where it fits, random
 * latency, up to two crashes (each node restarts later), three clients. The quorum promise says
 * no read in it is stale. Pass `quorum` to run a learner's decisions instead of the built-in ones.
 */
export function randomQuorumScenario(seed: number, quorum?: QuorumPolicy, overrides: Partial<LeaderlessConfig> = {}): QuorumScenarioResult {
  const random = new RandomStreams(seed).stream("scenario");
  const nodes = random.int(4, 7);
  const n = nodes >= 5 && random.chance(0.5) ? 5 : 3;
  const w = random.int(1, n);
  const r = random.int(n - w + 1, n);
  const latencies: [string, Latency][] = [
    ["uniform 1-5 ms", { kind: "uniform", minMs: 1, maxMs: 5 }],
    ["uniform 1-40 ms", { kind: "uniform", minMs: 1, maxMs: 40 }],
    ["lognormal median 5 ms", { kind: "lognormal", medianMs: 5, sigma: 1, maxMs: 150 }],
  ];
  const [latencyName, latency] = random.pick(latencies);
  const cluster = createLeaderlessCluster({ seed, nodes, n, w, r, latency, clients: ["c1", "c2", "c3"], ...(quorum ? { quorum } : {}), ...overrides });
  const crashes: string[] = [];
  for (let i = random.int(0, 2); i > 0; i--) {
    const node = random.pick(cluster.nodes);
    const atMs = random.int(100, 1200);
    const downMs = random.int(50, 600);
    crashes.push(`${node} down ${atMs}-${atMs + downMs} ms`);
    cluster.sim.at(atMs, () => cluster.sim.isUp(node) && cluster.sim.crash(node), `crash ${node}`);
    cluster.sim.at(atMs + downMs, () => !cluster.sim.isUp(node) && cluster.sim.restart(node), `restart ${node}`);
  }
  scheduleWorkload(cluster, { ops: 120, fromMs: 10, toMs: 1500, readFraction: 0.5, keys: ["k1", "k2", "k3"] });
  cluster.sim.run({ untilMs: 2500 });
  const ops = cluster.sim.history.ops;
  return {
    cluster,
    description: `${nodes} nodes, n=${n} w=${w} r=${r}, latency ${latencyName}, ${crashes.length === 0 ? "no crashes" : crashes.join(", ")}`,
    staleReads: findStaleReads(cluster.sim.history),
    ok: ops.filter((o) => o.status === "ok").length,
    failed: ops.filter((o) => o.status === "fail").length,
    unknown: ops.filter((o) => o.status === "unknown" || o.status === "pending").length,
  };
}
