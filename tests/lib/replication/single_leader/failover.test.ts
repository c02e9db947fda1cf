import { describe, expect, it } from "vitest";
import type { FailoverPolicy } from "../../../../lib/replication/failover_types";
import { createSingleLeaderCluster } from "../../../../lib/replication/single_leader/cluster";
import { downtime, failoverCount, failoverSummary, leadersByEpoch, splitBrainIntervals } from "../../../../lib/replication/single_leader/invariants";
import { naiveFailoverPolicy, timedPolicy } from "../../../../lib/replication/single_leader/policies";
import { randomFailoverScenario, runFailoverScenario, type FailoverScenarioOptions } from "../../../../lib/replication/single_leader/scenarios";
import { notes, solutionPolicy, writePlan } from "./helpers";

describe("failover with the reference policy", () => {
  it("waits for the old lease, promotes the freshest follower, and the old leader rejoins as its follower", () => {
    const policy = timedPolicy(solutionPolicy);
    const cluster = createSingleLeaderCluster({ seed: 12, policy, leaseMs: 400, failoverTimeoutMs: 200 });
    const client = cluster.addClient("writer", { ops: writePlan(150), startMs: 10, thinkTimeMs: 5, timeoutMs: 150, maxAttempts: 100 });
    // n2 stops hearing from the leader at 300 ms, so n3 is the freshest when n1 crashes at 500 ms.
    cluster.sim.at(300, () => cluster.sim.blockLink("n1", "n2"));
    cluster.sim.at(500, () => cluster.sim.crash("n1"));
    cluster.sim.at(1500, () => cluster.sim.restart("n1"));
    cluster.sim.run({ untilMs: 2500 });

    const [failover] = cluster.recorder.failovers;
    expect(cluster.recorder.failovers).toHaveLength(1);
    const attempts = failover!.attempts;
    const deciding = attempts[attempts.length - 1]!;
    expect(deciding.decision).toMatchObject({ promote: true, leader: "n3", epoch: 2 });
    const { lastHeartbeatSentMs, leaseMs } = deciding.observation.oldLeader;
    expect(deciding.observation.nowMs).toBeGreaterThanOrEqual(lastHeartbeatSentMs + leaseMs + deciding.observation.clockUncertaintyMs);
    // Every earlier attempt was refused because the lease might still run.
    expect(attempts.length).toBeGreaterThan(1);
    for (const a of attempts.slice(0, -1)) expect(a.verdict).toMatchObject({ safe: false, code: "lease-may-be-valid" });
    expect(attempts.every((a) => !a.awaitingManualPromote)).toBe(true);
    expect(policy.decisionDelaysMs).toHaveLength(1);
    expect(policy.decisionDelaysMs[0]).toBeGreaterThan(0);

    expect(cluster.leader()).toBe("n3");
    expect(cluster.leaders()).toEqual(["n3"]);
    const n1 = cluster.stateOf("n1");
    expect(n1).toMatchObject({ role: "follower", leader: "n3", epoch: 2 });
    expect(n1.store).toEqual(cluster.stateOf("n3").store);
    // Writes went on after the failover, acknowledged by the new leader.
    expect(client.outcomes.some((o) => o.status === "ok" && o.node === "n3")).toBe(true);
    expect(cluster.checkSafety()).toMatchObject({ ok: true, lostWrites: [] });
    expect([...leadersByEpoch(cluster.sim)]).toEqual([
      [1, ["n1"]],
      [2, ["n3"]],
    ]);
    expect(failoverSummary(cluster)).toMatchObject([
      { failover: 1, oldLeader: "n1", oldEpoch: 1, attempts: attempts.length, lastRefusal: "lease-may-be-valid", manual: false, promoted: "n3", epoch: 2, freshestReachable: "n3", reachable: "n2,n3" },
    ]);
  });

  it("fences the old leader: cut off from the coordinator only, it steps down when it sees epoch 2", () => {
    const cluster = createSingleLeaderCluster({ seed: 13, policy: solutionPolicy });
    cluster.addClient("writer", { ops: writePlan(200), startMs: 10, thinkTimeMs: 5, timeoutMs: 150, maxAttempts: 100 });
    cluster.sim.at(400, () => {
      cluster.sim.blockLink("n1", "coordinator");
      cluster.sim.blockLink("coordinator", "n1");
    });
    cluster.sim.run({ untilMs: 2000 });
    expect(failoverCount(cluster)).toBe(1);
    expect(cluster.leader()).toBe("n2");
    // The coordinator cannot tell n1; the new leader's first message, stamped epoch 2, does.
    expect(cluster.stateOf("n1")).toMatchObject({ role: "follower", epoch: 2, leader: "n2" });
    expect(notes(cluster).some((n) => n.startsWith("n1: stepping down from epoch 1"))).toBe(true);
    expect(splitBrainIntervals(cluster)).toEqual([]);
    expect(cluster.checkSafety().ok).toBe(true);
  });
});

