import { describe, expect, it } from "vitest";
import { createSingleLeaderCluster } from "../../../../lib/replication/single_leader/cluster";
import type { BootstrapMethod } from "../../../../lib/replication/single_leader/types";
import { notes } from "./helpers";

/**
 * A leader and one follower; a spare n3 joins at 200 ms while writes keep coming: 20 keys
 * written round-robin every 2 ms from 10 ms to 380 ms (186 writes), then nothing. A naive copy
 * takes 10 ms per key, so it runs from about 200 ms to 400 ms.
 */
function joinWhileWriting(method: BootstrapMethod) {
  const cluster = createSingleLeaderCluster({ seed: 5, followers: 1, spares: 1, snapshotTransferMs: 50, naiveCopyKeyIntervalMs: 10 });
  let writes = 0;
  for (let t = 10; t <= 380; t += 2) cluster.write(`key${String(writes % 20).padStart(2, "0")}`, writes++, { atMs: t });
  cluster.addFollower("n3", { atMs: 200, method });
  cluster.sim.run({ untilMs: 1000 });
  return { cluster, writes, joiner: cluster.stateOf("n3"), leader: cluster.stateOf("n1") };
}

describe("setting up a new follower", () => {
  it("snapshot + catch-up: the new follower ends with exactly the leader's store", () => {
    const { cluster, writes, joiner, leader } = joinWhileWriting("snapshot");
    expect(leader.lastLsn).toBe(writes);
    expect(joiner.role).toBe("follower");
    expect(joiner.store).toEqual(leader.store);
    expect(joiner.lastLsn).toBe(leader.lastLsn);

    // The snapshot was tied to a log position taken while writes went on; everything after it
    // came from the log ("send me the changes since lsn X").
    const note = notes(cluster).find((n) => n.startsWith("n1: snapshot") && n.endsWith("for n3"));
    const snapshotLsn = Number(/at lsn (\d+)/.exec(note ?? "")?.[1]);
    expect(snapshotLsn).toBeGreaterThan(0);
    expect(snapshotLsn).toBeLessThan(writes);
    expect(joiner.baseLsn).toBe(snapshotLsn);
    expect(joiner.log.map((e) => e.lsn)).toEqual(Array.from({ length: writes - snapshotLsn }, (_, i) => snapshotLsn + 1 + i));
  });

  it("naive copy: the follower believes it is caught up, yet keys copied early hold stale values", () => {
    const { joiner, leader } = joinWhileWriting("naive");
    expect(joiner.role).toBe("follower");
    expect(joiner.lastLsn).toBe(leader.lastLsn);
    // A key copied at the start of the copy and written again before the copy ended keeps its old
    // value: that write sits before the position the follower streams from, so it never comes.
    const stale = Object.keys(leader.store).filter((k) => joiner.store[k] !== leader.store[k]);
    expect(stale.length).toBeGreaterThan(0);
    for (const k of stale) expect(joiner.store[k]).toBeLessThan(leader.store[k] as number);
  });

  it("only spare nodes can join", () => {
    const cluster = createSingleLeaderCluster({ seed: 5 });
    expect(() => cluster.addFollower("n2")).toThrow(/only a spare node can join/);
  });
});

describe("log retention", () => {
  /** n3 is down from 50 ms to 400 ms while 100 writes happen. */
  function followerBackAfter100Writes(logRetentionEntries: number) {
    const cluster = createSingleLeaderCluster({ seed: 6, logRetentionEntries });
    cluster.sim.at(50, () => cluster.sim.crash("n3"));
    for (let i = 0; i < 100; i++) cluster.write(`k${i % 7}`, i, { atMs: 100 + 2 * i });
    cluster.sim.at(400, () => cluster.sim.restart("n3"));
    cluster.sim.run({ untilMs: 800 });
    return { cluster, follower: cluster.stateOf("n3"), leader: cluster.stateOf("n1") };
  }

  it("a follower behind the retained log catches up through a new snapshot", () => {
    const { cluster, follower, leader } = followerBackAfter100Writes(20);
    expect(leader.log.length).toBeLessThanOrEqual(20);
    expect(leader.baseLsn).toBeGreaterThan(0);
    expect(notes(cluster).some((n) => n.startsWith("n1: snapshot") && n.endsWith("for n3"))).toBe(true);
    expect(follower.store).toEqual(leader.store);
    expect(follower.lastLsn).toBe(100);
  });

  it("with enough retention it replays the log instead", () => {
    const { cluster, follower, leader } = followerBackAfter100Writes(1000);
    expect(notes(cluster).some((n) => n.includes("snapshot"))).toBe(false);
    expect(follower.baseLsn).toBe(0);
    expect(follower.store).toEqual(leader.store);
  });
});
