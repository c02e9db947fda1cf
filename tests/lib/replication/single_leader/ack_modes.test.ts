import { describe, expect, it } from "vitest";
import { createSingleLeaderCluster, type SingleLeaderClusterConfig } from "../../../../lib/replication/single_leader/cluster";
import type { AckMode } from "../../../../lib/replication/single_leader/types";
import { logHolds, notes, okWrites, solutionPolicy, writePlan } from "./helpers";

/** A cluster whose leader n1 reaches each listed follower over a slow link (both directions). */
function withSlowLinks(config: Partial<SingleLeaderClusterConfig>, slow: Record<string, number>) {
  const cluster = createSingleLeaderCluster({ seed: 21, ...config });
  for (const [follower, ms] of Object.entries(slow)) cluster.sim.setLink({ from: "n1", to: follower, latency: { kind: "constant", ms } });
  return cluster;
}

/** Runs one write at t = 20 ms and stops the moment the client has its answer. */
function firstWrite(mode: AckMode, config: Partial<SingleLeaderClusterConfig>, slow: Record<string, number>) {
  const cluster = withSlowLinks({ mode, ...config }, slow);
  const handle = cluster.write("x", 1, { atMs: 20 });
  cluster.sim.runUntil(() => handle.op?.status === "ok", { timeoutMs: 1000, what: "the write to complete" });
  const op = handle.op!;
  return { cluster, latencyMs: op.completeMs! - op.invokeMs, lastLsn: (id: string) => cluster.stateOf(id).lastLsn };
}

describe("acknowledgement modes", () => {
  it("async: the leader answers after its own write, before any follower has it", () => {
    const { latencyMs, lastLsn } = firstWrite("async", {}, { n2: 30, n3: 30 });
    expect(lastLsn("n2")).toBe(0);
    expect(lastLsn("n3")).toBe(0);
    // Client -> leader -> client over 1-5 ms links: no follower round trip in it.
    expect(latencyMs).toBeLessThanOrEqual(10);
  });

  it("sync: the leader answers only once every follower has the write", () => {
    const { latencyMs, lastLsn } = firstWrite("sync", {}, { n2: 30, n3: 30 });
    expect(lastLsn("n2")).toBe(1);
    expect(lastLsn("n3")).toBe(1);
    // At least one 30 ms hop to the follower and one back.
    expect(latencyMs).toBeGreaterThanOrEqual(60);
  });

  it("semi-sync: the leader waits for the designated follower only", () => {
    const { latencyMs, lastLsn } = firstWrite("semi-sync", {}, { n2: 10, n3: 100 });
    expect(lastLsn("n2")).toBe(1);
    expect(lastLsn("n3")).toBe(0);
    expect(latencyMs).toBeGreaterThanOrEqual(20);
    expect(latencyMs).toBeLessThan(200);
  });

  it("quorum: the leader waits for a majority counting itself (3 of 5), not for the slow ones", () => {
    const { lastLsn } = firstWrite("quorum", { followers: 4 }, { n2: 10, n3: 10, n4: 100, n5: 100 });
    expect(lastLsn("n2") + lastLsn("n3")).toBe(2);
    expect(lastLsn("n4") + lastLsn("n5")).toBe(0);
  });
});

describe("a leader crash right after an acknowledgement", () => {
  /**
   * The leader ships its log every 100 ms. The run stops at the first acknowledgement after
   * 300 ms and crashes the leader at that very instant; the reference policy fails over.
   */
  function crashRightAfterAck(mode: AckMode) {
    const cluster = createSingleLeaderCluster({ seed: 11, mode, policy: solutionPolicy, shipIntervalMs: 100 });
    cluster.addClient("writer", { ops: writePlan(60), startMs: 10, thinkTimeMs: 3, timeoutMs: 200, maxAttempts: 1 });
    cluster.sim.runUntil(() => cluster.recorder.acknowledged.some((a) => a.timeMs >= 300), { timeoutMs: 2000, what: "an ack after 300 ms" });
    const lastAck = cluster.recorder.acknowledged[cluster.recorder.acknowledged.length - 1]!;
    cluster.sim.crash("n1");
    cluster.sim.run({ untilMs: 2000 });
    return { cluster, lastAck, report: cluster.checkSafety() };
  }

  it("async mode loses it: the write existed only on the leader", () => {
    const { cluster, lastAck, report } = crashRightAfterAck("async");
    expect(report.failovers).toBe(1);
    const lost = report.lostWrites.map((l) => l.write.key);
    // Accepted and acknowledged in the same instant, never shipped: gone with the leader.
    expect(lost).toContain(lastAck.key);
    expect(report.lostWrites.every((l) => l.reason === "no-reachable-candidate-had-it")).toBe(true);
    // The policy did nothing wrong: async replication allows this loss.
    expect(report.ok).toBe(true);
    expect(cluster.leader()).not.toBe("n1");
  });

  it("sync mode keeps every acknowledged write", () => {
    const { cluster, report } = crashRightAfterAck("sync");
    expect(report.failovers).toBe(1);
    expect(report.lostWrites).toEqual([]);
    const acknowledged = okWrites(cluster);
    // Sync writes wait for a shipment (every 100 ms): at least one ack per shipment before 300 ms.
    expect(acknowledged.length).toBeGreaterThanOrEqual(3);
    const leader = cluster.leader();
    for (const { result } of acknowledged) expect(logHolds(cluster, leader, result), `lsn ${result.lsn}`).toBe(true);
  });
});

