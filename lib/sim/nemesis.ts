import { SimulationConfigError, requireFiniteNonNegative } from "./errors";
import type { RandomStream } from "./random";
import type { NodeId } from "./trace";

/** What `scheduleRandomFaults` may do to a run. Ranges are [min, max] in ms. */
export interface RandomFaultPlan {
  /** Faults start in [fromMs, toMs). */
  fromMs: number;
  toMs: number;
  /** Nodes that may be hit (default: every node). */
  nodes?: readonly NodeId[];
  /** Crashes, each followed by a restart after a downtime drawn from `downMs`. */
  crashes?: { count: number; downMs: [number, number]; loseUnsyncedWrites?: boolean };
  /** Partitions into two random non-empty sides, each healed after `durationMs`. */
  partitions?: { count: number; durationMs: [number, number] };
  /** Pauses (a stop-the-world garbage collection, a frozen VM). */
  pauses?: { count: number; durationMs: [number, number] };
}

/** One fault as planned, for printing alongside the seed. */
export interface PlannedFault {
  atMs: number;
  kind: "crash" | "partition" | "pause";
  /** The node crashed or paused, or the two sides of a partition. */
  target: NodeId | [NodeId[], NodeId[]];
  /** Until the restart, the heal or the end of the pause. */
  untilMs: number;
}

/** The subset of Simulation this needs, so the nemesis works with any message type. */
interface FaultTarget {
  readonly nodes: readonly NodeId[];
  readonly random: { stream(name: string): RandomStream };
  at(timeMs: number, action: () => void, label?: string): void;
  isUp(id: NodeId): boolean;
  crash(id: NodeId, options?: { loseUnsyncedWrites?: boolean }): void;
  restart(id: NodeId): void;
  pause(id: NodeId, durationMs: number): void;
  partition(groups: readonly (readonly NodeId[])[]): void;
  heal(): void;
}

/**
 * Schedules random crashes, partitions and pauses, drawn from the simulation's "faults" stream:
 * the same seed gives the same faults, and adding faults does not disturb the network's or the
 * workload's random decisions. Returns the plan, sorted by time, so tests can print it.
 *
 * Faults may overlap; a pause of a node that is down at that moment is skipped, and so is a
 * restart of a node that is already up. A new partition replaces the one in force, and every heal
 * restores all links, so the cluster can always recover.
 */
export function scheduleRandomFaults(sim: FaultTarget, plan: RandomFaultPlan): PlannedFault[] {
  requireFiniteNonNegative(plan.fromMs, "fault plan fromMs");
  requireFiniteNonNegative(plan.toMs, "fault plan toMs");
  if (plan.toMs <= plan.fromMs) {
    throw new SimulationConfigError(`fault plan: toMs (${plan.toMs}) must be after fromMs (${plan.fromMs}).`);
  }
  const nodes = [...(plan.nodes ?? sim.nodes)];
  for (const id of nodes) {
    if (!sim.nodes.includes(id)) {
      throw new SimulationConfigError(`fault plan names unknown node "${id}". Nodes: ${sim.nodes.join(", ")}.`);
    }
  }
  if (nodes.length === 0) throw new SimulationConfigError("fault plan: no nodes to inject faults into.");
  const range = (r: [number, number], what: string) => {
    requireFiniteNonNegative(r[0], `${what}[0]`);
    requireFiniteNonNegative(r[1], `${what}[1]`);
    if (r[0] > r[1]) throw new SimulationConfigError(`${what}: minimum ${r[0]} is greater than maximum ${r[1]}.`);
  };
  const count = (n: number, what: string) => {
    if (!Number.isInteger(n) || n < 0) throw new SimulationConfigError(`${what} must be a whole number >= 0, got ${n}.`);
  };

  const rng = sim.random.stream("faults");
  const when = () => rng.uniform(plan.fromMs, plan.toMs);
  const out: PlannedFault[] = [];

  if (plan.crashes) {
    count(plan.crashes.count, "crashes.count");
    range(plan.crashes.downMs, "crashes.downMs");
    const lose = plan.crashes.loseUnsyncedWrites ?? false;
    for (let i = 0; i < plan.crashes.count; i++) {
      const node = rng.pick(nodes);
      const atMs = when();
      const untilMs = atMs + rng.uniform(...plan.crashes.downMs);
      out.push({ atMs, kind: "crash", target: node, untilMs });
      sim.at(atMs, () => sim.crash(node, { loseUnsyncedWrites: lose }), `nemesis crash ${node}`);
      sim.at(untilMs, () => {
        if (!sim.isUp(node)) sim.restart(node);
      }, `nemesis restart ${node}`);
    }
  }
  if (plan.partitions) {
    count(plan.partitions.count, "partitions.count");
    range(plan.partitions.durationMs, "partitions.durationMs");
    if (nodes.length < 2 && plan.partitions.count > 0) {
      throw new SimulationConfigError("fault plan: a partition needs at least two nodes.");
    }
    for (let i = 0; i < plan.partitions.count; i++) {
      const shuffled = rng.shuffle(nodes);
      const cut = rng.int(1, shuffled.length - 1);
      const sides: [NodeId[], NodeId[]] = [shuffled.slice(0, cut).sort(), shuffled.slice(cut).sort()];
      const atMs = when();
      const untilMs = atMs + rng.uniform(...plan.partitions.durationMs);
      out.push({ atMs, kind: "partition", target: sides, untilMs });
      sim.at(atMs, () => sim.partition(sides), "nemesis partition");
      sim.at(untilMs, () => sim.heal(), "nemesis heal");
    }
  }
  if (plan.pauses) {
    count(plan.pauses.count, "pauses.count");
    range(plan.pauses.durationMs, "pauses.durationMs");
    for (let i = 0; i < plan.pauses.count; i++) {
      const node = rng.pick(nodes);
      const atMs = when();
      const durationMs = rng.uniform(...plan.pauses.durationMs);
      out.push({ atMs, kind: "pause", target: node, untilMs: atMs + durationMs });
      sim.at(atMs, () => {
        if (sim.isUp(node)) sim.pause(node, durationMs);
      }, `nemesis pause ${node}`);
    }
  }
  return out.sort((a, b) => a.atMs - b.atMs);
}

/** One line per planned fault, e.g. "  412.3 ms  crash n2 until 690.1 ms". */
export function describeFaultPlan(faults: readonly PlannedFault[]): string {
  return faults
    .map((f) => {
      const what = typeof f.target === "string" ? f.target : `{${f.target[0].join(",")}} | {${f.target[1].join(",")}}`;
      return `${f.atMs.toFixed(1).padStart(9)} ms  ${f.kind} ${what} until ${f.untilMs.toFixed(1)} ms`;
    })
    .join("\n");
}
