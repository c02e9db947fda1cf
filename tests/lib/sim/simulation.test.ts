import { describe, expect, it } from "vitest";
import {
  NodeCodeError,
  RunLimitError,
  Simulation,
  SimulationConfigError,
  closedLoopClient,
  latency,
  type NodeLogic,
  type SimulationConfig,
  type TraceEvent,
} from "../../../lib/sim";
import { messagesAt, probeCluster, thrownBy, type ProbeHooks, type ProbeMessage } from "./helpers";

// ------------------------------------------------------------------ determinism

/**
 * Five gossiping nodes on a lossy, duplicating, reordering network, with a partition, a crash
 * that loses unsynced writes, a restart, a pause and a client: every source of randomness and
 * every fault the simulator has, in one run.
 */
function gossipRun(seed: string | number) {
  const hooks: ProbeHooks = {
    onStart(node, ctx) {
      node.memory.count = ctx.storage.get<number>("count") ?? 0;
      ctx.setTimer(ctx.random.uniform(5, 15), "gossip");
    },
    onTimer(node, ctx) {
      const n = (node.memory.count as number) + 1;
      node.memory.count = n;
      ctx.storage.put("count", n);
      if (n % 3 === 0) ctx.storage.sync();
      ctx.send(ctx.random.pick(ctx.peers), { type: "gossip", n });
      ctx.setTimer(ctx.random.uniform(5, 15), "gossip");
    },
    onMessage(_node, ctx, from, message) {
      if (message.type === "gossip") ctx.send(from, { type: "ack", n: message.n! });
    },
  };
  const { sim } = probeCluster(
    {
      seed,
      nodes: ["a", "b", "c", "d", "e"],
      clients: [
        {
          id: "client",
          logic: closedLoopClient<unknown, unknown>({
            count: 20,
            next: (random, i) => ({ f: random.pick(["read", "write"]), input: i }),
            target: (ctx) => ctx.random.pick(ctx.nodes),
            thinkTimeMs: 5,
            timeoutMs: 30,
          }),
        },
      ],
      network: {
        latency: latency.exponential(5, { maxMs: 50 }),
        lossProbability: 0.05,
        duplicateProbability: 0.05,
        reorder: { probability: 0.1, maxExtraDelayMs: 20 },
      },
    },
    hooks,
  );
  sim.at(100, () => sim.partition([["a", "b"], ["c", "d", "e"]]));
  sim.at(150, () => sim.crash("c", { loseUnsyncedWrites: true }));
  sim.at(200, () => sim.heal());
  sim.at(250, () => sim.restart("c"));
  sim.at(300, () => sim.pause("d", 50));
  sim.run({ forMs: 500 });
  return sim;
}

describe("determinism", () => {
  it("the same seed gives the same trace, byte for byte", () => {
    const first = gossipRun("replay-me");
    const second = gossipRun("replay-me");
    expect(second.digest()).toBe(first.digest());
    expect(second.traceText()).toBe(first.traceText());
    expect(second.history.ops).toEqual(first.history.ops);
    expect(second.stats).toEqual(first.stats);
  });

  it("the scenario really exercises every fault (otherwise the digest test proves little)", () => {
    const sim = gossipRun("replay-me");
    const trace = sim.trace;
    const dropReasons = new Set(trace.flatMap((e) => (e.kind === "drop" ? [e.reason] : [])));
    expect([...dropReasons].sort()).toEqual(["crashed", "loss", "partition"]);
    expect(trace.some((e) => e.kind === "send" && e.duplicate)).toBe(true);
    const kinds = new Set(trace.map((e) => e.kind));
    for (const k of ["crash", "restart", "pause", "resume", "partition", "heal", "invoke", "complete", "timer"] as const) {
      expect(kinds.has(k), `trace has a "${k}" event`).toBe(true);
    }
    // Reordering: some message between two nodes was delivered after one sent later on that link.
    const delivered = trace.filter((e): e is Extract<TraceEvent, { kind: "deliver" }> => e.kind === "deliver");
    const overtaken = delivered.some((d, i) => delivered.slice(i + 1).some((l) => l.from === d.from && l.to === d.to && l.sentMs < d.sentMs));
    expect(overtaken).toBe(true);
    expect(sim.history.ops.length).toBeGreaterThan(5);
  });

  it("different seeds give different runs", () => {
    const digests = [1, 2, 3, "4", "five"].map((seed) => gossipRun(seed).digest());
    expect(new Set(digests).size).toBe(digests.length);
  });

  it("a number seed and its string form replay the same run", () => {
    expect(gossipRun(7).digest()).toBe(gossipRun("7").digest());
  });

  it("extra draws from a node's own stream do not change the network's decisions", () => {
    const run = (extraDraws: number) => {
      const { sim } = probeCluster(
        { seed: "streams", nodes: ["a", "b"], network: { lossProbability: 0.3, latency: latency.uniform(1, 9) } },
        {
          onStart(node, ctx) {
            if (node.id !== "a") return;
            for (let i = 0; i < extraDraws; i++) ctx.random.float();
            for (let n = 0; n < 200; n++) ctx.send("b", { type: "m", n });
          },
        },
      );
      sim.run();
      return sim.trace.filter((e) => e.kind === "drop" || e.kind === "deliver");
    };
    expect(run(1000)).toEqual(run(0));
  });

  it("digest() needs the trace", () => {
    const { sim } = probeCluster({ seed: 1, nodes: ["a"], trace: false });
    sim.run();
    expect(sim.trace).toHaveLength(0);
    expect(() => sim.digest()).toThrow(/trace: true/);
  });
});

