/**
 * Ready-made failover scenarios: a cluster under a steady write load, one fault that makes the
 * coordinator replace the leader, and the safety report at the end. Graders run a failover
 * policy through many seeds with `randomFailoverScenario`; every parameter derives from the
 * seed and is listed in `description`, so a failing seed can be replayed and read.
 */
import type { NodeId } from "../../sim/trace";
import type { Seed } from "../../sim/random";
import { RandomStream } from "../../sim/random";
import type { FailoverPolicy } from "../failover_types";
import { createSingleLeaderCluster, type SingleLeaderCluster, type SingleLeaderClusterConfig } from "./cluster";
import { SingleLeaderConfigError } from "./config";
import { checkFailoverSafety, type FailoverSafetyReport } from "./invariants";
import type { AckMode, KvInput } from "./types";
import type { PlannedOp } from "../../sim/clients";

/** The fault that makes the coordinator give up on the leader. */
export type FailoverFault =
  /** The leader crashes for good. */
  | "leader-crash"
  /** The first follower stops receiving from the leader (it falls behind), then the leader crashes. */
  | "stale-follower-then-crash"
  /** The leader is cut off from the coordinator and the followers; clients still reach it. Heals later. */
  | "leader-isolated"
  /** Only the link between coordinator and leader fails. Heals later. */
  | "coordinator-cut"
  /** The leader freezes (a long GC pause), then carries on as if nothing happened. */
  | "leader-pause"
  /**
   * The first follower falls behind, then the leader crashes while the coordinator can reach only
   * that follower (a minority of the cluster). Heals later. Only a majority check avoids promoting it.
   */
  | "minority-visible";

/** Every fault, for loops over scenarios. */
export const FAILOVER_FAULTS: readonly FailoverFault[] = [
  "leader-crash",
  "stale-follower-then-crash",
  "leader-isolated",
  "coordinator-cut",
  "leader-pause",
  "minority-visible",
];

/** Options of `runFailoverScenario`. */
export interface FailoverScenarioOptions {
  seed: Seed;
  policy: FailoverPolicy;
  fault: FailoverFault;
  /** Default "async". */
  mode?: AckMode;
  /** Followers of the initial leader (default 2). */
  followers?: number;
  /** When the fault strikes (default 400 ms). */
  faultAtMs?: number;
  /** How long the fault lasts for isolation, cuts and pauses (default 900 ms). */
  faultForMs?: number;
  /** Length of the run (default 3000 ms). */
  durationMs?: number;
  /** Pause between a client's writes (default 5 ms). */
  thinkTimeMs?: number;
  /** Anything else for the cluster (timings, leases, fencing...). */
  cluster?: Partial<Omit<SingleLeaderClusterConfig, "seed" | "policy">>;
}

/** A finished scenario: the cluster to inspect and its safety report. */
export interface FailoverScenarioResult {
  cluster: SingleLeaderCluster;
  report: FailoverSafetyReport;
  /** Every parameter of the run, one line, for failure messages. */
  description: string;
}

/**
 * Runs one scenario. Two clients write distinct values to a few keys: "follower-client" finds
 * the leader through the coordinator; "sticky-client" keeps writing to the node it believes
 * leads and moves only when told (the client a split brain hurts).
 */
