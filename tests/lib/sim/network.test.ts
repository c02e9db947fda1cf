import { describe, expect, it } from "vitest";
import { SimulationConfigError, latency, type NodeId, type TraceEvent } from "../../../lib/sim";
import { binomialBound, messagesAt, probeCluster, thrownBy } from "./helpers";

type Deliver = Extract<TraceEvent, { kind: "deliver" }>;
type Drop = Extract<TraceEvent, { kind: "drop" }>;

const delivers = (trace: readonly TraceEvent[]) => trace.filter((e): e is Deliver => e.kind === "deliver");
const drops = (trace: readonly TraceEvent[]) => trace.filter((e): e is Drop => e.kind === "drop");

/** Node "a" sends `count` numbered messages to "b" as soon as it starts. */
function burst(count: number, network: Parameters<typeof probeCluster>[0]["network"], trace = true) {
  return probeCluster(
    { seed: "burst", nodes: ["a", "b"], network, trace },
    {
      onStart(node, ctx) {
        if (node.id !== "a") return;
        for (let n = 0; n < count; n++) ctx.send("b", { type: "m", n, sentLocalMs: ctx.now() });
      },
    },
  );
}

describe("message loss", () => {
  it("drops about lossProbability of the messages (binomial, 5 sigma)", () => {
    // n is large enough that the 5-sigma band (about +-7%) would catch a rate 10% off.
    const n = 50_000;
    const p = 0.1;
    const { sim, log } = burst(n, { latency: latency.constant(1), lossProbability: p }, false);
    sim.run();
    const received = messagesAt(log, "b").length;
    const lost = n - received;
    expect(sim.stats).toMatchObject({ sent: n, delivered: received, dropped: lost, duplicated: 0 });
    expect(Math.abs(lost - n * p)).toBeLessThan(binomialBound(n, p));
  });

  it("records each lost message in the trace with reason 'loss'", () => {
    const { sim, log } = burst(1000, { latency: latency.constant(1), lossProbability: 0.5 });
    sim.run();
    const lost = drops(sim.trace);
    expect(lost.length).toBe(1000 - messagesAt(log, "b").length);
    expect(lost.every((d) => d.reason === "loss" && d.from === "a" && d.to === "b")).toBe(true);
  });

  it("loses nothing with the default lossProbability of 0", () => {
    const { sim, log } = burst(2000, {});
    sim.run();
    expect(messagesAt(log, "b")).toHaveLength(2000);
    expect(sim.stats.dropped).toBe(0);
  });

  it("applies a per-link loss override to one direction only when symmetric is false", () => {
    const { sim, log } = probeCluster(
      { seed: 3, nodes: ["a", "b"], network: { links: [{ from: "a", to: "b", lossProbability: 1, symmetric: false }] } },
      {
        onStart(node, ctx) {
          for (let n = 0; n < 50; n++) ctx.send(node.id === "a" ? "b" : "a", { type: "m", n });
        },
      },
    );
    sim.run();
    expect(messagesAt(log, "b")).toHaveLength(0);
    expect(messagesAt(log, "a")).toHaveLength(50);
  });
});

describe("message duplication", () => {
  it("duplicates about duplicateProbability of the messages, each duplicate delivered exactly twice", () => {
    const n = 20_000;
    const p = 0.05;
    const { sim, log } = burst(n, { latency: latency.uniform(1, 10), duplicateProbability: p });
    sim.run();
    const copies = new Map<number, number>();
    for (const h of messagesAt(log, "b")) copies.set(h.message!.n!, (copies.get(h.message!.n!) ?? 0) + 1);
    expect(copies.size).toBe(n);
    const twice = [...copies.values()].filter((c) => c === 2).length;
    expect([...copies.values()].every((c) => c === 1 || c === 2)).toBe(true);
    expect(twice).toBe(sim.stats.duplicated);
    expect(sim.stats.delivered).toBe(n + twice);
    expect(sim.trace.filter((e) => e.kind === "send" && e.duplicate).length).toBe(twice);
    expect(Math.abs(twice - n * p)).toBeLessThan(binomialBound(n, p));
  });
});

