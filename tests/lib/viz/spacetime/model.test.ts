import { describe, expect, it } from "vitest";
import { Simulation, type TraceEvent } from "../../../../lib/sim";
import { DEFAULT_SPACETIME_KINDS, buildSpaceTimeModel, endpointsOf, insideInterval, resolveLanes } from "../../../../lib/viz/spacetime/model";
import { VizInputError } from "../../../../lib/viz/errors";
import { faultySim, ofKind } from "../scenario";

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

  it("a one-way block lifted by its own unblock ends the band; a group partition replaces earlier groups", () => {
    const trace = [at(1, "partition", "a -x-> b"), at(2, "partition", "isolate c"), at(3, "heal", "a ---> b"), at(4, "heal", "all links restored"), at(5, "partition", "a -x-> b"), at(6, "heal", "a ---> b"), at(7, "partition", "{a} | {b}")];
    const model = buildSpaceTimeModel(trace, { nodes: ["a", "b", "c"] }, "t");
    expect(model.partitions).toEqual([
      { fromMs: 1, toMs: 4, description: "a -x-> b; isolate c" },
      { fromMs: 5, toMs: 6, description: "a -x-> b" },
      { fromMs: 7, toMs: undefined, description: "{a} | {b}" },
    ]);
  });

  it("a group partition keeps one-way blocks, as the simulator does, and one group blocks nothing", () => {
    // The band used to forget the a -x-> b block at the first group partition, and then count the
    // one-group partition {a,b} as a cut: it lasted past 4 ms, when nothing was blocked any more.
    const sim = new Simulation({ seed: 1, nodes: ["a", "b"], createNode: () => ({ onMessage() {} }) });
    const blocked: boolean[] = [];
    sim.at(1, () => sim.blockLink("a", "b"));
    sim.at(2, () => sim.partition([["a"], ["b"]]));
    sim.at(3, () => sim.partition([["a", "b"]]));
    sim.at(3.5, () => blocked.push(sim.isBlocked("a", "b"), sim.isBlocked("b", "a")));
    sim.at(4, () => sim.unblockLink("a", "b"));
    sim.at(4.5, () => blocked.push(sim.isBlocked("a", "b"), sim.isBlocked("b", "a")));
    sim.at(5, () => sim.partition([]));
    sim.run();
    expect(blocked).toEqual([true, false, false, false]);
    expect(buildSpaceTimeModel(sim.trace, { nodes: sim.nodes }, "t").partitions).toEqual([
      { fromMs: 1, toMs: 4, description: "a -x-> b; {a} | {b}; {a,b}" },
    ]);
  });
});

describe("the messages filter", () => {
  const sim = faultySim();
  const lanes = { nodes: sim.nodes, clients: sim.clients };
  const all = buildSpaceTimeModel(sim.trace, { ...lanes, kinds: [...DEFAULT_SPACETIME_KINDS, "send"] }, "t");
  const noPongs = buildSpaceTimeModel(sim.trace, { ...lanes, kinds: [...DEFAULT_SPACETIME_KINDS, "send"], messages: (label) => label !== "pong" }, "t");

  it("drops every part of a rejected message: send, delivery, drop and arc", () => {
    const pongIds = new Set(ofKind(sim.trace, "send").filter((s) => s.label === "pong").map((s) => s.msgId));
    expect(pongIds.size).toBeGreaterThan(5);
    expect(all.messages.some((m) => m.label === "pong")).toBe(true);
    expect(noPongs.messages.some((m) => pongIds.has(m.msgId))).toBe(false);
    expect(noPongs.events.some((e) => "msgId" in e && pongIds.has(e.msgId))).toBe(false);
    // Everything else is untouched.
    expect(noPongs.messages).toEqual(all.messages.filter((m) => !pongIds.has(m.msgId)));
    expect(noPongs.events).toEqual(all.events.filter((e) => !("msgId" in e && pongIds.has(e.msgId))));
    // Over the whole run every pong touches the window: the model counts them all as left out.
    expect(noPongs.filteredMessages).toBe(pongIds.size);
    expect(all.filteredMessages).toBe(0);
  });

  it("leaves no 'still in flight' stub for a rejected message, whatever its kinds", () => {
    const trace: TraceEvent[] = [
      { kind: "send", timeMs: 1, from: "a", to: "b", msgId: 1, label: "heartbeat" },
      { kind: "send", timeMs: 1, from: "a", to: "b", msgId: 2, label: "append" },
      { kind: "deliver", timeMs: 2, from: "a", to: "b", msgId: 1, label: "heartbeat", sentMs: 1 },
      { kind: "send", timeMs: 3, from: "b", to: "a", msgId: 3, label: "heartbeat" },
    ];
    const model = buildSpaceTimeModel(trace, { nodes: ["a", "b"], messages: (label) => label !== "heartbeat" }, "t");
    expect(model.messages.map((m) => [m.msgId, m.fate])).toEqual([[2, "in-flight"]]);
    expect(model.events).toEqual([]);
    // Message 1 was delivered inside the window, message 3 is still travelling at its end.
    expect(model.filteredMessages).toBe(2);
  });

  it("asks the filter once per label, so one message cannot be split", () => {
    const asked: string[] = [];
    buildSpaceTimeModel(sim.trace, { ...lanes, messages: (label) => (asked.push(label), label === "ping") }, "t");
    expect(asked).toEqual([...new Set(asked)]);
    expect(asked).toContain("ping");
    expect(asked).toContain("pong");
  });

  it("must be a function", () => {
    expect(() => buildSpaceTimeModel(sim.trace, { ...lanes, messages: ["heartbeat"] as never }, "spaceTimeSvg")).toThrow(VizInputError);
    expect(() => buildSpaceTimeModel(sim.trace, { ...lanes, messages: ["heartbeat"] as never }, "spaceTimeSvg")).toThrow(
      /spaceTimeSvg: messages must be a function from a message label/,
    );
  });
});

describe("partition bands follow the window and the kinds", () => {
  const sim = faultySim();
  const band = { fromMs: 15, toMs: 25, description: "{a} | {b,c}" };
  const bands = (sel: { fromMs?: number; toMs?: number; kinds?: TraceEvent["kind"][] }) =>
    buildSpaceTimeModel(sim.trace, { nodes: sim.nodes, ...sel }, "t").partitions;

  it("keeps a band that overlaps the window, with its full extent", () => {
    expect(bands({ fromMs: 20, toMs: 30 })).toEqual([band]);
    expect(bands({ fromMs: 0, toMs: 15 })).toEqual([band]);
  });

  it("leaves out bands outside the window, including one that ends as the window starts", () => {
    expect(bands({ fromMs: 30 })).toEqual([]);
    expect(bands({ fromMs: 25 })).toEqual([]);
    expect(bands({ toMs: 14 })).toEqual([]);
  });

  it("draws no band unless partition events are drawn", () => {
    expect(bands({ kinds: ["deliver", "drop", "crash", "heal"] })).toEqual([]);
    expect(bands({ kinds: ["partition"] })).toEqual([band]);
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