// ------------------------------------------------------------------ crash and restart

describe("crash and restart", () => {
  /** b writes one synced and one unsynced value at t=10, crashes at 20 and restarts at 30. */
  function crashScenario(loseUnsyncedWrites: boolean) {
    const { sim, log } = probeCluster(
      { seed: 1, nodes: ["a", "b"], network: { latency: latency.constant(5) } },
      { onStart: (node, ctx) => void ctx.setTimer(100, `timer of incarnation ${node.incarnation}`) },
    );
    sim.at(10, () => {
      const b = sim.logic("b");
      b.memory.x = 1;
      b.ctx.storage.put("synced", 1);
      b.ctx.storage.sync();
      b.ctx.storage.put("unsynced", 2);
    });
    const before = { logic: undefined as unknown };
    sim.at(19, () => sim.logic("a").ctx.send("b", { type: "in flight at the crash" })); // arrives at 24
    sim.at(20, () => {
      before.logic = sim.logic("b");
      sim.crash("b", { loseUnsyncedWrites });
    });
    sim.at(22, () => sim.logic("a").ctx.send("b", { type: "sent while crashed" })); // arrives at 27
    sim.at(25, () => sim.logic("a").ctx.send("b", { type: "arrives at the restart" })); // arrives at 30
    sim.at(30, () => sim.restart("b"));
    sim.at(31, () => sim.logic("a").ctx.send("b", { type: "after restart" })); // arrives at 36
    sim.run();
    return { sim, log, before };
  }

  it("loses volatile state: the restarted node is a fresh object from createNode", () => {
    const { sim, log, before } = crashScenario(false);
    const after = sim.logic("b");
    expect(after).not.toBe(before.logic);
    expect(after.memory).toEqual({});
    expect(after.incarnation).toBe(1);
    expect(sim.node("b").incarnation).toBe(1);
    expect(log.filter((h) => h.node === "b" && h.kind === "start").map((h) => [h.incarnation, h.trueMs])).toEqual([
      [0, 0],
      [1, 30],
    ]);
  });

  it("keeps durable storage; without loseUnsyncedWrites even unsynced writes survive", () => {
    const { sim } = crashScenario(false);
    expect(sim.node("b").storage.snapshot()).toEqual({ synced: 1, unsynced: 2 });
  });

  it("loseUnsyncedWrites loses exactly the writes since the last sync", () => {
    const { sim } = crashScenario(true);
    expect(sim.node("b").storage.snapshot()).toEqual({ synced: 1 });
    expect(sim.trace.find((e) => e.kind === "crash")).toMatchObject({ node: "b", lostUnsyncedWrites: true, timeMs: 20 });
  });

  it("drops messages that arrive while the node is down, with reason 'crashed'", () => {
    const { sim, log } = crashScenario(false);
    // The message arriving at 30 was queued after the restart action (which sim.at scheduled
    // before the run, so it has the smaller sequence number): the new incarnation gets it.
    expect(messagesAt(log, "b").map((h) => [h.message!.type, h.incarnation, h.trueMs])).toEqual([
      ["arrives at the restart", 1, 30],
      ["after restart", 1, 36],
    ]);
    const dropped = sim.trace.filter((e) => e.kind === "drop");
    expect(dropped.map((d) => [d.timeMs, (d as { label: string }).label, (d as { reason: string }).reason])).toEqual([
      [24, "in flight at the crash", "crashed"],
      [27, "sent while crashed", "crashed"],
    ]);
    expect(sim.stats.dropped).toBe(2);
  });

  it("never fires timers of the crashed incarnation", () => {
    const { log } = crashScenario(false);
    const timers = log.filter((h) => h.kind === "timer").map((h) => [h.node, h.timer, h.trueMs]);
    expect(timers).toEqual([
      ["a", "timer of incarnation 0", 100],
      ["b", "timer of incarnation 1", 130],
    ]);
  });

  it("reports status while down and refuses a context from a dead incarnation", () => {
    const { sim } = probeCluster({ seed: 1, nodes: ["a", "b"] });
    sim.run();
    const oldCtx = sim.logic("b").ctx;
    sim.crash("b");
    expect(sim.isUp("b")).toBe(false);
    expect(sim.node("b").status).toBe("crashed");
    sim.crash("b"); // crashing a crashed node changes nothing
    expect(sim.trace.filter((e) => e.kind === "crash")).toHaveLength(1);
    sim.restart("b");
    expect(sim.isUp("b")).toBe(true);
    const err = thrownBy(() => oldCtx.send("a", { type: "zombie" }));
    expect(err).toBeInstanceOf(SimulationConfigError);
    expect((err as Error).message).toMatch(/node "b" used send\(\) from a crashed incarnation/);
    expect(() => oldCtx.setTimer(1, "zombie")).toThrow(/crashed incarnation/);
  });

  it("restart calls onStart, which can recover from the disk", () => {
    const { sim, log } = probeCluster(
      { seed: 1, nodes: ["a"] },
      {
        onStart(node, ctx) {
          node.memory.recovered = ctx.storage.get("term") ?? null;
          ctx.storage.put("term", node.incarnation + 10);
          ctx.storage.sync();
        },
      },
    );
    sim.run();
    sim.crash("a");
    sim.restart("a");
    sim.run();
    expect(log.filter((h) => h.kind === "start")).toHaveLength(2);
    expect(sim.logic("a").memory.recovered).toBe(10);
  });

  it("refuses to restart a node that is up", () => {
    const { sim } = probeCluster({ seed: 1, nodes: ["a"] });
    sim.run();
    expect(() => sim.restart("a")).toThrow(/restart\("a"\): node is not crashed/);
  });
});

