import { describe, expect, it } from "vitest";
import type { Latency } from "../../../../lib/sim/latency";
import { createSingleLeaderCluster, type SingleLeaderCluster } from "../../../../lib/replication/single_leader/cluster";
import { solutionPolicy } from "./helpers";

/** Every message takes 1 to 5 ms, so a one-way trip takes at most this long. */
const MAX_ONE_WAY_MS = 5;
const NETWORK = { latency: { kind: "uniform", minMs: 1, maxMs: MAX_ONE_WAY_MS } as Latency };

/** True time at which `node` first reported itself writable as leader of `epoch`. */
function writableFromMs(cluster: SingleLeaderCluster, node: string, epoch: number): number | undefined {
  return cluster.recorder.writable.find((w) => w.node === node && w.epoch === epoch && w.writable)?.timeMs;
}

/**
 * The fastest a lease can arrive: the promote reaches the node, its answer tells the coordinator
 * it leads, and the first lease grant travels back: three one-way trips, about a round trip and a
 * half. (A heartbeat sent alongside the promote could overtake it, be answered "follower", and
 * hold the first lease back until the next heartbeat tick, up to 50 ms later.)
 */
const LEASE_BOUND_MS = 3 * MAX_ONE_WAY_MS;

describe("a promoted node gets its first lease as soon as the coordinator knows it leads", () => {
  it("after an automatic failover, for every seed", () => {
    for (let seed = 1; seed <= 25; seed++) {
      const cluster = createSingleLeaderCluster({ seed, policy: solutionPolicy, network: NETWORK });
      cluster.sim.at(300, () => cluster.sim.crash("n1"));
      cluster.sim.run({ untilMs: 1500 });
      const promotion = cluster.recorder.promotions[0];
      expect(promotion, `seed ${seed}`).toBeDefined();
      const fromMs = writableFromMs(cluster, promotion!.leader, promotion!.epoch);
      expect(fromMs, `seed ${seed}: ${promotion!.leader} never became writable`).toBeDefined();
      expect(fromMs! - promotion!.timeMs, `seed ${seed}`).toBeLessThanOrEqual(LEASE_BOUND_MS);
      // It stays writable: no gap between the first grant and the regular heartbeats.
      expect(cluster.leaders(), `seed ${seed}`).toEqual([promotion!.leader]);
      expect(cluster.stateOf(promotion!.leader).writable, `seed ${seed}`).toBe(true);
    }
  });

  it("after a manual promote, for every seed", () => {
    for (let seed = 1; seed <= 25; seed++) {
      const cluster = createSingleLeaderCluster({ seed, network: NETWORK });
      cluster.sim.at(100, () => cluster.sim.crash("n1"));
      cluster.promote("n2", { atMs: 600 });
      cluster.sim.run({ untilMs: 800 });
      const promotion = cluster.recorder.promotions[0]!;
      expect(promotion).toMatchObject({ leader: "n2", epoch: 2, manual: true, timeMs: 600 });
      const fromMs = writableFromMs(cluster, "n2", 2);
      expect(fromMs, `seed ${seed}: n2 never became writable`).toBeDefined();
      expect(fromMs! - 600, `seed ${seed}`).toBeLessThanOrEqual(LEASE_BOUND_MS);
    }
  });

  it("a lost promote is sent again when the heartbeat reply shows the node never got it", () => {
    const cluster = createSingleLeaderCluster({ seed: 3, network: NETWORK });
    cluster.sim.at(100, () => cluster.sim.crash("n1"));
    // The first promote (sent at 600 ms) is dropped; the link is back for everything after it.
    cluster.sim.at(600, () => cluster.sim.blockLink("coordinator", "n2"));
    cluster.promote("n2", { atMs: 600 });
    cluster.sim.at(600.5, () => cluster.sim.unblockLink("coordinator", "n2"));
    cluster.sim.run({ untilMs: 900 });
    const promotes = cluster.sim.trace.filter((e) => e.kind === "send" && e.from === "coordinator" && e.to === "n2" && e.label === "promote");
    expect(promotes.length).toBe(2);
    expect(cluster.stateOf("n2")).toMatchObject({ role: "leader", epoch: 2, writable: true });
    // Re-sent on the next heartbeat's reply; the lease follows one reply later, not a heartbeat later.
    const resentMs = promotes[1]!.timeMs;
    expect(writableFromMs(cluster, "n2", 2)! - resentMs).toBeLessThanOrEqual(LEASE_BOUND_MS);
  });
});

describe("a failover's retry timer belongs to that failover", () => {
  it("a retry left over from a failover ended by a manual promote does not probe in the next one before its fence", () => {
    // The policy always refuses, so failover 1 leaves a retry due 500 ms later. A manual promote
    // ends failover 1 first; then the storage becomes unreachable and n2 crashes, so failover 2
    // can never get its fence confirmed and must not probe at all. The stale retry used to start
    // a probe round in failover 2 anyway (and could have led to a promotion without fencing).
    const refuse = {
      validateSafeFailover: () => ({ safe: false as const, code: "lease-may-be-valid" as const, reason: "test policy refuses" }),
      electNewLeader: () => ({ promote: false as const, code: "lease-may-be-valid" as const, reason: "test policy refuses" }),
    };
    const cluster = createSingleLeaderCluster({
      seed: 1,
      policy: refuse,
      fencingStorage: true,
      network: NETWORK,
      heartbeatIntervalMs: 20,
      leaseMs: 50,
      failoverTimeoutMs: 100,
      failoverRetryMs: 500,
    });
    const { sim } = cluster;
    sim.at(50, () => sim.crash("n1"));
    cluster.promote("n2", { atMs: 250 });
    sim.at(300, () => {
      sim.blockLink("coordinator", "storage");
      sim.blockLink("storage", "coordinator");
      sim.crash("n2");
    });
    sim.run({ untilMs: 1200 });
    const [first, second] = cluster.recorder.failovers;
    // Failover 1 probed once and was refused before the promote; its retry was then still due.
    expect(first!.attempts.length).toBe(1);
    expect(first!.attempts[0]!.decidedMs + 500).toBeGreaterThan(second!.startedMs);
    expect(second).toMatchObject({ oldLeader: "n2", oldEpoch: 2 });
    const roundsAfter = [...cluster.recorder.rounds.values()].filter((r) => r.startedMs >= second!.startedMs);
    expect(roundsAfter).toEqual([]);
    expect(second!.attempts).toEqual([]);
  });
});
