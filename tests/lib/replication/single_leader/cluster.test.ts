import { describe, expect, it } from "vitest";
import { Simulation } from "../../../../lib/sim/simulation";
import { createSingleLeaderCluster, randomWrites } from "../../../../lib/replication/single_leader/cluster";
import { SingleLeaderConfigError } from "../../../../lib/replication/single_leader/config";
import { failoverSummary, leadersByEpoch } from "../../../../lib/replication/single_leader/invariants";
import { table } from "../../../../lib/viz";
import type { ReadResult, WriteResult } from "../../../../lib/replication/single_leader/types";

describe("createSingleLeaderCluster configuration", () => {
  const bad: [string, Parameters<typeof createSingleLeaderCluster>[0], RegExp][] = [
    ["negative followers", { seed: 1, followers: -1 }, /followers must be a whole number/],
    ["a reserved id", { seed: 1, nodeIds: ["n1", "coordinator"] }, /reserved/],
    ["duplicate ids", { seed: 1, nodeIds: ["a", "b"], spares: ["b"] }, /used twice/],
    ["an unknown mode", { seed: 1, mode: "eventual" as never }, /mode must be one of/],
    ["a lease shorter than a heartbeat", { seed: 1, leaseMs: 40, heartbeatIntervalMs: 50 }, /leaseMs \(40\) must be longer than heartbeatIntervalMs/],
    ["an unknown semi-sync follower", { seed: 1, mode: "semi-sync", semiSync: { follower: "n9" } }, /semiSync.follower is "n9"/],
    ["semi-sync without followers", { seed: 1, mode: "semi-sync", followers: 0 }, /needs at least one follower/],
    ["a negative timeout", { seed: 1, failoverTimeoutMs: -5 }, /failoverTimeoutMs must be a finite number > 0/],
    ["a policy without functions", { seed: 1, policy: {} as never }, /validateSafeFailover/],
  ];
  for (const [what, config, message] of bad) {
    it(`rejects ${what} with a clear error`, () => {
      expect(() => createSingleLeaderCluster(config)).toThrow(SingleLeaderConfigError);
      expect(() => createSingleLeaderCluster(config)).toThrow(message);
    });
  }

  it("names data nodes n1..nK, spares after them, plus the coordinator", () => {
    const cluster = createSingleLeaderCluster({ seed: 1, followers: 3, spares: 2, fencingStorage: true });
    expect(cluster.dataNodes).toEqual(["n1", "n2", "n3", "n4"]);
    expect(cluster.spares).toEqual(["n5", "n6"]);
    expect(cluster.sim.nodes).toEqual(["n1", "n2", "n3", "n4", "n5", "n6", "coordinator", "storage"]);
  });

  it("leader() and coordinator() answer before the simulation has booted: the first node leads epoch 1", () => {
    const cluster = createSingleLeaderCluster({ seed: 1, nodeIds: ["a", "b", "c"], fencingStorage: true });
    expect(cluster.leader()).toBe("a");
    expect(cluster.coordinator()).toMatchObject({ phase: "monitoring", leader: "a", epoch: 1, members: ["a", "b", "c"], acknowledgedLsns: [], failovers: 0 });
    // Nobody has started yet, so nobody considers itself leader; nothing reached the storage.
    expect(cluster.leaders()).toEqual([]);
    expect(cluster.storageRecords()).toEqual([]);
    // runUntil checks its condition at t = 0, before any node has booted.
    cluster.sim.runUntil(() => cluster.leader() === "a");
    expect(cluster.sim.now).toBe(0);
    // Once booted, the coordinator's own answer takes over (same content).
    cluster.sim.run({ untilMs: 1 });
    expect(cluster.coordinator()).toMatchObject({ phase: "monitoring", leader: "a", epoch: 1 });
  });

  it("asks to run the simulation before inspecting nodes", () => {
    const cluster = createSingleLeaderCluster({ seed: 1 });
    expect(() => cluster.stateOf("n1")).toThrow(/run the simulation first/);
    expect(() => cluster.stateOf("n7")).toThrow();
  });
});

