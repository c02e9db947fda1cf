import { describe, expect, it } from "vitest";
import type { TraceEvent } from "../../../../lib/sim";
import { buildSpaceTimeModel, endpointsOf, insideInterval, resolveLanes } from "../../../../lib/viz/spacetime/model";
import { faultySim } from "../scenario";

describe("resolveLanes", () => {
  it("puts nodes first, then clients, and flags the clients", () => {
    expect(resolveLanes(["a", "b"], ["c1"], "t")).toEqual([
      { id: "a", index: 0, isClient: false },
      { id: "b", index: 1, isClient: false },
      { id: "c1", index: 2, isClient: true },
    ]);
  });
  it("rejects empty, repeated and non-string ids", () => {
    expect(() => resolveLanes([], [], "t")).toThrow(/no lanes/);
    expect(() => resolveLanes(["a"], ["a"], "t")).toThrow(/"a" is listed twice/);
    expect(() => resolveLanes([""], [], "t")).toThrow(/non-empty strings/);
  });
});

describe("buildSpaceTimeModel on the faulty run", () => {
  const sim = faultySim();
  const model = buildSpaceTimeModel(sim.trace, { nodes: sim.nodes, clients: sim.clients }, "t");

  it("covers the whole trace by default", () => {
    expect(model.fromMs).toBe(sim.trace[0]!.timeMs);
    expect(model.toMs).toBe(sim.trace[sim.trace.length - 1]!.timeMs);
  });

  it("finds the down period, the pause and the partition band", () => {
    expect(model.down).toEqual([{ node: "c", fromMs: 28, toMs: 35 }]);
    expect(model.paused).toEqual([{ node: "b", fromMs: 41, toMs: 46 }]);
    expect(model.partitions).toEqual([{ fromMs: 15, toMs: 25, description: "{a} | {b,c}" }]);
  });

  it("has one arc per delivered or dropped message plus the ones still in flight", () => {
    const ends = sim.trace.filter((e) => e.kind === "deliver" || e.kind === "drop").length;
    const ended = new Set(sim.trace.flatMap((e) => (e.kind === "deliver" || e.kind === "drop" ? [e.msgId] : [])));
    const inFlight = sim.trace.filter((e) => e.kind === "send" && !ended.has(e.msgId)).length;
    expect(model.messages.length).toBe(ends + inFlight);
    expect(model.messages.filter((m) => m.fate === "in-flight").length).toBe(inFlight);
    for (const m of model.messages) if (m.fate !== "in-flight") expect(m.endMs!).toBeGreaterThanOrEqual(m.sentMs);
  });

  it("leaves out sends and timers by default", () => {
    expect(model.events.some((e) => e.kind === "send" || e.kind === "timer")).toBe(false);
    expect(model.events.length).toBe(sim.trace.filter((e) => e.kind !== "send" && e.kind !== "timer").length);
  });
});

describe("partition bands follow what the simulator's descriptions say", () => {
  const at = (timeMs: number, kind: "partition" | "heal", description: string): TraceEvent => ({ kind, timeMs, description });

  it("a one-way block lifted by its own unblock ends the band; a group partition replaces earlier blocks", () => {
    const trace = [at(1, "partition", "a -x-> b"), at(2, "partition", "isolate c"), at(3, "heal", "a ---> b"), at(4, "heal", "all links restored"), at(5, "partition", "a -x-> b"), at(6, "heal", "a ---> b"), at(7, "partition", "{a} | {b}")];
    const model = buildSpaceTimeModel(trace, { nodes: ["a", "b", "c"] }, "t");
    expect(model.partitions).toEqual([
      { fromMs: 1, toMs: 4, description: "a -x-> b; isolate c" },
      { fromMs: 5, toMs: 6, description: "a -x-> b" },
      { fromMs: 7, toMs: undefined, description: "{a} | {b}" },
    ]);
  });
});

describe("helpers", () => {
  it("endpointsOf: the lanes an event needs", () => {
    expect(endpointsOf({ kind: "deliver", timeMs: 0, from: "a", to: "b", msgId: 1, label: "x", sentMs: 0 })).toEqual(["a", "b"]);
    expect(endpointsOf({ kind: "invoke", timeMs: 0, client: "c1", node: "a", opId: 0, f: "w", label: "w" })).toEqual(["c1"]);
    expect(endpointsOf({ kind: "heal", timeMs: 0, description: "x" })).toEqual([]);
  });
  it("insideInterval: start inclusive, end exclusive, open end lasts forever", () => {
    const ivs = [{ node: "a", fromMs: 10, toMs: 20 }, { node: "b", fromMs: 5, toMs: undefined }];
    expect(insideInterval(ivs, "a", 10)).toBe(true);
    expect(insideInterval(ivs, "a", 20)).toBe(false);
    expect(insideInterval(ivs, "a", 9.9)).toBe(false);
    expect(insideInterval(ivs, "b", 1e9)).toBe(true);
    expect(insideInterval(ivs, "c", 15)).toBe(false);
  });
});
