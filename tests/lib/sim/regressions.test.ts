// Regression tests for bugs found in lib/sim while its unit tests were written; each failed
// before its fix.
import { describe, expect, it } from "vitest";
import { NodeCodeError, Simulation, SimulationConfigError, latency, type ClientLogic } from "../../../lib/sim";
import { messagesAt, probeCluster, thrownBy } from "./helpers";

describe("lib/sim regressions", () => {
  it("partition() keeps one-way blocks made with blockLink, as its doc comment promises", () => {
    const { sim, log } = probeCluster({ seed: 1, nodes: ["a", "b", "c"], network: { latency: latency.constant(1) } });
    sim.blockLink("a", "c");
    sim.partition([["a", "c"], ["b"]]);
    sim.at(1, () => sim.logic("a").ctx.send("c", { type: "should be blocked" }));
    sim.run();
    expect(sim.isBlocked("a", "c")).toBe(true);
    expect(messagesAt(log, "c")).toHaveLength(0);
  });

  it("a paused node handles its backlog before anything that arrives at the resume instant", () => {
    // b is paused from 1 to 10. m1 arrives at 5 (backlogged); m2 is sent at 5 and arrives at
    // exactly 10. Arrival order is m1, m2, so b must handle m1 first.
    const { sim, log } = probeCluster(
      { seed: 1, nodes: ["a", "b"], network: { latency: latency.constant(5) } },
      {
        onStart(node, ctx) {
          if (node.id !== "a") return;
          ctx.send("b", { type: "m1" });
          ctx.setTimer(5, "send m2");
        },
        onTimer: (_node, ctx) => ctx.send("b", { type: "m2" }),
      },
    );
    sim.at(1, () => sim.pause("b", 9));
    sim.run();
    expect(messagesAt(log, "b").map((h) => h.message!.type)).toEqual(["m1", "m2"]);
  });

  it("a paused node's own timer due at the resume instant does not overtake the backlog", () => {
    // Heartbeat-style: b's timer is due at exactly 100, the end of its pause; a's message arrived at 50.
    const { sim, log } = probeCluster(
      { seed: 1, nodes: ["a", "b"], network: { latency: latency.constant(50) } },
      {
        onStart(node, ctx) {
          if (node.id === "a") ctx.send("b", { type: "arrived at 50" });
          else ctx.setTimer(100, "heartbeat");
        },
      },
    );
    sim.pause("b", 100);
    sim.run();
    expect(log.filter((h) => h.node === "b" && h.kind !== "start").map((h) => h.kind)).toEqual(["message", "timer"]);
  });

  it("ctx.send to a client id is refused at the send with a SimulationConfigError", () => {
    const { sim } = probeCluster(
      { seed: 1, nodes: ["a"], clients: ["c"] },
      { onStart: (_node, ctx) => ctx.send("c", { type: "hello client" }) },
    );
    const err = thrownBy(() => sim.run());
    // Today: NodeCodeError 'node "c" handling a message from "a" (hello client) threw ...:
    // Cannot read properties of undefined (reading 'onMessage')', raised at delivery time.
    expect(err).toBeInstanceOf(SimulationConfigError);
    expect((err as Error).message).toMatch(/"a" sent a message to client "c"/);
  });

  it("a node crashed before the run stays down (boot does not revive it)", () => {
    const { sim, log } = probeCluster({ seed: 1, nodes: ["a", "b"] });
    sim.crash("b");
    sim.run();
    expect(sim.isUp("b")).toBe(false);
    expect(log.filter((h) => h.node === "b")).toHaveLength(0);
  });

  it("a node crashed and restarted before the run starts once, not a second time at boot", () => {
    const { sim, log } = probeCluster({ seed: 1, nodes: ["a", "b"] });
    sim.crash("b");
    sim.restart("b");
    sim.run();
    expect(log.filter((h) => h.node === "b" && h.kind === "start").map((h) => h.incarnation)).toEqual([1]);
    expect(log.filter((h) => h.node === "a" && h.kind === "start").map((h) => h.incarnation)).toEqual([0]);
  });

  it("a shorter pause inside a longer one ends with one resume, not two", () => {
    // The second pause ends (60) before the first (100), so both schedule their resume at 100;
    // the node must wake once, and the trace must say so once.
    const { sim } = probeCluster({ seed: 1, nodes: ["a"] });
    sim.at(0, () => sim.pause("a", 100));
    sim.at(50, () => sim.pause("a", 10));
    sim.run();
    expect(sim.trace.filter((e) => e.kind === "pause" || e.kind === "resume").map((e) => [e.kind, e.timeMs])).toEqual([
      ["pause", 0],
      ["pause", 50],
      ["resume", 100],
    ]);
  });

  it("run({ untilMs }) advances the clock to untilMs even when the queue runs dry first", () => {
    const { sim } = probeCluster({ seed: 1, nodes: ["a"] });
    sim.run({ untilMs: 100 });
    expect(sim.now).toBe(100);
    sim.run({ forMs: 50 });
    expect(sim.now).toBe(150);
  });

  it("an exception in a client's onResult after a timeout names the client", () => {
    const logic: ClientLogic = {
      onStart: (ctx) => void ctx.invoke("a", "read", null, { timeoutMs: 10 }),
      onResult: () => {
        throw new Error("client bug");
      },
    };
    const sim = new Simulation({ seed: 1, nodes: ["a"], createNode: () => ({ onMessage() {}, onClientRequest() {} }), clients: [{ id: "reader", logic }] });
    const err = thrownBy(() => sim.run());
    expect(err).toBeInstanceOf(NodeCodeError);
    expect((err as Error).message).toMatch(/client "reader"/);
  });
});
