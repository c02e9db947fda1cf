import { describe, expect, it } from "vitest";
import { createLeaderlessCluster, LeaderlessConfigError, resolveLeaderlessConfig } from "../../../../lib/replication/leaderless";
import { SimulationConfigError } from "../../../../lib/sim";

describe("resolveLeaderlessConfig", () => {
  it("fills in a 5-node cluster with n=3 w=2 r=2", () => {
    const c = resolveLeaderlessConfig({ seed: 1 });
    expect([c.nodes.length, c.n, c.w, c.r]).toEqual([5, 3, 2, 2]);
    expect(c.sloppyQuorum).toBe(false);
  });

  it.each([
    [{ w: 4 }, /w = 4 is larger than n = 3/],
    [{ r: 0 }, /r must be a whole number >= 1/],
    [{ n: 6 }, /n = 6 replicas per key, but the cluster has 5 nodes/],
    [{ w: 1.5 }, /w must be a whole number/],
    [{ nodes: 0 }, /nodes must be a whole number >= 1/],
    [{ requestTimeoutMs: -1 }, /requestTimeoutMs must be a number of milliseconds > 0/],
    [{ merkleDepth: 21 }, /merkleDepth must be at most 20/],
    [{ datacenters: [{ name: "eu", nodes: 3 }, { name: "us", nodes: 2 }] }, /smallest datacenter has 2 nodes/],
    [{ datacenters: [{ name: "eu", nodes: 3 }], quorumScope: "local" as const, w: 4 }, /coordinator's datacenter/],
  ])("rejects %j with a message that says what to change", (overrides, message) => {
    expect(() => resolveLeaderlessConfig({ seed: 1, ...overrides })).toThrow(message);
    expect(() => resolveLeaderlessConfig({ seed: 1, ...overrides })).toThrow(LeaderlessConfigError);
  });

  it("lets w and r count every datacenter's replicas in the global scope", () => {
    const c = resolveLeaderlessConfig({ seed: 1, datacenters: [{ name: "eu", nodes: 3 }, { name: "us", nodes: 3 }], w: 4, r: 3 });
    expect(c.nodes).toEqual(["eu-n1", "eu-n2", "eu-n3", "us-n1", "us-n2", "us-n3"]);
  });

  it("is a SimulationConfigError, so general handlers catch it", () => {
    expect(() => createLeaderlessCluster({ seed: 1, r: 9 })).toThrow(SimulationConfigError);
  });
});
