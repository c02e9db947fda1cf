import { describe, expect, it } from "vitest";
import { latency } from "../../../../lib/sim/latency";
import { createMultiLeaderCluster } from "../../../../lib/replication/multi_leader/cluster";

describe("a leader that crashes and restarts", () => {
  /** eu accepts x=1 and forwards it; everyone acknowledges; eu crashes at 200 ms and restarts at 400 ms. */
  function crashAfterReplication(causalDelivery: boolean) {
    const cluster = createMultiLeaderCluster({
      seed: 3,
      topology: { kind: "all-to-all", nodes: ["eu", "us", "asia"] },
      network: { latency: latency.uniform(10, 20) },
      causalDelivery,
    });
    cluster.write("eu", "x", "1", { atMs: 10 });
    cluster.write("us", "y", "1", { atMs: 20 });
    cluster.sim.at(200, () => cluster.sim.crash("eu"));
    cluster.sim.at(400, () => cluster.sim.restart("eu"));
    cluster.write("eu", "z", "after restart", { atMs: 500 });
    cluster.sim.run({ untilMs: 2000 });
    return cluster;
  }

  for (const causalDelivery of [false, true]) {
    it(`keeps its data and its write counter (causal delivery ${causalDelivery ? "on" : "off"})`, () => {
      const cluster = crashAfterReplication(causalDelivery);
      // Acknowledged before the crash, so no neighbour re-sends them: only eu's disk can bring them back.
      expect(cluster.read("eu", "x").value).toBe("1");
      expect(cluster.read("eu", "y").value).toBe("1");
      // A write after the restart must get a fresh id; reusing "eu:1" would make the others drop it as a duplicate.
      for (const node of ["eu", "us", "asia"]) expect(cluster.read(node, "z").value).toBe("after restart");
      expect(new Set(cluster.accepted.map((a) => a.write.id)).size).toBe(cluster.accepted.length);
      expect(cluster.converged(["x", "y", "z"])).toBe(true);
    });
  }
});