describe("message reordering", () => {
  const count = 500;
  // Messages sent one per ms over a constant 5 ms link arrive in order unless reordering holds
  // some of them back.
  function stream(reorder?: { probability: number; maxExtraDelayMs: number }) {
    const { sim, log } = probeCluster(
      { seed: "reorder", nodes: ["a", "b"], network: reorder ? { latency: latency.constant(5), reorder } : { latency: latency.constant(5) } },
      {
        onStart(node, ctx) {
          if (node.id === "a") ctx.setTimer(0, "send", 0);
        },
        onTimer(_node, ctx, _name, data) {
          const n = data as number;
          ctx.send("b", { type: "m", n, sentLocalMs: ctx.now() });
          if (n + 1 < count) ctx.setTimer(1, "send", n + 1);
        },
      },
    );
    sim.run();
    return messagesAt(log, "b");
  }

  const inversions = (ns: number[]) => ns.filter((n, i) => i > 0 && n < ns[i - 1]!).length;

  it("delivers in sending order with constant latency and no reorder config", () => {
    const got = stream().map((h) => h.message!.n!);
    expect(got).toEqual(Array.from({ length: count }, (_, i) => i));
  });

  it("reorders with a reorder config, delaying by at most maxExtraDelayMs and losing nothing", () => {
    const got = stream({ probability: 0.3, maxExtraDelayMs: 20 });
    const ns = got.map((h) => h.message!.n!);
    expect([...ns].sort((x, y) => x - y)).toEqual(Array.from({ length: count }, (_, i) => i));
    expect(inversions(ns)).toBeGreaterThan(10);
    const flight = got.map((h) => h.trueMs - h.message!.sentLocalMs!);
    expect(Math.min(...flight)).toBe(5);
    expect(Math.max(...flight)).toBeLessThanOrEqual(25);
    // Held-back messages are the delayed ones: about 30% of them arrive later than 5 ms.
    const held = flight.filter((f) => f > 5).length;
    expect(Math.abs(held - 0.3 * count)).toBeLessThan(binomialBound(count, 0.3));
  });
});

describe("per-link overrides", () => {
  const east = ["e1", "e2", "e3"];
  const west = ["w1", "w2", "w3"];
  const crossLinks = east.flatMap((e) => west.map((w) => ({ from: e, to: w, latency: latency.uniform(80, 90) })));
  const dc = (id: NodeId) => (east.includes(id) ? "east" : "west");

  it("two datacenters 80 ms apart: every cross-DC delivery takes >= 80 ms, local ones stay fast", () => {
    const { sim, log } = probeCluster(
      { seed: "dc", nodes: [...east, ...west], network: { latency: latency.uniform(1, 3), links: crossLinks } },
      {
        onStart(_node, ctx) {
          for (let n = 0; n < 20; n++) ctx.broadcast({ type: "m", n, sentLocalMs: ctx.now() });
        },
      },
    );
    sim.run();
    const handled = log.filter((h) => h.kind === "message");
    expect(handled).toHaveLength(6 * 5 * 20);
    const cross = handled.filter((h) => dc(h.node) !== dc(h.from!));
    const local = handled.filter((h) => dc(h.node) === dc(h.from!));
    expect(cross).toHaveLength(6 * 3 * 20);
    for (const h of cross) {
      const flight = h.localMs - h.message!.sentLocalMs!;
      expect(flight).toBeGreaterThanOrEqual(80);
      expect(flight).toBeLessThan(90);
    }
    for (const h of local) expect(h.localMs - h.message!.sentLocalMs!).toBeLessThan(3);
    // The trace agrees with what the nodes saw.
    for (const d of delivers(sim.trace)) {
      if (dc(d.from) !== dc(d.to)) expect(d.timeMs - d.sentMs).toBeGreaterThanOrEqual(80);
    }
  });

  it("a one-way override changes only its direction", () => {
    const { sim, log } = probeCluster(
      {
        seed: 1,
        nodes: ["a", "b"],
        network: { latency: latency.constant(1), links: [{ from: "a", to: "b", latency: latency.constant(50), symmetric: false }] },
      },
      { onStart: (node, ctx) => ctx.send(node.id === "a" ? "b" : "a", { type: "m" }) },
    );
    sim.run();
    expect(messagesAt(log, "b")[0]!.trueMs).toBe(50);
    expect(messagesAt(log, "a")[0]!.trueMs).toBe(1);
  });

  it("setLink changes a link from then on; messages already in flight keep their latency", () => {
    const { sim, log } = probeCluster({ seed: 1, nodes: ["a", "b"], network: { latency: latency.constant(10) } });
    sim.run({ untilMs: 0 });
    const a = () => sim.logic("a").ctx;
    sim.at(0, () => a().send("b", { type: "before" }));
    sim.at(1, () => sim.setLink({ from: "a", to: "b", latency: latency.constant(100) }));
    sim.at(2, () => a().send("b", { type: "after" }));
    sim.run();
    expect(messagesAt(log, "b").map((h) => [h.message!.type, h.trueMs])).toEqual([
      ["before", 10],
      ["after", 102],
    ]);
  });

  it("setDefaultLatency changes links without an override only", () => {
    const { sim, log } = probeCluster({
      seed: 1,
      nodes: ["a", "b", "c"],
      network: { latency: latency.constant(10), links: [{ from: "a", to: "c", latency: latency.constant(3) }] },
    });
    sim.run();
    sim.setDefaultLatency(latency.constant(40));
    sim.at(sim.now, () => {
      sim.logic("a").ctx.send("b", { type: "to-b" });
      sim.logic("a").ctx.send("c", { type: "to-c" });
    });
    const start = sim.now;
    sim.run();
    expect(messagesAt(log, "b")[0]!.trueMs - start).toBe(40);
    expect(messagesAt(log, "c")[0]!.trueMs - start).toBe(3);
  });

  it("an override that sets only loss keeps following the default latency when it changes", () => {
    const { sim, log } = probeCluster({
      seed: 1,
      nodes: ["a", "b"],
      network: { latency: latency.constant(10), links: [{ from: "a", to: "b", lossProbability: 0 }] },
    });
    sim.run();
    sim.setDefaultLatency(latency.constant(40));
    sim.at(sim.now, () => sim.logic("a").ctx.send("b", { type: "to-b" }));
    const start = sim.now;
    sim.run();
    expect(messagesAt(log, "b")[0]!.trueMs - start).toBe(40);
  });
});

