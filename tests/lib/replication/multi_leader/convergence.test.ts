import { describe, expect, it } from "vitest";
import { createMultiLeaderCluster } from "../../../../lib/replication/multi_leader/cluster";
import type { ConflictPolicy } from "../../../../lib/replication/multi_leader/conflicts";
import { treeTopology, type Topology } from "../../../../lib/replication/multi_leader/topology";
import { latency } from "../../../../lib/sim/latency";

const nodes = ["a", "b", "c", "d"];
const topologies: Topology[] = [
  { kind: "circular", nodes },
  { kind: "star", nodes, hub: "b" },
  treeTopology("a", { a: ["b", "c"], c: ["d"] }),
  { kind: "all-to-all", nodes },
];
const policies: ConflictPolicy[] = [
  { kind: "last-write-wins" },
  { kind: "replica-priority", order: ["c", "a"] },
  { kind: "merge" },
  { kind: "keep-siblings" },
];
const keys = ["x", "y", "z"];

/** 24 random writes to 3 keys over a lossy, duplicating, reordering network, then a quiet second to settle. */
function chaos(seed: number, topology: Topology, conflicts: ConflictPolicy, causalDelivery: boolean) {
  const cluster = createMultiLeaderCluster({
    seed,
    topology,
    conflicts,
    causalDelivery,
    resendIntervalMs: 40,
    network: { latency: latency.uniform(1, 30), lossProbability: 0.2, duplicateProbability: 0.2, reorder: { probability: 0.3, maxExtraDelayMs: 50 } },
  });
  const random = cluster.sim.random.stream("workload");
  for (let i = 0; i < 24; i++) {
    cluster.write(nodes[random.int(0, 3)]!, keys[random.int(0, 2)]!, `v${i}`, { atMs: random.int(0, 300) });
  }
  cluster.sim.run({ untilMs: 3000 });
  return cluster;
}

describe("convergence under loss, duplication and reordering", () => {
  it.each(topologies.map((t) => [t.kind, t] as const))("%s: every policy converges, every write reaches every leader once", (_kind, topology) => {
    for (const seed of [1, 2, 3]) {
      for (const conflicts of policies) {
        for (const causalDelivery of [false, true]) {
          const cluster = chaos(seed, topology, conflicts, causalDelivery);
          const where = `seed ${seed}, ${conflicts.kind}, causal ${causalDelivery}`;
          expect(cluster.converged(keys), where).toBe(true);
          // A lost request is never accepted; a duplicated one is accepted once.
          const acknowledged = cluster.sim.history.ops.filter((op) => op.status === "ok").length;
          expect(cluster.accepted.length, where).toBeGreaterThanOrEqual(acknowledged);
          expect(cluster.accepted.length, where).toBeLessThanOrEqual(24);
          expect(acknowledged, where).toBeGreaterThan(12);
          for (const { write } of cluster.accepted) expect(cluster.appliedAt.get(write.id)!.size, `${where}: ${write.id}`).toBe(nodes.length);
          // Merging and keeping siblings never lose a write.
          if (conflicts.kind === "merge" || conflicts.kind === "keep-siblings") {
            expect(cluster.fates().filter((f) => f.fate === "lost"), where).toEqual([]);
          }
        }
      }
    }
  });

  it("with causal delivery, every leader applies each origin's writes in order", () => {
    const cluster = chaos(4, { kind: "all-to-all", nodes }, { kind: "merge" }, true);
    for (const leader of nodes) {
      const order = cluster.accepted
        .map(({ write }) => ({ write, at: cluster.appliedAt.get(write.id)!.get(leader)! }))
        .sort((p, q) => p.at - q.at);
      for (const origin of nodes) {
        const seqs = order.filter((p) => p.write.origin === origin).map((p) => p.write.seq);
        expect(seqs, `${leader} applying ${origin}'s writes`).toEqual([...seqs].sort((p, q) => p - q));
      }
    }
  });
});