// ------------------------------------------------------------------ pause

describe("pause", () => {
  /**
   * b is paused from t=10 to t=110. a sends to b every 20 ms from t=20 to t=200 over a 1 ms
   * link, and b has its own timer for t=50.
   */
  function pauseScenario() {
    const { sim, log } = probeCluster(
      { seed: 1, nodes: ["a", "b"], network: { latency: latency.constant(1) } },
      {
        onStart(node, ctx) {
          ctx.setTimer(node.id === "a" ? 20 : 50, node.id === "a" ? "send" : "t50");
        },
        onTimer(node, ctx, name) {
          if (node.id !== "a" || name !== "send") return;
          ctx.send("b", { type: "m", sentLocalMs: ctx.now() });
          if (ctx.now() < 200) ctx.setTimer(20, "send");
        },
      },
    );
    const pausedAt: boolean[] = [];
    sim.at(10, () => sim.pause("b", 100));
    sim.at(50, () => pausedAt.push(sim.node("b").paused));
    sim.at(150, () => pausedAt.push(sim.node("b").paused));
    sim.run();
    return { sim, log, pausedAt };
  }

  it("handles nothing during the pause, then everything in arrival order at resume; timers fire late", () => {
    const { log, pausedAt } = pauseScenario();
    const b = log.filter((h) => h.node === "b" && h.kind !== "start");
    expect(b.some((h) => h.trueMs > 10 && h.trueMs < 110)).toBe(false);
    expect(b.map((h) => [h.kind === "timer" ? h.timer : `sent ${h.message!.sentLocalMs}`, h.trueMs])).toEqual([
      ["sent 20", 110],
      ["sent 40", 110],
      ["t50", 110],
      ["sent 60", 110],
      ["sent 80", 110],
      ["sent 100", 110],
      ["sent 120", 121],
      ["sent 140", 141],
      ["sent 160", 161],
      ["sent 180", 181],
      ["sent 200", 201],
    ]);
    expect(pausedAt).toEqual([true, false]);
  });

  it("delays messages but does not drop them", () => {
    const { sim } = pauseScenario();
    expect(sim.stats).toMatchObject({ sent: 10, delivered: 10, dropped: 0 });
    expect(sim.trace.filter((e) => e.kind === "pause" || e.kind === "resume").map((e) => [e.kind, e.timeMs])).toEqual([
      ["pause", 10],
      ["resume", 110],
    ]);
  });

  it("a longer pause started during a pause extends it", () => {
    const { sim, log } = probeCluster({ seed: 1, nodes: ["a"] }, { onStart: (_n, ctx) => void ctx.setTimer(30, "t") });
    sim.at(0, () => sim.pause("a", 50));
    sim.at(20, () => sim.pause("a", 100)); // until 120: the resume at 50 must not wake it
    sim.run();
    expect(log.filter((h) => h.kind === "timer").map((h) => h.trueMs)).toEqual([120]);
  });

  it("a crash during a pause drops the queued messages and the node stays down", () => {
    const { sim, log } = probeCluster({ seed: 1, nodes: ["a", "b"], network: { latency: latency.constant(1) } });
    sim.at(0, () => sim.pause("b", 100));
    sim.at(5, () => sim.logic("a").ctx.send("b", { type: "queued" }));
    sim.at(50, () => sim.crash("b"));
    sim.run();
    expect(messagesAt(log, "b")).toHaveLength(0);
    expect(sim.trace.filter((e) => e.kind === "drop").map((e) => [e.timeMs, (e as { reason: string }).reason])).toEqual([[50, "crashed"]]);
    expect(sim.trace.some((e) => e.kind === "resume")).toBe(false);
    expect(() => sim.pause("b", 10)).toThrow(/pause\("b"\): node is crashed/);
  });
});

