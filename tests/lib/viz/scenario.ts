/**
 * Small, real simulations for the renderer tests: nodes that ping each other on a timer and
 * answer pings with pongs, plus scheduled faults so every kind of trace event appears.
 */
import { Simulation, type ClientRequest, type NodeContext, type NodeLogic, type TraceEvent } from "../../../lib/sim";

type Msg = { type: "ping" } | { type: "pong" };

/** Pings every peer every `periodMs`; answers pings; answers client requests with "ok 7". */
export class PingNode implements NodeLogic<Msg, number, number> {
  constructor(private readonly periodMs = 10) {}
  onStart(ctx: NodeContext<Msg, number, number>): void {
    ctx.setTimer(this.periodMs, "tick");
  }
  onMessage(ctx: NodeContext<Msg, number, number>, from: string, m: Msg): void {
    if (m.type === "ping") ctx.send(from, { type: "pong" });
  }
  onTimer(ctx: NodeContext<Msg, number, number>): void {
    ctx.broadcast({ type: "ping" });
    ctx.setTimer(this.periodMs, "tick");
  }
  onClientRequest(ctx: NodeContext<Msg, number, number>, request: ClientRequest<number>): void {
    ctx.note(`got ${request.f}`);
    ctx.reply(request, { ok: true, value: 7 });
  }
}

/**
 * Three nodes a, b, c and one client over 50 ms:
 * - 15 ms: partition {a} | {b,c}; the pings sent at 20 ms across it are dropped ("partition");
 * - 25 ms: heal;
 * - 28 ms: c crashes; pings to c sent at 30 ms arrive at a dead node ("crashed"); 35 ms: c restarts;
 * - 38–45 ms: a → b loses everything (link loss 1, one way): a's ping to b at 40 ms ("loss");
 * - 41 ms: b pauses for 5 ms;
 * - client1 writes at 5 ms (to a) and reads at 42 ms (to b, answered after b's pause).
 */
export function faultySim(): Simulation<Msg, number, number> {
  const sim = new Simulation<Msg, number, number>({
    seed: 7,
    nodes: ["a", "b", "c"],
    clients: ["client1"],
    createNode: () => new PingNode(),
  });
  sim.invoke("client1", "a", "write", 5, { atMs: 5 });
  sim.at(15, () => sim.partition([["a"], ["b", "c"]]));
  sim.at(25, () => sim.heal());
  sim.at(28, () => sim.crash("c"));
  sim.at(35, () => sim.restart("c"));
  sim.at(38, () => sim.setLink({ from: "a", to: "b", lossProbability: 1, symmetric: false }));
  sim.at(45, () => sim.setLink({ from: "a", to: "b", lossProbability: 0, symmetric: false }));
  sim.at(41, () => sim.pause("b", 5));
  sim.invoke("client1", "b", "read", 0, { atMs: 42 });
  sim.run({ untilMs: 50 });
  return sim;
}

/** Five nodes pinging for `untilMs` (80 ms gives well over 60 delivered messages) with a crash. */
export function busySim(untilMs = 80): Simulation<Msg, number, number> {
  const sim = new Simulation<Msg, number, number>({
    seed: 11,
    nodes: ["n1", "n2", "n3", "n4", "n5"],
    createNode: () => new PingNode(20),
  });
  sim.at(50, () => sim.crash("n4"));
  sim.run({ untilMs });
  return sim;
}

/** Trace events of one kind. */
export function ofKind<K extends TraceEvent["kind"]>(trace: readonly TraceEvent[], kind: K): Extract<TraceEvent, { kind: K }>[] {
  return trace.filter((e): e is Extract<TraceEvent, { kind: K }> => e.kind === kind);
}