describe("cluster helpers", () => {
  it("write, insert, delete and read go to the leader; reads elsewhere show the lag", () => {
    const cluster = createSingleLeaderCluster({ seed: 2 });
    cluster.sim.setLink({ from: "n1", to: "n3", latency: { kind: "constant", ms: 50 } });
    const w = cluster.write("x", "a", { atMs: 20 });
    const i1 = cluster.insert("users", "ann", { atMs: 22 });
    const i2 = cluster.insert("users", "bob", { atMs: 24 });
    const d = cluster.delete("x", { atMs: 26 });
    const fromLeader = cluster.read("users:2", { atMs: 40 });
    const fromLaggingFollower = cluster.read("users:2", { atMs: 40, via: "n3" });
    cluster.sim.run({ untilMs: 200 });
    expect((w.op!.output as WriteResult).lsn).toBe(1);
    expect([(i1.op!.output as WriteResult).id, (i2.op!.output as WriteResult).id]).toEqual([1, 2]);
    expect(d.op!.status).toBe("ok");
    expect(fromLeader.op!.output).toMatchObject({ node: "n1", role: "leader", value: "bob", appliedLsn: 4 });
    expect(fromLaggingFollower.op!.output as ReadResult).toMatchObject({ node: "n3", role: "follower", value: null, appliedLsn: 0 });
    expect(cluster.stateOf("n3").store).toEqual({ "users:1": "ann", "users:2": "bob" });
  });

  it("replicaTable has one row per member with role, positions, lag and status", () => {
    const cluster = createSingleLeaderCluster({ seed: 3, spares: 1 });
    cluster.sim.at(30, () => cluster.sim.crash("n3"));
    for (let i = 0; i < 5; i++) cluster.write(`k${i}`, i, { atMs: 50 + i });
    cluster.sim.run({ untilMs: 200 });
    const rows = cluster.replicaTable();
    expect(rows.map((r) => r.node)).toEqual(["n1", "n2", "n3"]);
    expect(rows[0]).toMatchObject({ role: "leader", status: "up", writable: "yes", lastLsn: 5, lag: 0, keys: 5 });
    expect(rows[1]).toMatchObject({ role: "follower", leader: "n1", lastLsn: 5, lag: 0, writable: "-" });
    expect(rows[2]).toMatchObject({ status: "crashed", lastLsn: 0, lag: 5 });
    // The rows feed lib/viz tables as they are.
    expect(table(rows)).toMatch(/n3\s.*crashed/);
  });

  it("promote fails over by hand when no policy is configured", () => {
    const cluster = createSingleLeaderCluster({ seed: 4 });
    cluster.sim.at(50, () => cluster.sim.crash("n1"));
    cluster.sim.run({ untilMs: 600 });
    // Failure detected, nobody promoted: the coordinator waits for an operator.
    expect(cluster.coordinator().phase).toBe("awaiting-manual-failover");
    const attempt = cluster.recorder.failovers[0]!.attempts[0]!;
    expect(attempt.decision).toBeUndefined();
    // No policy judged anything: not a refusal, just waiting for an operator.
    expect(attempt.verdict).toBeUndefined();
    expect(attempt.awaitingManualPromote).toBe(true);
    expect(failoverSummary(cluster)).toMatchObject([{ failover: 1, oldLeader: "n1", lastRefusal: "", manual: true, promoted: "-" }]);
    cluster.promote("n3", { atMs: 600 });
    const w = cluster.write("x", 1, { atMs: 700 });
    cluster.sim.run({ untilMs: 900 });
    expect(cluster.leader()).toBe("n3");
    expect(cluster.stateOf("n3")).toMatchObject({ role: "leader", epoch: 2 });
    expect(w.op!.output).toMatchObject({ leader: "n3", epoch: 2 });
    expect(cluster.recorder.promotions[0]).toMatchObject({ leader: "n3", manual: true });
    expect(failoverSummary(cluster)).toMatchObject([{ failover: 1, lastRefusal: "", manual: true, promoted: "n3", epoch: 2 }]);
  });

  it("addClient with randomWrites drives a workload; leadersByEpoch accepts the bare simulation", () => {
    const cluster = createSingleLeaderCluster({ seed: 5 });
    const client = cluster.addClient("load", { ops: randomWrites(30, 3), startMs: 10 });
    cluster.sim.run({ untilMs: 500 });
    expect(client.outcomes.filter((o) => o.status === "ok")).toHaveLength(30);
    expect([...leadersByEpoch(cluster.sim)]).toEqual([[1, ["n1"]]]);
    const plain = new Simulation({ seed: 1, nodes: ["a"], createNode: () => ({ onMessage() {} }) });
    expect(() => leadersByEpoch(plain)).toThrow(/no single-leader recorder/);
  });
});

describe("a coordinator restart", () => {
  it("is refused with an error that says to crash only data nodes", () => {
    for (const loseUnsyncedWrites of [false, true]) {
      const cluster = createSingleLeaderCluster({ seed: 3 });
      cluster.sim.at(100, () => cluster.sim.crash(cluster.coordinatorId, { loseUnsyncedWrites }));
      cluster.sim.at(200, () => cluster.sim.restart(cluster.coordinatorId));
      expect(() => cluster.sim.run({ untilMs: 300 })).toThrow(/cannot recover it\. Crash only data nodes/);
    }
  });
});