// ------------------------------------------------------------------ run limits

describe("run limits", () => {
  /** Two nodes bouncing a message back and forth over a zero-latency link: time never advances. */
  const pingPong: ProbeHooks = {
    onStart: (node, ctx) => (node.id === "a" ? ctx.send("b", { type: "ball" }) : undefined),
    onMessage: (_node, ctx, from, message) => ctx.send(from, message),
  };

  it("maxEvents stops a livelock with a RunLimitError naming the seed", () => {
    const { sim } = probeCluster({ seed: "livelock-7", nodes: ["a", "b"], network: { latency: latency.constant(0) }, limits: { maxEvents: 10_000 } }, pingPong);
    const err = thrownBy(() => sim.run());
    expect(err).toBeInstanceOf(RunLimitError);
    const e = err as RunLimitError;
    expect(e.message).toContain('Seed "livelock-7" reproduces it');
    expect(e.message).toMatch(/limits\.maxEvents \(10000\)/);
    expect([e.seed, e.events, e.timeMs]).toEqual(["livelock-7", 10_000, 0]);
  });

  it("a periodic timer and run() with no horizon end with a RunLimitError mentioning maxTimeMs", () => {
    const { sim } = probeCluster(
      { seed: 11, nodes: ["a"] },
      { onStart: (_n, ctx) => void ctx.setTimer(1000, "tick"), onTimer: (_n, ctx) => void ctx.setTimer(1000, "tick") },
    );
    const err = thrownBy(() => sim.run());
    expect(err).toBeInstanceOf(RunLimitError);
    expect((err as Error).message).toMatch(/limits\.maxTimeMs \(86400000 ms\)/);
    expect((err as Error).message).toMatch(/run it with \{ forMs \} or \{ untilMs \}/);
    expect((err as RunLimitError).seed).toBe("11");
    // The last tick handled was the one at exactly 24 h; the next one is beyond the limit.
    expect(sim.now).toBe(86_400_000);
  });

  it("run({ forMs }) stops at now + forMs, handling events at exactly that time", () => {
    const { sim, log } = probeCluster(
      { seed: 1, nodes: ["a"] },
      { onStart: (_n, ctx) => void ctx.setTimer(100, "tick"), onTimer: (_n, ctx) => void ctx.setTimer(100, "tick") },
    );
    expect(sim.run({ forMs: 250 })).toEqual({ stoppedBecause: "time", timeMs: 250, events: 3 });
    expect(sim.run({ forMs: 250 })).toMatchObject({ stoppedBecause: "time", timeMs: 500 });
    expect(log.filter((h) => h.kind === "timer").map((h) => h.trueMs)).toEqual([100, 200, 300, 400, 500]);
    expect(sim.run({ untilMs: 650 })).toMatchObject({ stoppedBecause: "time", timeMs: 650 });
  });

  it("run({ until }) stops as soon as the condition holds", () => {
    const { sim, log } = probeCluster(
      { seed: 1, nodes: ["a"] },
      { onStart: (_n, ctx) => void ctx.setTimer(100, "tick"), onTimer: (_n, ctx) => void ctx.setTimer(100, "tick") },
    );
    const summary = sim.run({ until: () => log.filter((h) => h.kind === "timer").length === 3 });
    expect(summary).toMatchObject({ stoppedBecause: "condition", timeMs: 300 });
  });

  it("runUntil throws when the condition never holds, naming what was awaited and the seed", () => {
    const { sim } = probeCluster(
      { seed: "never", nodes: ["a"] },
      { onStart: (_n, ctx) => void ctx.setTimer(100, "tick"), onTimer: (_n, ctx) => void ctx.setTimer(100, "tick") },
    );
    const err = thrownBy(() => sim.runUntil(() => false, { timeoutMs: 1000, what: "a leader" }));
    expect(err).toBeInstanceOf(RunLimitError);
    expect((err as Error).message).toMatch(/a leader did not hold within 1000 ms of simulated time/);
    expect((err as Error).message).toContain('Seed "never"');
    expect(sim.now).toBe(1000);
  });

  it("runUntil says so when the simulation went idle first", () => {
    const { sim } = probeCluster({ seed: 1, nodes: ["a"] });
    expect(() => sim.runUntil(() => false)).toThrow(/the condition did not hold within 60000 ms .*\(nothing was left to happen\)/);
  });

  it("runUntil returns when the condition holds", () => {
    const { sim, log } = probeCluster({ seed: 1, nodes: ["a"] }, { onStart: (_n, ctx) => void ctx.setTimer(40, "t") });
    expect(sim.runUntil(() => log.some((h) => h.kind === "timer"))).toMatchObject({ stoppedBecause: "condition", timeMs: 40 });
  });

  it("refuses run() from inside the simulation", () => {
    const { sim } = probeCluster({ seed: 1, nodes: ["a"] });
    sim.at(1, () => sim.run());
    expect(() => sim.run()).toThrow(/run\(\) was called from inside the simulation/);
  });
});

