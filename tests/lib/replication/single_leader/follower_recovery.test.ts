import { describe, expect, it } from "vitest";
import { createSingleLeaderCluster } from "../../../../lib/replication/single_leader/cluster";
import { notes, solutionPolicy } from "./helpers";

describe("follower failure: catch-up recovery", () => {
  it("a restarted follower resumes from its last applied position and catches up", () => {
    const cluster = createSingleLeaderCluster({ seed: 8 });
    for (let i = 0; i < 10; i++) cluster.write(`k${i % 3}`, i, { atMs: 20 + 10 * i });
    cluster.sim.at(150, () => cluster.sim.crash("n2"));
    for (let i = 10; i < 30; i++) cluster.write(`k${i % 3}`, i, { atMs: 200 + 10 * i });
    cluster.sim.at(600, () => cluster.sim.restart("n2"));

    cluster.sim.run({ untilMs: 600 });
    // Just restarted: what it has is what it had on disk.
    const recovered = cluster.stateOf("n2");
    expect(recovered.appliedLsn).toBe(10);
    expect(recovered.store).toEqual({ k0: 9, k1: 7, k2: 8 });

    cluster.sim.run({ untilMs: 800 });
    expect(cluster.stateOf("n2").appliedLsn).toBe(30);
    expect(cluster.stateOf("n2").store).toEqual(cluster.stateOf("n1").store);
  });

  it("writes it had not fsynced are lost in its crash and fetched again from the leader", () => {
    const cluster = createSingleLeaderCluster({ seed: 8, syncOnAppend: false, syncIntervalMs: 10_000 });
    for (let i = 0; i < 10; i++) cluster.write(`k${i}`, i, { atMs: 20 + 10 * i });
    cluster.sim.at(150, () => cluster.sim.crash("n2", { loseUnsyncedWrites: true }));
    cluster.sim.at(200, () => cluster.sim.restart("n2"));
    cluster.sim.run({ untilMs: 200 });
    // The background fsync (every 10 s) never ran: the log was only in the page cache.
    expect(cluster.stateOf("n2").lastLsn).toBe(0);
    cluster.sim.run({ untilMs: 400 });
    expect(cluster.stateOf("n2").lastLsn).toBe(10);
    expect(cluster.stateOf("n2").store).toEqual(cluster.stateOf("n1").store);
  });
});

describe("leader restart", () => {
  it("a restarted leader comes back as a follower; the coordinator fails over in a new epoch", () => {
    const cluster = createSingleLeaderCluster({ seed: 8, policy: solutionPolicy });
    for (let i = 0; i < 10; i++) cluster.write(`k${i}`, i, { atMs: 20 + 10 * i });
    cluster.sim.at(150, () => cluster.sim.crash("n1"));
    cluster.sim.at(160, () => cluster.sim.restart("n1"));
    cluster.sim.run({ untilMs: 200 });
    expect(cluster.stateOf("n1").role).toBe("follower");
    expect(notes(cluster).some((n) => n.startsWith("n1: restarted: was leader of epoch 1"))).toBe(true);

    cluster.sim.run({ untilMs: 1500 });
    expect(cluster.recorder.promotions.map((p) => p.epoch)).toEqual([2]);
    const leader = cluster.leader();
    expect(leader).not.toBe("n1");
    expect(cluster.stateOf("n1").leader).toBe(leader);
    expect(cluster.checkSafety().lostWrites).toEqual([]);
    expect(cluster.stateOf("n1").store).toEqual(cluster.stateOf(leader).store);
  });
});
