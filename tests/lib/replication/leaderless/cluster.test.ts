import { describe, expect, it } from "vitest";
import { createLeaderlessCluster, findStaleReads, randomQuorumScenario } from "../../../../lib/replication/leaderless";

describe("createLeaderlessCluster", () => {
  it("writes to n replicas, answers after w, and a later read returns the value", () => {
    const c = createLeaderlessCluster({ seed: 1 });
    c.put("cart", "milk", { atMs: 10 });
    c.get("cart", { atMs: 100 });
    c.sim.run({ untilMs: 500 });
    const [write, read] = c.sim.history.ops;
    expect(write!.status).toBe("ok");
    expect(read!.output?.value).toBe("milk");
    for (const home of c.homeReplicas("cart")) expect(c.recordOn(home, "cart")?.value).toBe("milk");
    for (const other of c.nodes.filter((x) => !c.homeReplicas("cart").includes(x))) expect(c.recordOn(other, "cart")).toBeUndefined();
  });

  it("deletes by writing a tombstone that wins over the older value", () => {
    const c = createLeaderlessCluster({ seed: 1 });
    c.put("cart", "milk", { atMs: 10 });
    c.delete("cart", { atMs: 50 });
    c.get("cart", { atMs: 100 });
    c.sim.run({ untilMs: 500 });
    const [, del, read] = c.sim.history.ops;
    expect(del!.status).toBe("ok");
    expect(read!.output?.value).toBeNull();
    for (const home of c.homeReplicas("cart")) expect(c.recordOn(home, "cart")?.value).toBeNull();
    expect(c.replicaTable("cart").filter((row) => row.value === "(tombstone)")).toHaveLength(3);
  });

  it("refuses requests without a key or with an unknown operation", () => {
    const c = createLeaderlessCluster({ seed: 1 });
    c.sim.invoke("client", "n1", "get", { key: "" });
    c.sim.invoke("client", "n1", "increment", { key: "x" });
    c.sim.run({ untilMs: 100 });
    expect(c.sim.history.ops.map((o) => o.status)).toEqual(["fail", "fail"]);
    expect(c.sim.history.ops[1]!.error).toMatch(/unknown operation "increment"/);
  });

  it("repairs a replica that missed a write when a read sees it stale", () => {
    const c = createLeaderlessCluster({ seed: 2 });
    const [, , third] = c.homeReplicas("cart");
    c.sim.at(5, () => c.sim.crash(third!));
    c.put("cart", "milk", { atMs: 10 });
    c.sim.at(200, () => c.sim.restart(third!));
    c.sim.run({ untilMs: 300 });
    expect(c.recordOn(third!, "cart")).toBeUndefined();
    c.get("cart", { atMs: 310 });
    c.sim.run({ untilMs: 600 });
    expect(c.recordOn(third!, "cart")?.value).toBe("milk");
    expect(c.stats().readRepairsReceived).toBe(1);
  });

  it("fails a write that cannot reach w replicas, but keeps it where it landed (no rollback)", () => {
    const c = createLeaderlessCluster({ seed: 3 });
    const [first, second, third] = c.homeReplicas("cart");
    c.sim.at(5, () => {
      c.sim.crash(second!);
      c.sim.crash(third!);
    });
    c.put("cart", "milk", { atMs: 10, via: first });
    c.sim.run({ untilMs: 500 });
    expect(c.sim.history.ops[0]!.status).toBe("fail");
    expect(c.recordOn(first!, "cart")?.value).toBe("milk");
  });

  it("fixes a key nobody reads only through anti-entropy, with far fewer hashes than keys", () => {
    const run = (antiEntropyIntervalMs: number | undefined) => {
      const c = createLeaderlessCluster({ seed: 4, ...(antiEntropyIntervalMs ? { antiEntropyIntervalMs } : {}) });
      const [, , third] = c.homeReplicas("rare");
      for (let i = 0; i < 200; i++) c.put(`key${i}`, i, { atMs: 1 + i * 0.5 });
      c.sim.at(150, () => c.sim.crash(third!));
      c.put("rare", "new", { atMs: 160 });
      c.sim.at(300, () => c.sim.restart(third!));
      c.sim.run({ untilMs: 3000 });
      return { c, value: c.recordOn(third!, "rare")?.value };
    };
    expect(run(undefined).value).toBeUndefined();
    const withAe = run(200);
    expect(withAe.value).toBe("new");
    const stats = withAe.c.stats();
    expect(stats.merkleHashesExchanged).toBeLessThan(stats.fullComparisonKeys);
  });

  it("uses fallbacks in a sloppy quorum and hands the hints back after the partition", () => {
    const c = createLeaderlessCluster({ seed: 5, sloppyQuorum: true });
    const [first, second, third] = c.homeReplicas("cart");
    c.sim.at(5, () => c.sim.partition([[first!, ...c.nodes.filter((x) => !c.homeReplicas("cart").includes(x)), "client"], [second!, third!]]));
    c.put("cart", "milk", { atMs: 10, via: first });
    c.sim.run({ untilMs: 400 });
    expect(c.sim.history.ops[0]!.status).toBe("ok");
    expect(c.recordOn(second!, "cart")).toBeUndefined();
    c.sim.heal();
    c.sim.run({ untilMs: 1000 });
    expect(c.recordOn(second!, "cart")?.value).toBe("milk");
    expect(c.recordOn(third!, "cart")?.value).toBe("milk");
    expect(c.stats().hintsHandedOff).toBe(2);
  });

  it("leaves a hint for a crashed home replica even when the write already had its quorum", () => {
    const c = createLeaderlessCluster({ seed: 7, sloppyQuorum: true });
    const [first, , third] = c.homeReplicas("cart");
    c.sim.at(5, () => c.sim.crash(third!));
    c.put("cart", "milk", { atMs: 10, via: first });
    c.sim.run({ untilMs: 150 });
    expect(c.sim.history.ops[0]!.status).toBe("ok");
    const holders = c.nodes.filter((n) => c.replicaTable("cart").find((row) => row.node === n)!.hint.includes(`for ${third}`));
    expect(holders).toHaveLength(1);
    c.sim.at(200, () => c.sim.restart(third!));
    c.sim.run({ untilMs: 600 });
    expect(c.recordOn(third!, "cart")?.value).toBe("milk");
  });

  it("refuses the same write in a strict quorum", () => {
    const c = createLeaderlessCluster({ seed: 5 });
    const [first, second, third] = c.homeReplicas("cart");
    c.sim.at(5, () => c.sim.partition([[first!, "client"], [second!, third!]]));
    c.put("cart", "milk", { atMs: 10, via: first });
    c.sim.run({ untilMs: 400 });
    expect(c.sim.history.ops[0]!.status).toBe("fail");
  });

  it("answers a local quorum inside one datacenter without waiting for the other", () => {
    const latencyOf = (quorumScope: "all" | "local") => {
      const c = createLeaderlessCluster({ seed: 6, datacenters: [{ name: "eu", nodes: 3 }, { name: "us", nodes: 3 }], n: 3, w: quorumScope === "local" ? 2 : 4, r: 2, quorumScope });
      c.put("cart", "milk", { atMs: 10, via: "eu-n1" });
      c.sim.run({ untilMs: 1000 });
      const op = c.sim.history.ops[0]!;
      expect(op.status).toBe("ok");
      return op.completeMs! - op.invokeMs;
    };
    expect(latencyOf("local")).toBeLessThan(30);
    expect(latencyOf("all")).toBeGreaterThan(60);
  });

  it("replays byte for byte from the seed", () => {
    const digest = () => randomQuorumScenario(9).cluster.sim.digest();
    expect(digest()).toBe(digest());
  });

  it("has no stale reads with w + r > n, and has some with w + r <= n", () => {
    const staleWith = (w: number, r: number) => {
      const c = createLeaderlessCluster({ seed: 8, n: 3, w, r, latency: { kind: "lognormal", medianMs: 5, sigma: 1, maxMs: 100 }, clients: ["c1", "c2"] });
      const [first, second] = c.homeReplicas("k");
      for (let i = 0; i < 300; i++) {
        c.put("k", i, { atMs: i * 10, client: "c1", via: first });
        c.get("k", { atMs: i * 10 + 8, client: "c2", via: second });
      }
      c.sim.run({ untilMs: 4000 });
      return findStaleReads(c.sim.history).length;
    };
    expect(staleWith(2, 2)).toBe(0);
    expect(staleWith(1, 1)).toBeGreaterThan(0);
  });
});
