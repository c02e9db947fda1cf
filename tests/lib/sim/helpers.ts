/**
 * Shared fixtures for the simulator tests: a probe node that records everything it handles, and
 * the statistical bounds the distribution tests use. Not a test file itself (no `.test.ts`).
 */
import { Simulation, type NodeContext, type NodeId, type NodeLogic, type SimulationConfig } from "../../../lib/sim";

/** A test message; `sentLocalMs` lets the receiver measure flight time without the trace. */
export interface ProbeMessage {
  type: string;
  n?: number;
  sentLocalMs?: number;
}

/** One thing a probe node handled, with the true and the local time at which it handled it. */
export interface Handled {
  node: NodeId;
  incarnation: number;
  kind: "start" | "message" | "timer";
  from?: NodeId;
  message?: ProbeMessage;
  timer?: string;
  trueMs: number;
  localMs: number;
}

/** Optional behaviour of a probe beyond recording. */
export interface ProbeHooks {
  onStart?(node: ProbeNode, ctx: NodeContext<ProbeMessage>): void;
  onMessage?(node: ProbeNode, ctx: NodeContext<ProbeMessage>, from: NodeId, message: ProbeMessage): void;
  onTimer?(node: ProbeNode, ctx: NodeContext<ProbeMessage>, name: string, data: unknown): void;
}

/**
 * A node that records what it handles in a log shared by the whole cluster and otherwise does
 * what its hooks say. It keeps its context so tests can act "as the node" from `sim.at` actions.
 */
export class ProbeNode implements NodeLogic<ProbeMessage> {
  ctx!: NodeContext<ProbeMessage>;
  /** Volatile memory: a crash must lose it. */
  memory: Record<string, unknown> = {};

  constructor(
    readonly id: NodeId,
    readonly incarnation: number,
    private readonly log: Handled[],
    private readonly trueNow: () => number,
    private readonly hooks: ProbeHooks,
  ) {}

  private record(entry: Omit<Handled, "node" | "incarnation" | "trueMs" | "localMs">): void {
    this.log.push({ node: this.id, incarnation: this.incarnation, trueMs: this.trueNow(), localMs: this.ctx.now(), ...entry });
  }

  onStart(ctx: NodeContext<ProbeMessage>): void {
    this.ctx = ctx;
    this.record({ kind: "start" });
    this.hooks.onStart?.(this, ctx);
  }

  onMessage(ctx: NodeContext<ProbeMessage>, from: NodeId, message: ProbeMessage): void {
    this.record({ kind: "message", from, message });
    this.hooks.onMessage?.(this, ctx, from, message);
  }

  onTimer(ctx: NodeContext<ProbeMessage>, name: string, data: unknown): void {
    this.record({ kind: "timer", timer: name });
    this.hooks.onTimer?.(this, ctx, name, data);
  }
}

/** A simulation of probe nodes and the log they share. */
export function probeCluster(
  config: Omit<SimulationConfig<ProbeMessage, unknown, unknown, ProbeNode>, "createNode">,
  hooks: ProbeHooks = {},
): { sim: Simulation<ProbeMessage, unknown, unknown, ProbeNode>; log: Handled[] } {
  const log: Handled[] = [];
  // createNode only runs inside sim.run (boot is a scheduled event), so `sim` is assigned by then.
  const sim: Simulation<ProbeMessage, unknown, unknown, ProbeNode> = new Simulation({
    ...config,
    createNode: (id) => new ProbeNode(id, sim.node(id).incarnation, log, () => sim.now, hooks),
  });
  return { sim, log };
}

/** The messages a node handled, in order. */
export function messagesAt(log: readonly Handled[], node: NodeId): Handled[] {
  return log.filter((h) => h.node === node && h.kind === "message");
}

/**
 * Half-width of a 5-sigma interval around the expected number of successes of `n` Bernoulli(p)
 * trials. A seeded test cannot flake, but a bound derived from n keeps it honest when n changes.
 */
export function binomialBound(n: number, p: number, sigmas = 5): number {
  return sigmas * Math.sqrt(n * p * (1 - p));
}

/** Sample mean and (unbiased) sample variance. */
export function meanAndVariance(xs: readonly number[]): { mean: number; variance: number } {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1);
  return { mean, variance };
}

/** Calls `f` and returns what it threw; fails the test if it did not throw. */
export function thrownBy(f: () => unknown): unknown {
  try {
    f();
  } catch (err) {
    return err;
  }
  throw new Error("expected the call to throw, but it returned normally");
}
