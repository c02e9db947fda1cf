import { describe, expect, it } from "vitest";
import {
  Simulation,
  SimulationConfigError,
  describeFaultPlan,
  latency,
  scheduleRandomFaults,
  type NodeContext,
  type NodeLogic,
  type RandomFaultPlan,
} from "../../../lib/sim";

type Gossip = { type: "gossip"; n: number };

/** Every node gossips to a random peer every 10 ms, so runs have plenty of network decisions. */
class Gossiper implements NodeLogic<Gossip> {
  onStart(ctx: NodeContext<Gossip>) {
    ctx.setTimer(10, "tick");
  }
  onTimer(ctx: NodeContext<Gossip>) {
    ctx.send(ctx.random.pick(ctx.peers), { type: "gossip", n: 1 });
    ctx.setTimer(10, "tick");
  }
  onMessage() {}
}

function cluster(seed: number) {
  return new Simulation({
    seed,
    nodes: ["a", "b", "c", "d", "e"],
    createNode: () => new Gossiper(),
    network: { latency: latency.uniform(1, 20) },
  });
}

const PLAN: RandomFaultPlan = {
  fromMs: 100,
  toMs: 900,
  crashes: { count: 3, downMs: [50, 200] },
  partitions: { count: 2, durationMs: [50, 150] },
  pauses: { count: 2, durationMs: [20, 80] },
};

describe("scheduleRandomFaults", () => {
  it("plans the same faults for the same seed and other faults for another seed", () => {
    const a = describeFaultPlan(scheduleRandomFaults(cluster(5), PLAN));
    const b = describeFaultPlan(scheduleRandomFaults(cluster(5), PLAN));
    const c = describeFaultPlan(scheduleRandomFaults(cluster(6), PLAN));
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it("plans the requested number of faults, in the window, sorted by time", () => {
    const faults = scheduleRandomFaults(cluster(5), PLAN);
    expect(faults.filter((f) => f.kind === "crash")).toHaveLength(3);
    expect(faults.filter((f) => f.kind === "partition")).toHaveLength(2);
    expect(faults.filter((f) => f.kind === "pause")).toHaveLength(2);
    for (const f of faults) {
      expect(f.atMs).toBeGreaterThanOrEqual(100);
      expect(f.atMs).toBeLessThan(900);
      expect(f.untilMs).toBeGreaterThan(f.atMs);
    }
    expect(faults.map((f) => f.atMs)).toEqual([...faults.map((f) => f.atMs)].sort((x, y) => x - y));
  });

  it("splits partitions into two non-empty sides covering every node", () => {
    for (const f of scheduleRandomFaults(cluster(9), { fromMs: 0, toMs: 10, partitions: { count: 20, durationMs: [1, 2] } })) {
      const [left, right] = f.target as [string[], string[]];
      expect(left.length).toBeGreaterThan(0);
      expect(right.length).toBeGreaterThan(0);
      expect([...left, ...right].sort()).toEqual(["a", "b", "c", "d", "e"]);
    }
  });

  it("injects the planned faults into the run and leaves every node up and every link healed", () => {
    const sim = cluster(5);
    const faults = scheduleRandomFaults(sim, PLAN);
    sim.run({ untilMs: 2_000 });
    const kinds = sim.trace.map((e) => e.kind);
    expect(kinds.filter((k) => k === "crash")).toHaveLength(faults.filter((f) => f.kind === "crash").length);
    expect(kinds.filter((k) => k === "partition")).toHaveLength(2);
    expect(kinds).toContain("pause");
    for (const id of sim.nodes) expect(sim.isUp(id)).toBe(true);
    for (const from of sim.nodes) for (const to of sim.nodes) if (from !== to) expect(sim.isBlocked(from, to)).toBe(false);
  });

  it("draws from its own stream: the network's decisions before the first fault do not change", () => {
    const plain = cluster(5);
    plain.run({ untilMs: 99 });
    const withFaults = cluster(5);
    scheduleRandomFaults(withFaults, PLAN);
    withFaults.run({ untilMs: 99 });
    expect(withFaults.digest()).toBe(plain.digest());
  });

  it("rejects plans that cannot be carried out, saying what to change", () => {
    const sim = cluster(1);
    const err = (plan: RandomFaultPlan) => {
      try {
        scheduleRandomFaults(sim, plan);
      } catch (e) {
        return e;
      }
      return undefined;
    };
    expect(err({ fromMs: 10, toMs: 5 })).toBeInstanceOf(SimulationConfigError);
    expect(String(err({ fromMs: 0, toMs: 5, nodes: ["zz"] }))).toMatch(/unknown node "zz"/);
    expect(String(err({ fromMs: 0, toMs: 5, crashes: { count: 1, downMs: [5, 1] } }))).toMatch(/minimum 5 is greater than maximum 1/);
    expect(String(err({ fromMs: 0, toMs: 5, pauses: { count: -1, durationMs: [1, 2] } }))).toMatch(/whole number/);
    expect(String(err({ fromMs: 0, toMs: 5, nodes: ["a"], partitions: { count: 1, durationMs: [1, 2] } }))).toMatch(/at least two nodes/);
  });
});