describe("split brain", () => {
  /**
   * At 400 ms the leader is cut off from the coordinator and the followers, not from clients;
   * the network heals at 1400 ms. One client keeps writing to n1 until told otherwise.
   */
  function isolatedLeader(overrides: Partial<FailoverScenarioOptions["cluster"]>) {
    return runFailoverScenario({ seed: 14, policy: solutionPolicy, fault: "leader-isolated", faultAtMs: 400, faultForMs: 1000, durationMs: 2500, cluster: overrides });
  }

  it("without leases or fencing, two leaders accept writes and the old one's acknowledged writes are lost", () => {
    const { cluster, report } = isolatedLeader({ leases: false, fencing: false });
    const overlaps = splitBrainIntervals(cluster);
    expect(overlaps.length).toBeGreaterThan(0);
    expect(overlaps[0]!.nodes).toEqual(["n1", "n2"]);
    expect(report.unsafeLosses.length).toBeGreaterThan(0);
    expect(report.unsafeLosses.every((l) => l.reason === "acknowledged-during-failover" && l.write.node === "n1")).toBe(true);
    // Once the partition heals the coordinator's announcement reaches n1, which steps down and
    // rolls back the writes it took alone: its log follows the new leader's again.
    expect(cluster.leaders()).toEqual(["n2"]);
    expect(notes(cluster).some((n) => /^n1: rolled back \d+ divergent entr/.test(n))).toBe(true);
    expect(cluster.stateOf("n1").store).toEqual(cluster.stateOf("n2").store);
    expect(cluster.stateOf("n1").lastLsn).toBe(cluster.stateOf("n2").lastLsn);
  });

  it("the same run with a fenced storage: the old leader is stopped before anyone is promoted", () => {
    const { cluster, report } = isolatedLeader({ leases: false, fencing: true, fencingStorage: true });
    expect(splitBrainIntervals(cluster)).toEqual([]);
    expect(report.unsafeLosses).toEqual([]);
    expect(cluster.storageRecords().some((r) => r.from === "n1" && !r.accepted)).toBe(true);
    expect(report.ok).toBe(true);
  });

  it("the same run with leases: the old leader stops itself when its lease runs out", () => {
    const { cluster, report } = isolatedLeader({ leases: true, fencing: true });
    expect(splitBrainIntervals(cluster)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(cluster.sim.history.ops.some((op) => op.node === "n1" && op.status === "fail" && String(op.error).startsWith("no-lease"))).toBe(true);
  });
});

// Hand-written broken policies, each built on the reference one with a single mistake.
const ignoresFreshness: FailoverPolicy = {
  validateSafeFailover: solutionPolicy.validateSafeFailover,
  electNewLeader(o) {
    const d = solutionPolicy.electNewLeader(o);
    return d.promote ? { ...d, leader: o.candidates[0]!.id } : d;
  },
};
const reusesOldEpoch: FailoverPolicy = {
  validateSafeFailover: solutionPolicy.validateSafeFailover,
  electNewLeader(o) {
    const d = solutionPolicy.electNewLeader(o);
    return d.promote ? { ...d, epoch: o.oldLeader.epoch } : d;
  },
};
const ignoresLease: FailoverPolicy = {
  validateSafeFailover: () => ({ safe: true }),
  electNewLeader: (o) => solutionPolicy.electNewLeader({ ...o, nowMs: Number.MAX_SAFE_INTEGER }),
};
const skipsMajorityCheck: FailoverPolicy = {
  validateSafeFailover: () => ({ safe: true }),
  electNewLeader: (o) => solutionPolicy.electNewLeader({ ...o, clusterSize: 1 }),
};

describe("broken policies break the safety checks", () => {
  const longLease = { leaseMs: 600, failoverTimeoutMs: 200 };
  const cases: { name: string; policy: FailoverPolicy; scenario: Omit<FailoverScenarioOptions, "policy" | "seed">; broken: (r: ReturnType<typeof runFailoverScenario>["report"]) => boolean }[] = [
    { name: "promoting the first candidate, not the freshest", policy: ignoresFreshness, scenario: { fault: "stale-follower-then-crash" }, broken: (r) => r.staleChoices.length > 0 },
    { name: "reusing the old epoch", policy: reusesOldEpoch, scenario: { fault: "leader-crash" }, broken: (r) => r.epochConflicts.length > 0 },
    { name: "ignoring the old leader's lease", policy: ignoresLease, scenario: { fault: "leader-isolated", cluster: longLease }, broken: (r) => r.unsafeLosses.some((l) => l.reason === "acknowledged-during-failover") },
    { name: "skipping the majority check", policy: skipsMajorityCheck, scenario: { fault: "minority-visible", mode: "quorum", faultForMs: 1200 }, broken: (r) => !r.durable },
    { name: "the naive policy (first reachable, at once)", policy: naiveFailoverPolicy, scenario: { fault: "leader-isolated", cluster: longLease }, broken: (r) => !r.ok },
  ];

  for (const c of cases) {
    it(`${c.name}: violation; the reference policy passes the same run`, () => {
      const bad = runFailoverScenario({ seed: 15, policy: c.policy, ...c.scenario });
      expect(bad.report.failovers).toBeGreaterThanOrEqual(1);
      expect(c.broken(bad.report), bad.description).toBe(true);
      const good = runFailoverScenario({ seed: 15, policy: solutionPolicy, ...c.scenario });
      expect(good.report.failovers).toBeGreaterThanOrEqual(1);
      expect(good.report.violations, good.description).toEqual([]);
      expect(good.report.durable).toBe(true);
    });
  }

  it("random scenarios: the reference policy passes every seed, each broken policy fails some", () => {
    const seeds = Array.from({ length: 30 }, (_, i) => i + 1);
    for (const seed of seeds) {
      const { report, description } = randomFailoverScenario(seed, solutionPolicy);
      expect(report.violations, description).toEqual([]);
      expect(report.durable, description).toBe(true);
      expect(report.failovers, description).toBeGreaterThanOrEqual(1);
    }
    for (const policy of [ignoresFreshness, reusesOldEpoch, ignoresLease, skipsMajorityCheck, naiveFailoverPolicy]) {
      const caught = seeds.some((seed) => {
        const { report } = randomFailoverScenario(seed, policy);
        return !report.ok || !report.durable;
      });
      expect(caught).toBe(true);
    }
  });
});

describe("failure detection timeout", () => {
  it("a timeout shorter than a leader pause fails over needlessly; a longer one rides it out", () => {
    const run = (failoverTimeoutMs: number) => {
      const cluster = createSingleLeaderCluster({ seed: 16, policy: solutionPolicy, failoverTimeoutMs, leaseMs: 100 });
      cluster.sim.at(400, () => cluster.sim.pause("n1", 250));
      cluster.sim.run({ untilMs: 1500 });
      return failoverCount(cluster);
    };
    expect(run(150)).toBe(1);
    expect(run(400)).toBe(0);
  });

  it("after a real crash, a longer timeout means longer downtime", () => {
    const down = (failoverTimeoutMs: number) => {
      const cluster = createSingleLeaderCluster({ seed: 16, policy: solutionPolicy, failoverTimeoutMs, leaseMs: 100 });
      cluster.sim.at(400, () => cluster.sim.crash("n1"));
      cluster.sim.run({ untilMs: 2500 });
      return downtime(cluster, { fromMs: 300 }).totalMs;
    };
    const short = down(150);
    const long = down(600);
    expect(short).toBeGreaterThan(150);
    expect(long).toBeGreaterThan(short + 300);
  });
});

describe("determinism", () => {
  it("the same seed gives the same trace; another seed gives another", () => {
    const digest = (seed: number) => randomFailoverScenario(seed, solutionPolicy).cluster.sim.digest();
    expect(digest(3)).toBe(digest(3));
    expect(digest(3)).not.toBe(digest(4));
  });
});
