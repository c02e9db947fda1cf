import { describe, expect, it } from "vitest";
import {
  Simulation,
  SimulationConfigError,
  closedLoopClient,
  latency,
  type ClientLogic,
  type ClientRequest,
  type HistoryOp,
  type NodeContext,
  type NodeLogic,
  type SimulationConfig,
} from "../../../lib/sim";
import { thrownBy } from "./helpers";

type Input = number | null;

/**
 * Answers by operation name: "get" -> ok with input * 2, "bad" -> fail, "slow" -> ok after
 * 500 ms, "twice" -> two answers, "silent" -> never.
 */
class ServiceNode implements NodeLogic<never, Input, number> {
  onMessage(): void {}

  onClientRequest(ctx: NodeContext<never, Input, number>, request: ClientRequest<Input>): void {
    switch (request.f) {
      case "get":
        return ctx.reply(request, { ok: true, value: (request.input ?? 0) * 2 });
      case "bad":
        return ctx.reply(request, { ok: false, error: "key not found" });
      case "slow":
        ctx.setTimer(500, "late answer", request);
        return;
      case "twice":
        ctx.reply(request, { ok: true, value: 1 });
        ctx.reply(request, { ok: true, value: 2 });
        return;
    }
  }

  onTimer(ctx: NodeContext<never, Input, number>, _name: string, data: unknown): void {
    ctx.reply(data as ClientRequest<Input>, { ok: true, value: 99 });
  }
}

function service(extra: Partial<SimulationConfig<never, Input, number, ServiceNode>> = {}) {
  return new Simulation<never, Input, number, ServiceNode>({
    seed: "clients",
    nodes: ["n1", "n2"],
    createNode: () => new ServiceNode(),
    clients: ["c"],
    network: { latency: latency.constant(5) },
    clientTimeoutMs: 100,
    ...extra,
  });
}

const summary = (op: HistoryOp<Input, number>) => ({
  f: op.f,
  status: op.status,
  output: op.output,
  error: op.error,
  invokeMs: op.invokeMs,
  completeMs: op.completeMs,
});

describe("client operations in the history", () => {
  it("records ok and fail with invoke and completion times (one round trip later)", () => {
    const sim = service();
    sim.invoke("c", "n1", "get", 21, { atMs: 10 });
    sim.invoke("c", "n2", "bad", null, { atMs: 12 });
    sim.run();
    expect(sim.history.ops.map(summary)).toEqual([
      { f: "get", status: "ok", output: 42, error: undefined, invokeMs: 10, completeMs: 20 },
      { f: "bad", status: "fail", output: undefined, error: "key not found", invokeMs: 12, completeMs: 22 },
    ]);
    expect(sim.history.ops.map((op) => [op.id, op.client, op.node])).toEqual([
      [0, "c", "n1"],
      [1, "c", "n2"],
    ]);
    expect(sim.history.withStatus("ok")).toHaveLength(1);
    expect(sim.history.ofClient("c")).toHaveLength(2);
  });

  it("shows an operation as pending until it completes", () => {
    const sim = service();
    sim.invoke("c", "n1", "get", 1);
    sim.run({ untilMs: 7 });
    expect(sim.history.ops[0]!.status).toBe("pending");
    sim.run();
    expect(sim.history.ops[0]!.status).toBe("ok");
  });

  it("records unknown at invoke + timeout when the request is dropped", () => {
    const sim = service();
    sim.blockLink("c", "n1");
    sim.invoke("c", "n1", "get", 1, { atMs: 3 });
    sim.invoke("c", "n2", "get", 1, { atMs: 3, timeoutMs: 40 });
    sim.blockLink("c", "n2");
    sim.run();
    expect(sim.history.ops.map((op) => [op.status, op.completeMs, op.output])).toEqual([
      ["unknown", 103, undefined],
      ["unknown", 43, undefined],
    ]);
  });

  it("keeps unknown when a late reply arrives after the timeout", () => {
    const sim = service();
    sim.invoke("c", "n1", "slow", null, { atMs: 0 });
    sim.run();
    const op = sim.history.ops[0]!;
    expect([op.status, op.completeMs, op.output]).toEqual(["unknown", 100, undefined]);
    // The reply did travel: sent at 505, delivered at 510, and ignored.
    const reply = sim.trace.find((e) => e.kind === "deliver" && e.to === "c");
    expect(reply).toMatchObject({ timeMs: 510, label: "ok 99" });
    expect(sim.trace.filter((e) => e.kind === "complete")).toHaveLength(1);
  });

  it("counts only the first answer to a request", () => {
    const sim = service();
    sim.invoke("c", "n1", "twice", null);
    sim.run();
    expect(sim.history.ops.map((op) => [op.status, op.output])).toEqual([["ok", 1]]);
    expect(sim.trace.filter((e) => e.kind === "send" && e.from === "n1")).toHaveLength(1);
  });

  it("answers fail when the node does not accept client requests", () => {
    const sim = new Simulation<unknown>({ seed: 1, nodes: ["a"], createNode: () => ({ onMessage() {} }), clients: ["c"] });
    sim.invoke("c", "a", "read", null);
    sim.run();
    expect(sim.history.ops[0]).toMatchObject({ status: "fail", error: 'node "a" does not accept client requests' });
  });

  it("records unknown when the target node is crashed", () => {
    const sim = service();
    sim.at(1, () => sim.crash("n1"));
    sim.invoke("c", "n1", "get", 1, { atMs: 2 });
    sim.run();
    expect(sim.history.ops[0]).toMatchObject({ status: "unknown", completeMs: 102 });
    expect(sim.trace.find((e) => e.kind === "drop")).toMatchObject({ reason: "crashed", from: "c", to: "n1" });
  });

  it("addClient adds a client during the run", () => {
    const sim = service({ clients: [] });
    sim.run({ untilMs: 0 });
    sim.addClient("late");
    sim.invoke("late", "n2", "get", 4);
    sim.run();
    expect(sim.clients).toEqual(["late"]);
    expect(sim.history.ops[0]).toMatchObject({ client: "late", status: "ok", output: 8 });
  });
});

