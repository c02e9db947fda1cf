import { describe, expect, it } from "vitest";
import { LocalClock, SimulationConfigError, latency } from "../../../lib/sim";
import { probeCluster, thrownBy } from "./helpers";

describe("LocalClock", () => {
  it("reads offset + (1 + drift) * t", () => {
    const clock = new LocalClock({ offsetMs: -200, drift: 0.25 });
    expect(clock.read(0)).toBe(-200);
    expect(clock.read(1000)).toBe(1050);
  });

  it("converts a local duration into true time: a fast clock's timeouts are shorter", () => {
    expect(new LocalClock({ drift: 0.5 }).toTrueDuration(1000)).toBeCloseTo(2000 / 3, 9);
    expect(new LocalClock({ drift: -0.5 }).toTrueDuration(1000)).toBe(2000);
    expect(new LocalClock().toTrueDuration(1000)).toBe(1000);
  });

  it("keeps the fields that set() leaves out", () => {
    const clock = new LocalClock({ offsetMs: 7, drift: 0.1 });
    clock.set({ drift: 0 }, "a");
    expect([clock.offsetMs, clock.drift]).toEqual([7, 0]);
  });

  it.each([
    ["drift -1", { drift: -1 }, /clock drift of node "n1" must be a finite number greater than -1 .* got -1/],
    ["drift -2", { drift: -2 }, /drift .* got -2/],
    ["drift NaN", { drift: NaN }, /drift .* got NaN/],
    ["drift Infinity", { drift: Infinity }, /drift .* got Infinity/],
    ["offset NaN", { offsetMs: NaN }, /clock offsetMs of node "n1" must be a finite number, got NaN/],
    ["offset -Infinity", { offsetMs: -Infinity }, /offsetMs .* got -Infinity/],
  ])("rejects %s with a message naming the node", (_name, settings, pattern) => {
    const err = thrownBy(() => new LocalClock(settings, "n1"));
    expect(err).toBeInstanceOf(SimulationConfigError);
    expect((err as Error).message).toMatch(pattern);
  });
});

describe("clocks in a simulation", () => {
  it("offset and drift change what ctx.now() returns, while true time is shared", () => {
    const { sim, log } = probeCluster(
      {
        seed: 1,
        nodes: ["plain", "ahead", "fast", "both"],
        clocks: { ahead: { offsetMs: 500 }, fast: { drift: 0.01 }, both: { offsetMs: -100, drift: -0.02 } },
      },
    );
    const readings: Record<string, number> = {};
    sim.at(1000, () => {
      for (const id of sim.nodes) readings[id] = sim.logic(id).ctx.now();
    });
    sim.run();
    expect(readings).toEqual({ plain: 1000, ahead: 1500, fast: 1010, both: 880 });
    expect(sim.node("both").localTimeMs).toBe(880);
    // At boot (true time 0) each node read its offset.
    expect(log.filter((h) => h.kind === "start").map((h) => [h.node, h.localMs])).toEqual([
      ["plain", 0],
      ["ahead", 500],
      ["fast", 0],
      ["both", -100],
    ]);
  });

  it("a 1000 ms local timer on a node with drift +0.5 fires after 666.7 ms of true time", () => {
    const { sim, log } = probeCluster(
      { seed: 1, nodes: ["fast", "normal"], clocks: { fast: { offsetMs: 40, drift: 0.5 } } },
      { onStart: (_node, ctx) => void ctx.setTimer(1000, "timeout") },
    );
    sim.run();
    const fired = log.filter((h) => h.kind === "timer");
    expect(fired.map((h) => h.node)).toEqual(["fast", "normal"]);
    expect(fired[0]!.trueMs).toBeCloseTo(2000 / 3, 9);
    // The node itself believes exactly 1000 ms passed on its clock.
    expect(fired[0]!.localMs).toBeCloseTo(40 + 1000, 9);
    expect(fired[1]!.trueMs).toBe(1000);
  });

  it("setClock changes the clock from then on", () => {
    const { sim } = probeCluster({ seed: 1, nodes: ["a"] });
    const readings: number[] = [];
    sim.at(100, () => {
      readings.push(sim.logic("a").ctx.now());
      sim.setClock("a", { offsetMs: 1000 });
      readings.push(sim.logic("a").ctx.now());
    });
    sim.run();
    expect(readings).toEqual([100, 1100]);
    expect(() => sim.setClock("a", { drift: -1 })).toThrow(SimulationConfigError);
  });

  it("setClock with a new drift alone changes the rate from then on, without a jump", () => {
    // At true 1000 ms the clock reads 1000; from then on it gains 0.5 ms per ms. Before the fix
    // the reading jumped to 1500 at once (everything a 50% fast clock gains since t = 0).
    const { sim } = probeCluster({ seed: 1, nodes: ["a"] });
    const readings: number[] = [];
    sim.at(1000, () => {
      sim.setClock("a", { drift: 0.5 });
      readings.push(sim.logic("a").ctx.now());
    });
    sim.at(1100, () => readings.push(sim.logic("a").ctx.now()));
    sim.run();
    expect(readings).toEqual([1000, 1150]);
  });

  it("LocalClock.set keeps the reading at the change when only the drift changes", () => {
    const clock = new LocalClock({ offsetMs: 10, drift: 0.1 });
    expect(clock.read(200)).toBeCloseTo(230, 9);
    clock.set({ drift: -0.5 }, "a", 200);
    expect(clock.read(200)).toBeCloseTo(230, 9);
    expect(clock.read(400)).toBeCloseTo(330, 9);
  });

  it("rejects a bad clock in the config, naming the node", () => {
    const bad = thrownBy(() => probeCluster({ seed: 1, nodes: ["a", "b"], clocks: { b: { drift: -1.5 } } }));
    expect(bad).toBeInstanceOf(SimulationConfigError);
    expect((bad as Error).message).toMatch(/clock drift of node "b"/);
    const unknown = thrownBy(() => probeCluster({ seed: 1, nodes: ["a"], clocks: { zz: { drift: 0 } } }));
    expect(unknown).toBeInstanceOf(SimulationConfigError);
    expect((unknown as Error).message).toMatch(/clocks: unknown node "zz"/);
  });

  it("does not affect message latency, which is measured in true time", () => {
    const { sim, log } = probeCluster(
      { seed: 1, nodes: ["a", "b"], network: { latency: latency.constant(10) }, clocks: { b: { drift: 1 } } },
      { onStart: (node, ctx) => (node.id === "a" ? ctx.send("b", { type: "m" }) : undefined) },
    );
    sim.run();
    const got = log.find((h) => h.kind === "message")!;
    expect([got.trueMs, got.localMs]).toEqual([10, 20]);
  });
});
