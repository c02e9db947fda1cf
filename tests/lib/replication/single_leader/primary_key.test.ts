import { describe, expect, it } from "vitest";
import { createSingleLeaderCluster } from "../../../../lib/replication/single_leader/cluster";
import type { KvInput, Value, WriteResult } from "../../../../lib/replication/single_leader/types";
import { solutionPolicy } from "./helpers";

describe("primary-key reuse after an async failover (the GitHub incident)", () => {
  it("the new leader reissues ids that an outside cache still maps to the lost rows", () => {
    const cluster = createSingleLeaderCluster({ seed: 40, mode: "async", policy: solutionPolicy, shipIntervalMs: 100 });
    const inserts = Array.from({ length: 80 }, (_, i) => ({ f: "insert", input: { table: "repos", value: `repo-${i}` } }));
    cluster.addClient("app", { ops: inserts, startMs: 10, thinkTimeMs: 3, timeoutMs: 150, maxAttempts: 50 });
    // Crash the leader the instant it acknowledges an insert after 300 ms: that insert (and any
    // since the last shipment) exists only on the leader.
    cluster.sim.runUntil(() => cluster.recorder.acknowledged.some((a) => a.timeMs >= 300), { timeoutMs: 2000, what: "an insert after 300 ms" });
    cluster.sim.crash("n1");

    cluster.sim.run({ untilMs: 3000 });
    const leader = cluster.leader();
    expect(leader).not.toBe("n1");
    const promotedAt = cluster.recorder.promotions[0]!.timeMs;

    // An outside cache (think Redis), filled by the application from every insert it saw
    // acknowledged before the failover.
    const cache = new Map<number, Value>();
    const byId = new Map<number, { leader: string; value: Value }[]>();
    for (const op of cluster.sim.history.ops) {
      if (op.f !== "insert" || op.status !== "ok") continue;
      const r = op.output as WriteResult;
      const value = (op.input as KvInput).value!;
      if (op.completeMs! < promotedAt) cache.set(r.id!, value);
      byId.set(r.id!, [...(byId.get(r.id!) ?? []), { leader: r.leader, value }]);
    }

    // Ids acknowledged twice, first by the old leader and then by the new one.
    const reissued = [...byId].filter(([, acks]) => acks.length > 1);
    expect(reissued.length).toBeGreaterThan(0);
    for (const [id, acks] of reissued) {
      expect(acks.map((a) => a.leader)).toEqual(["n1", leader]);
      // The database row for that id is now another repository than the one the cache holds.
      const row = cluster.stateOf(leader).store[`repos:${id}`];
      expect(row).toBe(acks[1]!.value);
      expect(cache.get(id)).toBe(acks[0]!.value);
      expect(row).not.toBe(cache.get(id));
    }
  });
});