describe("blocking", () => {
  it("sync mode blocks writes while a follower is down: the client gets unknown, the write waits", () => {
    const cluster = createSingleLeaderCluster({ seed: 4, mode: "sync" });
    cluster.sim.at(50, () => cluster.sim.crash("n3"));
    const blocked = cluster.write("x", 1, { atMs: 100, timeoutMs: 300 });
    cluster.sim.run({ untilMs: 450 });
    expect(blocked.op!.status).toBe("unknown");
    expect(cluster.stateOf("n1").pendingLsns).toEqual([1]);
    expect(cluster.stateOf("n2").lastLsn).toBe(1);

    // The follower comes back, catches up, and the leader can finish the write and take new ones.
    cluster.sim.at(500, () => cluster.sim.restart("n3"));
    const later = cluster.write("y", 2, { atMs: 700 });
    cluster.sim.run({ untilMs: 900 });
    expect(cluster.stateOf("n1").pendingLsns).toEqual([]);
    expect(later.op!.status).toBe("ok");
    expect(cluster.stateOf("n3").store).toEqual({ x: 1, y: 2 });
  });

  it("semi-sync blocks when the designated follower is down, not when another one is", () => {
    const otherDown = createSingleLeaderCluster({ seed: 4, mode: "semi-sync" });
    otherDown.sim.at(50, () => otherDown.sim.crash("n3"));
    const ok = otherDown.write("x", 1, { atMs: 100, timeoutMs: 300 });
    otherDown.sim.run({ untilMs: 450 });
    expect(ok.op!.status).toBe("ok");

    const syncDown = createSingleLeaderCluster({ seed: 4, mode: "semi-sync" });
    syncDown.sim.at(50, () => syncDown.sim.crash("n2"));
    const blocked = syncDown.write("x", 1, { atMs: 100, timeoutMs: 300 });
    syncDown.sim.run({ untilMs: 450 });
    expect(blocked.op!.status).toBe("unknown");
  });

  it("semi-sync with fallback 'async' stops waiting after fallbackAfterMs, and resumes once the follower is back", () => {
    const cluster = createSingleLeaderCluster({ seed: 4, mode: "semi-sync", semiSync: { fallback: "async", fallbackAfterMs: 100 } });
    cluster.sim.at(50, () => cluster.sim.crash("n2"));
    const first = cluster.write("x", 1, { atMs: 100, timeoutMs: 500 });
    const second = cluster.write("y", 2, { atMs: 300, timeoutMs: 500 });
    cluster.sim.run({ untilMs: 400 });
    expect(first.op!.status).toBe("ok");
    expect(first.op!.completeMs! - first.op!.invokeMs).toBeGreaterThanOrEqual(100);
    // Degraded to async: the next write does not wait.
    expect(second.op!.completeMs! - second.op!.invokeMs).toBeLessThanOrEqual(10);
    expect(cluster.stateOf("n1").semiSyncDegraded).toBe(true);
    expect(notes(cluster).some((n) => n.includes("falling back to async"))).toBe(true);

    cluster.sim.at(450, () => cluster.sim.restart("n2"));
    cluster.write("z", 3, { atMs: 600 });
    cluster.sim.run({ untilMs: 800 });
    expect(cluster.stateOf("n1").semiSyncDegraded).toBe(false);
    expect(cluster.stateOf("n2").store).toEqual({ x: 1, y: 2, z: 3 });
  });

  it("semi-sync after a failover that promoted the sync follower waits for another, live follower", () => {
    const cluster = createSingleLeaderCluster({ seed: 4, mode: "semi-sync", policy: solutionPolicy });
    cluster.sim.at(100, () => cluster.sim.crash("n1"));
    cluster.sim.run({ untilMs: 1500 });
    expect(cluster.leader()).toBe("n2");
    // Waiting on the dead old leader would block forever; n3 answers instead.
    const write = cluster.write("x", 1, { atMs: 1500, timeoutMs: 300 });
    cluster.sim.run({ untilMs: 2000 });
    expect(write.op!.status).toBe("ok");
    expect(cluster.stateOf("n3").store).toEqual({ x: 1 });
  });

  it("quorum mode tolerates a minority of followers down but not a majority", () => {
    const cluster = createSingleLeaderCluster({ seed: 4, mode: "quorum", followers: 4 });
    cluster.sim.at(50, () => {
      cluster.sim.crash("n4");
      cluster.sim.crash("n5");
    });
    const withTwoDown = cluster.write("x", 1, { atMs: 100, timeoutMs: 300 });
    cluster.sim.at(450, () => cluster.sim.crash("n3"));
    const withThreeDown = cluster.write("y", 2, { atMs: 500, timeoutMs: 300 });
    cluster.sim.run({ untilMs: 900 });
    expect(withTwoDown.op!.status).toBe("ok");
    expect(withThreeDown.op!.status).toBe("unknown");
  });
});