describe("partitions", () => {
  const nodes = ["a", "b", "c", "d"];

  /** At `atMs`, every node sends one message to every other node; returns who heard whom. */
  function allToAll(sim: ReturnType<typeof probeCluster>["sim"], atMs: number, tag: string): void {
    sim.at(atMs, () => {
      for (const id of nodes) sim.logic(id).ctx.broadcast({ type: tag });
    });
  }
  const heard = (log: ReturnType<typeof probeCluster>["log"], tag: string) =>
    log
      .filter((h) => h.kind === "message" && h.message!.type === tag)
      .map((h) => `${h.from}->${h.node}`)
      .sort();

  it("symmetric groups drop both ways; within a group everything arrives; reason is 'partition'", () => {
    const { sim, log } = probeCluster({ seed: 1, nodes, network: { latency: latency.constant(1) } });
    sim.run();
    sim.partition([
      ["a", "b"],
      ["c", "d"],
    ]);
    allToAll(sim, sim.now, "x");
    sim.run();
    expect(heard(log, "x")).toEqual(["a->b", "b->a", "c->d", "d->c"]);
    const partitionDrops = drops(sim.trace).filter((d) => d.reason === "partition").map((d) => `${d.from}->${d.to}`).sort();
    expect(partitionDrops).toEqual(["a->c", "a->d", "b->c", "b->d", "c->a", "c->b", "d->a", "d->b"]);
    expect(sim.isBlocked("a", "c") && sim.isBlocked("c", "a")).toBe(true);
    expect(sim.isBlocked("a", "b")).toBe(false);
  });

  it("unlisted endpoints (clients) still reach nodes on both sides, and their answers come back", () => {
    const { sim } = probeCluster(
      { seed: 1, nodes, clients: ["client"], network: { latency: latency.constant(1) } },
      {},
    );
    // ProbeNode has no onClientRequest, so each node answers "fail": an answer that had to cross the network.
    sim.partition([["a", "b"], ["c", "d"]]);
    for (const n of nodes) sim.invoke("client", n, "read", null, { atMs: 5 });
    sim.run();
    expect(sim.history.ops.map((op) => [op.node, op.status, op.completeMs])).toEqual(nodes.map((n) => [n, "fail", 7]));
    expect(drops(sim.trace)).toHaveLength(0);
  });

  it("a listed client is partitioned like a node", () => {
    const { sim } = probeCluster({ seed: 1, nodes, clients: ["client"], network: { latency: latency.constant(1) }, clientTimeoutMs: 50 });
    sim.partition([["a", "b", "client"], ["c", "d"]]);
    sim.invoke("client", "a", "read", null);
    sim.invoke("client", "c", "read", null);
    sim.run();
    expect(sim.history.ops.map((op) => op.status)).toEqual(["fail", "unknown"]);
  });

  it("blockLink drops one direction only; unblockLink restores it", () => {
    const { sim, log } = probeCluster({ seed: 1, nodes: ["a", "b"], network: { latency: latency.constant(1) } });
    sim.run();
    sim.blockLink("a", "b");
    sim.at(sim.now, () => {
      sim.logic("a").ctx.send("b", { type: "blocked" });
      sim.logic("b").ctx.send("a", { type: "open" });
    });
    sim.run();
    expect(messagesAt(log, "b")).toHaveLength(0);
    expect(messagesAt(log, "a").map((h) => h.message!.type)).toEqual(["open"]);
    sim.unblockLink("a", "b");
    sim.at(sim.now, () => sim.logic("a").ctx.send("b", { type: "unblocked" }));
    sim.run();
    expect(messagesAt(log, "b").map((h) => h.message!.type)).toEqual(["unblocked"]);
  });

  it("isolate cuts one node off from everyone, both ways", () => {
    const { sim, log } = probeCluster({ seed: 1, nodes, network: { latency: latency.constant(1) } });
    sim.run();
    sim.isolate("c");
    allToAll(sim, sim.now, "x");
    sim.run();
    const got = heard(log, "x");
    expect(got.filter((e) => e.includes("c"))).toEqual([]);
    expect(got).toHaveLength(6); // a, b, d among themselves
  });

  it("heal restores every link", () => {
    const { sim, log } = probeCluster({ seed: 1, nodes, network: { latency: latency.constant(1) } });
    sim.partition([["a"], ["b"], ["c"], ["d"]]);
    sim.blockLink("a", "b");
    sim.heal();
    allToAll(sim, 1, "x");
    sim.run();
    expect(heard(log, "x")).toHaveLength(12);
  });

  it("a new partition replaces the previous one", () => {
    const { sim, log } = probeCluster({ seed: 1, nodes, network: { latency: latency.constant(1) } });
    sim.partition([["a", "b"], ["c", "d"]]);
    sim.partition([["a", "c"], ["b", "d"]]);
    allToAll(sim, 1, "x");
    sim.run();
    expect(heard(log, "x")).toEqual(["a->c", "b->d", "c->a", "d->b"]);
  });

  it("scheduled with sim.at: pings sent while partitioned are lost, the others arrive", () => {
    const { sim, log } = probeCluster(
      { seed: 1, nodes: ["a", "b"], network: { latency: latency.constant(1) } },
      {
        onStart(node, ctx) {
          if (node.id === "a") ctx.setTimer(0, "ping");
        },
        onTimer(_node, ctx) {
          ctx.send("b", { type: "ping", sentLocalMs: ctx.now() });
          ctx.setTimer(10, "ping");
        },
      },
    );
    sim.at(100, () => sim.partition([["a"], ["b"]]));
    sim.at(200, () => sim.heal());
    sim.run({ forMs: 300 });
    // Actions scheduled before the run come first among events of the same instant, so the
    // ping of t=100 is already cut off and the ping of t=200 already goes through. The ping of
    // t=300 is still in flight when the run stops.
    const sent = messagesAt(log, "b").map((h) => h.message!.sentLocalMs);
    const expected = [...Array.from({ length: 10 }, (_, i) => i * 10), ...Array.from({ length: 10 }, (_, i) => 200 + i * 10)];
    expect(sent).toEqual(expected);
    expect(drops(sim.trace).map((d) => [d.sentMs, d.reason])).toEqual(Array.from({ length: 10 }, (_, i) => [100 + i * 10, "partition"]));
  });

  it("rejects unknown endpoints and endpoints listed twice", () => {
    const { sim } = probeCluster({ seed: 1, nodes });
    const unknown = thrownBy(() => sim.partition([["a", "zz"], ["b"]]));
    expect(unknown).toBeInstanceOf(SimulationConfigError);
    expect((unknown as Error).message).toMatch(/partition\(\): unknown node "zz"\. Known nodes and clients: "a", "b", "c", "d"/);
    expect(() => sim.partition([["a", "b"], ["b", "c"]])).toThrow(/"b" is listed in two groups/);
    expect(() => sim.blockLink("a", "nope")).toThrow(SimulationConfigError);
    expect(() => sim.isolate("nope")).toThrow(/isolate\(\): unknown node "nope"/);
  });
});
