import type { NodeId } from "../../sim/trace";
import type { NodeSample } from "../../viz/charts/series";
import type { ObservedNode } from "./safety";
import type { RaftRole } from "./types";

/** One node's Raft state from `timeMs` on, until its next sample. */
export interface RaftTimelineSample {
  readonly timeMs: number;
  readonly node: NodeId;
  /** "down" while crashed. */
  readonly role: RaftRole | "down";
  readonly term: number;
  readonly logLength: number;
  readonly commitIndex: number;
}

const ROLE_LETTER: Record<RaftTimelineSample["role"], string> = { follower: "F", candidate: "C", leader: "L", down: "X" };

/**
 * The per-node history of (role, term, log length, commit index), recorded as changes only, so a
 * long run stays small. Failure reports print it as text; the chapter charts it.
 */
export class RaftTimeline {
  readonly samples: RaftTimelineSample[] = [];
  private readonly last = new Map<NodeId, RaftTimelineSample>();

  /** Records every node whose observable state changed since the previous call. */
  record(timeMs: number, nodes: readonly ObservedNode[]): void {
    for (const n of nodes) {
      const s = n.state;
      const role = n.up ? s.role : "down";
      const prev = this.last.get(n.id);
      if (
        prev !== undefined &&
        prev.role === role &&
        prev.term === s.currentTerm &&
        prev.logLength === s.log.length &&
        prev.commitIndex === s.commitIndex
      ) {
        continue;
      }
      const sample: RaftTimelineSample = { timeMs, node: n.id, role, term: s.currentTerm, logLength: s.log.length, commitIndex: s.commitIndex };
      this.samples.push(sample);
      this.last.set(n.id, sample);
    }
  }

  /** Samples of one node, in time order. */
  of(node: NodeId): RaftTimelineSample[] {
    return this.samples.filter((s) => s.node === node);
  }

  /** Samples as NodeSample series (for valuePerNodeOverTime charts): `value` picks the number. */
  asNodeSamples(value: (s: RaftTimelineSample) => number): NodeSample[] {
    return this.samples.map((s) => ({ timeMs: s.timeMs, node: s.node, value: value(s) }));
  }

  /**
   * One line per node with its last `lastChanges` states (default 12), e.g.
   * `n1  …  1020ms L t3 log7 c7 | 1400ms X t3 log7 c7`. Role letters: F follower, C candidate,
   * L leader, X crashed.
   */
  text(ids: readonly NodeId[], options: { lastChanges?: number } = {}): string {
    const keep = options.lastChanges ?? 12;
    const width = Math.max(...ids.map((id) => id.length));
    return ids
      .map((id) => {
        const all = this.of(id);
        const shown = all.slice(-keep).map((s) => `${Math.round(s.timeMs)}ms ${ROLE_LETTER[s.role]} t${s.term} log${s.logLength} c${s.commitIndex}`);
        return `${id.padEnd(width)}  ${all.length > keep ? "… " : ""}${shown.join(" | ")}`;
      })
      .join("\n");
  }
}