export function runFailoverScenario(options: FailoverScenarioOptions): FailoverScenarioResult {
  // Checked first: a misspelt fault would otherwise run a healthy cluster and report it safe.
  if (!FAILOVER_FAULTS.includes(options.fault)) {
    throw new SingleLeaderConfigError(
      `fault must be one of ${FAILOVER_FAULTS.map((f) => `"${f}"`).join(", ")}; got ${JSON.stringify(options.fault)}.`,
    );
  }
  const faultAt = options.faultAtMs ?? 400;
  const faultFor = options.faultForMs ?? 900;
  const duration = options.durationMs ?? 3000;
  const cluster = createSingleLeaderCluster({
    seed: options.seed,
    policy: options.policy,
    mode: options.mode ?? "async",
    followers: options.followers ?? 2,
    ...options.cluster,
  });
  const { sim } = cluster;
  const leader = cluster.dataNodes[0]!;
  const first = cluster.dataNodes[1];
  const others = cluster.dataNodes.slice(1);
  const writes = (client: string) => ({
    count: 1_000_000,
    next: (_random: RandomStream, i: number): PlannedOp<KvInput> => ({ f: "write", input: { key: `k${i % 4}`, value: `${client}-${i}` } }),
  });
  const thinkTimeMs = options.thinkTimeMs ?? 5;
  // Writing stops well before the end, so the run finishes settled and final logs can be compared.
  const stopAtMs = Math.max(0, duration - 600);
  cluster.addClient("follower-client", { ops: writes("f"), startMs: 10, thinkTimeMs, timeoutMs: 150, maxAttempts: 1_000_000, stopAtMs });
  cluster.addClient("sticky-client", { ops: writes("s"), startMs: 12, thinkTimeMs, timeoutMs: 150, coordinator: false, maxAttempts: 1_000_000, stopAtMs });

  const cut = (a: NodeId, b: NodeId) => {
    sim.blockLink(a, b);
    sim.blockLink(b, a);
  };
  switch (options.fault) {
    case "leader-crash":
      sim.at(faultAt, () => sim.crash(leader), "fault");
      break;
    case "stale-follower-then-crash":
      if (first === undefined) throw new SingleLeaderConfigError('fault "stale-follower-then-crash" needs at least one follower; set followers to 1 or more.');
      sim.at(Math.max(0, faultAt - 200), () => sim.blockLink(leader, first), "fault");
      sim.at(faultAt, () => sim.crash(leader), "fault");
      break;
    case "leader-isolated":
      sim.at(faultAt, () => [cluster.coordinatorId, ...others].forEach((n) => cut(leader, n)), "fault");
      sim.at(faultAt + faultFor, () => sim.heal(), "heal");
      break;
    case "coordinator-cut":
      sim.at(faultAt, () => cut(leader, cluster.coordinatorId), "fault");
      sim.at(faultAt + faultFor, () => sim.heal(), "heal");
      break;
    case "leader-pause":
      sim.at(faultAt, () => sim.pause(leader, faultFor), "fault");
      break;
    case "minority-visible":
      if (first === undefined) throw new SingleLeaderConfigError('fault "minority-visible" needs at least one follower; set followers to 1 or more.');
      sim.at(Math.max(0, faultAt - 200), () => sim.blockLink(leader, first), "fault");
      sim.at(faultAt, () => {
        sim.crash(leader);
        others.slice(1).forEach((n) => cut(cluster.coordinatorId, n));
      }, "fault");
      sim.at(faultAt + faultFor, () => sim.heal(), "heal");
      break;
  }
  sim.run({ untilMs: duration });
  const s = cluster.settings;
  const description =
    `seed=${JSON.stringify(options.seed)} fault=${options.fault} at ${faultAt} ms for ${faultFor} ms, mode=${s.mode}, ` +
    `${cluster.dataNodes.length} data nodes, heartbeat ${s.heartbeatIntervalMs} ms, failover timeout ${s.failoverTimeoutMs} ms, ` +
    `lease ${s.leaseMs} ms, clock uncertainty ${s.clockUncertaintyMs} ms, leases ${s.leases ? "on" : "off"}, fencing ${s.fencing ? "on" : "off"}, ` +
    `ship interval ${s.shipIntervalMs} ms, run ${duration} ms`;
  return { cluster, report: checkFailoverSafety(cluster), description };
}

/**
 * A scenario whose fault, ack mode, size and timings all derive from `seed` (leases and fencing
 * on, clock drift within the configured uncertainty). A correct policy keeps the three safety
 * properties in every one of them; each classic mistake breaks them for some seeds.
 */
export function randomFailoverScenario(seed: Seed, policy: FailoverPolicy): FailoverScenarioResult {
  const r = new RandomStream(String(seed), "failover-scenario");
  const fault = r.pick(FAILOVER_FAULTS);
  // With only a minority visible, quorum mode is where skipping the majority check loses
  // acknowledged writes (sync and semi-sync block on the stale follower instead).
  const mode = fault === "minority-visible" ? "quorum" : r.pick<AckMode>(["async", "async", "semi-sync", "quorum"]);
  const followers = r.pick([2, 2, 3, 4]);
  const failoverTimeoutMs = r.pick([150, 250, 400]);
  // Half the runs have a lease longer than the failover timeout: only then does waiting for it matter.
  const leaseMs = r.chance(0.5) ? Math.round(failoverTimeoutMs * r.uniform(1.5, 3)) : Math.round(failoverTimeoutMs * r.uniform(0.4, 0.8));
  const clockUncertaintyMs = 20;
  const driftLimit = clockUncertaintyMs / (2 * (leaseMs + 500));
  const drift = () => r.uniform(-driftLimit, driftLimit);
  const faultAtMs = r.int(300, 600);
  // The minority stays cut off past detection and the lease wait (so a policy without a majority
  // check acts without the others) and heals soon after (so a correct policy can finish).
  const faultForMs =
    fault === "minority-visible"
      ? failoverTimeoutMs + leaseMs + clockUncertaintyMs + 300
      : r.pick([failoverTimeoutMs + leaseMs / 2, 2 * (failoverTimeoutMs + leaseMs)]);
  return runFailoverScenario({
    seed,
    policy,
    fault,
    mode,
    followers,
    faultAtMs,
    faultForMs,
    // Long enough for the failover to finish after the fault: detection, lease wait, promotion.
    durationMs: Math.max(3500, faultAtMs + faultForMs + failoverTimeoutMs + leaseMs + 1000),
    cluster: {
      heartbeatIntervalMs: 40,
      failoverTimeoutMs,
      leaseMs,
      clockUncertaintyMs,
      shipIntervalMs: r.pick([0, 0, 10, 30]),
      clocks: { n1: { drift: drift() }, n2: { drift: drift() }, coordinator: { drift: drift() } },
    },
  });
}
