import { describe, expect, it } from "vitest";
import { createSingleLeaderCluster } from "../../../../lib/replication/single_leader/cluster";

describe("the leader's lease", () => {
  it("never outlasts the coordinator's last heartbeat + leaseMs, even when heartbeats arrive twice and late", () => {
    // Every other message is delivered twice and every other one is held back up to 60 ms, so
    // copies of a heartbeat reach the leader after the coordinator has already granted a lease
    // on its first answer. A lease measured from a late copy would end after the coordinator's
    // bound (clocks do not drift here, so local and true time agree).
    for (const seed of [1, 2, 3]) {
      const cluster = createSingleLeaderCluster({
        seed,
        network: { duplicateProbability: 0.5, reorder: { probability: 0.5, maxExtraDelayMs: 60 } },
      });
      const { leaseMs } = cluster.settings;
      let checked = 0;
      for (let t = 1; t <= 1500; t++) {
        cluster.sim.run({ untilMs: t });
        const { lastHeartbeatSentMs } = cluster.coordinator();
        const leaseUntil = cluster.stateOf("n1").leaseUntilMs;
        if (leaseUntil === Number.NEGATIVE_INFINITY) continue;
        checked++;
        expect(leaseUntil, `seed ${seed} at ${t} ms`).toBeLessThanOrEqual(lastHeartbeatSentMs + leaseMs);
      }
      expect(checked, `seed ${seed}: n1 never held a lease`).toBeGreaterThan(1000);
    }
  });
});