// ------------------------------------------------------------------ configuration errors

describe("configuration errors", () => {
  const base: SimulationConfig<ProbeMessage> = {
    seed: 1,
    nodes: ["a", "b"],
    createNode: () => ({ onMessage() {} }),
  };
  const make = (patch: Record<string, unknown>) => () => new Simulation({ ...base, ...patch } as SimulationConfig<ProbeMessage>);
  const running = (patch: Record<string, unknown>, hooks: ProbeHooks) => () => {
    const { sim } = probeCluster({ ...base, ...patch } as Parameters<typeof probeCluster>[0], hooks);
    sim.run();
  };
  const sim = () => {
    const s = new Simulation({ ...base, clients: ["c"] });
    s.at(10, () => {});
    s.run();
    return s;
  };

  const cases: [string, () => unknown, RegExp][] = [
    ["an empty cluster", make({ nodes: [] }), /the cluster is empty: pass at least one node id/],
    ["nodes that are not a list", make({ nodes: "abc" }), /the cluster is empty/],
    ["duplicate node ids", make({ nodes: ["a", "b", "a"] }), /id "a" is used twice/],
    ["a client with a node's id", make({ clients: ["b"] }), /id "b" is used twice/],
    ["an empty id", make({ nodes: ["a", ""] }), /ids must be non-empty strings, got ""/],
    ["a link to an unknown node", make({ network: { links: [{ from: "a", to: "zz" }] } }), /network\.links\[0\] names unknown node "zz"\. Known nodes and clients: "a", "b"/],
    ["a link from a node to itself", make({ network: { links: [{ from: "a", to: "a" }] } }), /links "a" to itself/],
    ["a partition naming an unknown node", () => sim().partition([["a"], ["zz"]]), /partition\(\): unknown node "zz"/],
    ["crashing an unknown node", () => sim().crash("zz"), /crash\(\): unknown node "zz"\. Known nodes and clients: "a", "b", "c"/],
    ["crashing a client", () => sim().crash("c"), /crash\(\): "c" is a client, not a node/],
    ["a send to an unknown node", running({}, { onStart: (_n, ctx) => ctx.send("zz", { type: "m" }) }), /"a" sent a message to unknown node "zz"/],
    ["loss probability above 1", make({ network: { lossProbability: 1.5 } }), /network\.lossProbability is a probability and must be between 0 and 1, got 1\.5/],
    ["negative loss probability", make({ network: { lossProbability: -0.1 } }), /network\.lossProbability .* got -0\.1/],
    ["NaN loss probability", make({ network: { lossProbability: NaN } }), /network\.lossProbability .* got NaN/],
    ["NaN loss on a link", make({ network: { links: [{ from: "a", to: "b", lossProbability: NaN }] } }), /network\.links\[0\]\.lossProbability .* got NaN/],
    ["duplicate probability 2", make({ network: { duplicateProbability: 2 } }), /network\.duplicateProbability .* got 2/],
    ["NaN reorder probability", make({ network: { reorder: { probability: NaN, maxExtraDelayMs: 5 } } }), /network\.reorder\.probability/],
    ["negative reorder delay", make({ network: { reorder: { probability: 0.1, maxExtraDelayMs: -5 } } }), /network\.reorder\.maxExtraDelayMs must be a finite number >= 0, got -5/],
    ["a negative latency", make({ network: { latency: { kind: "constant", ms: -3 } } }), /network\.latency: constant latency ms must be a finite number >= 0, got -3/],
    ["a NaN latency", make({ network: { latency: { kind: "uniform", minMs: 1, maxMs: NaN } } }), /network\.latency: uniform latency maxMs .* got NaN/],
    ["a NaN latency set later", () => sim().setDefaultLatency(latency.constant(NaN)), /setDefaultLatency\(\): constant latency ms/],
    ["a clock drift of -1", make({ clocks: { a: { drift: -1 } } }), /clock drift of node "a" must be a finite number greater than -1/],
    ["a NaN clock drift", make({ clocks: { b: { drift: NaN } } }), /clock drift of node "b" .* got NaN/],
    ["a NaN seed", make({ seed: NaN }), /seed must be a finite number or a string, got NaN/],
    ["an infinite seed", make({ seed: Infinity }), /seed must be a finite number or a string, got Infinity/],
    ["a missing seed", make({ seed: undefined }), /seed must be a number or a string \(it makes the run reproducible\), got undefined/],
    ["an object seed", make({ seed: { s: 1 } }), /seed must be a number or a string/],
    ["createNode that is not a function", make({ createNode: undefined }), /createNode must be a function/],
    ["createNode that returns no onMessage", () => new Simulation({ ...base, createNode: () => ({}) as NodeLogic<ProbeMessage> }).run(), /createNode\("a"\) must return an object with an onMessage\(ctx, from, message\) method/],
    ["a negative clientTimeoutMs", make({ clientTimeoutMs: -1 }), /clientTimeoutMs must be a finite number >= 0, got -1/],
    ["maxEvents 0", make({ limits: { maxEvents: 0 } }), /limits\.maxEvents must be > 0, got 0/],
    ["a NaN maxTimeMs", make({ limits: { maxTimeMs: NaN } }), /limits\.maxTimeMs must be > 0, got NaN/],
    ["at() in the past", () => sim().at(5, () => {}), /at\(5\) is in the past: simulated time is already 10 ms/],
    ["a negative after()", () => sim().after(-1, () => {}), /after\(delayMs\) must be a finite number >= 0, got -1/],
    ["a NaN timer delay", running({}, { onStart: (_n, ctx) => void ctx.setTimer(NaN, "t") }), /"a" set timer "t" with delay NaN; a delay must be a finite number >= 0/],
    ["invoke from an undeclared client", () => sim().invoke("ghost", "a", "read", null), /invoke\(\): "ghost" is not a client\. Declare it with clients: \["ghost"\]/],
    ["invoke on an unknown node", () => sim().invoke("c", "zz", "read", null), /invoke\(\): unknown node "zz"/],
    ["invoke with a negative timeoutMs (checked at once, not when sent)", () => sim().invoke("c", "a", "read", null, { atMs: 50, timeoutMs: -1 }), /invoke\(\) timeoutMs must be a finite number >= 0, got -1/],
    ["runUntil with a NaN timeoutMs", () => sim().runUntil(() => false, { timeoutMs: NaN }), /runUntil\(condition, \{ timeoutMs \}\) must be a finite number >= 0, got NaN/],
    ["a negative pause", () => sim().pause("a", -5), /pause\("a", durationMs\) must be a finite number >= 0, got -5/],
    ["run with a negative forMs", () => sim().run({ forMs: -1 }), /run\(\{ forMs \}\) must be a finite number >= 0/],
    ["a setLink to an unknown node", () => sim().setLink({ from: "a", to: "q" }), /setLink\(\) names unknown node "q"/],
  ];

  it.each(cases)("%s is a SimulationConfigError with a helpful message", (_what, act, pattern) => {
    const err = thrownBy(act);
    expect(err).toBeInstanceOf(SimulationConfigError);
    expect((err as Error).name).toBe("SimulationConfigError");
    expect((err as Error).message).toMatch(pattern);
  });
});