describe("client programs", () => {
  it("onResult is called once per operation, with the completed operation", () => {
    const results: [number, string, number][] = [];
    const logic: ClientLogic<Input, number> = {
      onStart(ctx) {
        ctx.invoke("n1", "get", 1);
        ctx.invoke("n2", "bad", null);
        ctx.invoke("n1", "slow", null, { timeoutMs: 50 });
      },
      onResult(ctx, op) {
        results.push([op.id, op.status, ctx.now()]);
      },
    };
    const sim = service({ clients: [{ id: "prog", logic }] });
    sim.run();
    expect(results).toEqual([
      [0, "ok", 10],
      [1, "fail", 10],
      [2, "unknown", 50],
    ]);
  });

  it("a client may only invoke known nodes", () => {
    const logic: ClientLogic<Input, number> = { onStart: (ctx) => void ctx.invoke("nowhere", "get", 1) };
    const sim = service({ clients: [{ id: "prog", logic }] });
    const err = thrownBy(() => sim.run());
    expect(err).toBeInstanceOf(SimulationConfigError);
    expect((err as Error).message).toMatch(/client "prog" invoke\(\): unknown node "nowhere"/);
  });

  it("closedLoopClient issues operations one at a time, with think time between them", () => {
    const planned: number[] = [];
    const sim = service({
      network: { latency: latency.uniform(1, 20), lossProbability: 0.2 },
      clientTimeoutMs: 60,
      clients: [
        {
          id: "loop",
          logic: closedLoopClient<Input, number>({
            count: 30,
            startMs: 7,
            thinkTimeMs: 3,
            next: (random, i) => {
              planned.push(i);
              return { f: "get", input: random.int(0, 100) };
            },
            target: (ctx, previous) => (previous?.node === "n1" ? "n2" : "n1"),
          }),
        },
      ],
    });
    sim.run();
    const ops = sim.history.ops;
    expect(ops).toHaveLength(30);
    expect(planned).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(ops[0]!.invokeMs).toBe(7);
    for (let i = 1; i < ops.length; i++) {
      // The next operation starts exactly think time after the previous one completed.
      expect(ops[i]!.invokeMs).toBe(ops[i - 1]!.completeMs! + 3);
      expect(ops[i]!.node).toBe(ops[i - 1]!.node === "n1" ? "n2" : "n1");
    }
    // With 20% loss each way, some operations time out and the loop carries on regardless.
    const statuses = new Set(ops.map((op) => op.status));
    expect(statuses).toEqual(new Set(["ok", "unknown"]));
    for (const op of ops) if (op.status === "ok") expect(op.output).toBe((op.input ?? 0) * 2);
  });

  it("closedLoopClient sends to the first node by default and stops after count", () => {
    const sim = service({
      clients: [{ id: "loop", logic: closedLoopClient<Input, number>({ count: 3, next: () => ({ f: "get", input: 1 }) }) }],
    });
    sim.run();
    expect(sim.history.ops.map((op) => [op.node, op.invokeMs, op.completeMs])).toEqual([
      ["n1", 0, 10],
      ["n1", 10, 20],
      ["n1", 20, 30],
    ]);
  });
});