// ------------------------------------------------------------------ exceptions in node code

describe("exceptions thrown by node code", () => {
  it("surface as NodeCodeError naming the node, the event and the seed, with the cause attached", () => {
    const boom = new Error("index out of range");
    const { sim } = probeCluster(
      { seed: "crashy", nodes: ["a", "b"], network: { latency: latency.constant(3) } },
      {
        onStart: (node, ctx) => (node.id === "a" ? ctx.send("b", { type: "AppendEntries" }) : undefined),
        onMessage: () => {
          throw boom;
        },
      },
    );
    const err = thrownBy(() => sim.run());
    expect(err).toBeInstanceOf(NodeCodeError);
    const e = err as NodeCodeError;
    expect(e.message).toBe(
      'node "b" handling a message from "a" (AppendEntries) threw at t=3.0 ms (seed "crashy"): index out of range',
    );
    expect(e.cause).toBe(boom);
    expect([e.seed, e.timeMs, e.name]).toEqual(["crashy", 3, "NodeCodeError"]);
  });

  it("name the timer when a timer handler throws, and keep non-Error causes", () => {
    const { sim } = probeCluster(
      { seed: 5, nodes: ["a"] },
      {
        onStart: (_n, ctx) => void ctx.setTimer(12, "election timeout"),
        onTimer: () => {
          throw "plain string";
        },
      },
    );
    const err = thrownBy(() => sim.run()) as NodeCodeError;
    expect(err).toBeInstanceOf(NodeCodeError);
    expect(err.message).toMatch(/^node "a" handling timer "election timeout" threw at t=12\.0 ms \(seed "5"\): plain string$/);
    expect(err.cause).toBe("plain string");
  });

  it("name the scheduled action, e.g. a node's boot, when onStart throws", () => {
    const { sim } = probeCluster(
      { seed: 5, nodes: ["a"] },
      {
        onStart: () => {
          throw new TypeError("x is undefined");
        },
      },
    );
    expect(() => sim.run()).toThrow(/^scheduled action "start a" threw at t=0\.0 ms \(seed "5"\): x is undefined$/);
  });

  it("leave the simulation usable for inspection at the time of the error", () => {
    const { sim } = probeCluster(
      { seed: 5, nodes: ["a"] },
      {
        onStart: (_n, ctx) => void ctx.setTimer(7, "t"),
        onTimer: () => {
          throw new Error("bug");
        },
      },
    );
    expect(() => sim.run()).toThrow(NodeCodeError);
    expect(sim.now).toBe(7);
    expect(sim.trace.at(-1)).toMatchObject({ kind: "timer", node: "a", name: "t", timeMs: 7 });
  });
});
