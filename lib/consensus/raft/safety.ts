import type { NodeId } from "../../sim/trace";
import type { RaftLogEntry, RaftNodeState } from "./types";

/** The five guarantees of the Raft paper (Figure 3). */
export type RaftSafetyProperty =
  | "election safety"
  | "leader append-only"
  | "log matching"
  | "leader completeness"
  | "state machine safety";

/** Thrown (or returned) when a property breaks: which one, who, in which terms and at which indexes. */
export class RaftSafetyViolation extends Error {
  override readonly name = "RaftSafetyViolation";
  constructor(
    readonly property: RaftSafetyProperty,
    readonly detail: string,
    readonly timeMs: number,
    readonly nodes: readonly NodeId[],
    readonly terms: readonly number[],
    readonly indexes: readonly number[],
  ) {
    super(`${property} violated at ${timeMs.toFixed(2)} ms: ${detail}`);
  }
}

/** What the checker needs to see of one node at one instant. */
export interface ObservedNode {
  readonly id: NodeId;
  /** False while crashed: a crashed node is skipped. */
  readonly up: boolean;
  /** Restart count: volatile state (lastApplied) starts over with each incarnation. */
  readonly incarnation: number;
  readonly state: RaftNodeState;
}

/** The identity of a log entry: its term and the client request it carries. */
interface EntryId {
  readonly term: number;
  readonly clientId: string;
  readonly requestId: number;
}

function idOf(e: RaftLogEntry): EntryId {
  return { term: e.term, clientId: e.command.clientId, requestId: e.command.requestId };
}

function sameEntry(a: EntryId, e: RaftLogEntry): boolean {
  return a.term === e.term && a.clientId === e.command.clientId && a.requestId === e.command.requestId;
}

function show(id: EntryId): string {
  return `t${id.term} ${id.clientId}#${id.requestId}`;
}

interface PerNode {
  incarnation: number;
  /** lastApplied already checked in this incarnation. */
  appliedSeen: number;
  /** The node's log at the previous check (entry references), and how much of it was committed. */
  seen: RaftLogEntry[];
  seenCommit: number;
  /** While the node leads: the term and incarnation it led at the previous check. */
  leading?: { term: number; incarnation: number; completeChecked: number };
}

function sameContent(a: RaftLogEntry, b: RaftLogEntry): boolean {
  return a === b || (a.term === b.term && a.command.clientId === b.command.clientId && a.command.requestId === b.command.requestId);
}

/**
 * Checks Raft's five safety properties on a cluster, meant to run after every simulated event
 * (the cluster harness calls `check` from the simulator's per-event hook). It remembers what it
 * has seen across events, so a property that spans time (leader append-only, a commit that a
 * later leader lacks) is caught at the first event that breaks it:
 *
 * - election safety: at most one leader per term, ever;
 * - leader append-only: while a node leads a term, its earlier log is a prefix of its log;
 * - log matching: an entry is identified by (index, term); every log that has it has the same
 *   command there and the same term just before it (by induction: the same whole prefix);
 * - leader completeness: a leader of term T holds every entry committed in a term below T;
 * - state machine safety: no two nodes apply (or commit) different entries at one index.
 *
 * Every violation is a RaftSafetyViolation naming the property, the nodes, terms and indexes.
 * The work per event is proportional to what changed: each node's log is compared with the
 * previous check (by entry reference, then by content where references differ), and only new
 * or changed entries are checked again.
 */
export class RaftSafetyChecker {
  private readonly leaderOfTerm = new Map<number, NodeId>();
  /** (index, term) -> the entry and the term before it, as first seen, and who had it. */
  private readonly entries: Map<number, { id: EntryId; prevTerm: number; node: NodeId }>[] = [];
  /** index -> the committed entry, the term of the node that first reported it committed, and that node. */
  private readonly committed: { id: EntryId; term: number; node: NodeId }[] = [];
  /** index -> the entry applied there and who applied it first. */
  private readonly applied: { id: EntryId; node: NodeId }[] = [];
  private readonly perNode = new Map<NodeId, PerNode>();
  /** Number of checks run (one per event). */
  checks = 0;

  /** Checks every property against the nodes' current states; returns the first violation, or undefined. */
  check(nodes: readonly ObservedNode[], timeMs: number): RaftSafetyViolation | undefined {
    this.checks++;
    for (const n of nodes) {
      if (!n.up) continue;
      const v = this.checkElection(n, timeMs) ?? this.checkLogs(n, timeMs) ?? this.checkApplied(n, timeMs);
      if (v !== undefined) return v;
    }
    // Leader completeness after every node's commits of this instant are known.
    for (const n of nodes) {
      if (!n.up || n.state.role !== "leader") continue;
      const v = this.checkLeaderCompleteness(n, timeMs);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  /** The entry applied at `index` by the first node that applied it (for tests and tables). */
  appliedAt(index: number): { term: number; clientId: string; requestId: number } | undefined {
    return this.applied[index]?.id;
  }

  /** Highest index any node has applied. */
  get maxApplied(): number {
    return Math.max(0, this.applied.length - 1);
  }

  private node(n: ObservedNode): PerNode {
    let p = this.perNode.get(n.id);
    if (p === undefined) {
      p = { incarnation: n.incarnation, appliedSeen: 0, seen: [], seenCommit: 0 };
      this.perNode.set(n.id, p);
    } else if (p.incarnation !== n.incarnation) {
      p.incarnation = n.incarnation;
      p.appliedSeen = 0;
      delete p.leading;
    }
    return p;
  }

  private checkElection(n: ObservedNode, timeMs: number): RaftSafetyViolation | undefined {
    if (n.state.role !== "leader") return undefined;
    const term = n.state.currentTerm;
    const other = this.leaderOfTerm.get(term);
    if (other === undefined) {
      this.leaderOfTerm.set(term, n.id);
      return undefined;
    }
    if (other === n.id) return undefined;
    return new RaftSafetyViolation(
      "election safety",
      `${other} and ${n.id} were both leader of term ${term}`,
      timeMs,
      [other, n.id],
      [term],
      [],
    );
  }

  /** Leader append-only, log matching and committed entries, on what changed since the last check. */
  private checkLogs(n: ObservedNode, timeMs: number): RaftSafetyViolation | undefined {
    const p = this.node(n);
    const log = n.state.log;
    const seen = p.seen;
    const common = Math.min(log.length, seen.length);
    let d = 0; // first 0-based position where the log differs from the previous check
    while (d < common) {
      const e = log[d]!;
      if (e !== seen[d]) {
        if (!sameContent(e, seen[d]!)) break;
        seen[d] = e; // same entry, new object (e.g. reloaded after a restart): compare by reference next time
      }
      d++;
    }

    // Leader append-only: a node that led the same term (same incarnation) at the previous
    // check may only have added entries after what it had.
    const term = n.state.currentTerm;
    const wasLeading = p.leading !== undefined && p.leading.term === term && p.leading.incarnation === n.incarnation;
    if (n.state.role === "leader" && wasLeading && d < seen.length) {
      const index = d + 1;
      const now = index <= log.length ? `now holds ${show(idOf(log[d]!))}` : `its log now ends at index ${log.length}`;
      return new RaftSafetyViolation(
        "leader append-only",
        `${n.id}, leader of term ${term}, changed its own log: index ${index} held ${show(idOf(seen[d]!))}, ${now}`,
        timeMs,
        [n.id],
        [term],
        [index],
      );
    }
    if (n.state.role === "leader") {
      if (!wasLeading) p.leading = { term, incarnation: n.incarnation, completeChecked: 0 };
    } else {
      delete p.leading;
    }

    // Log matching on new or changed entries.
    for (let i = d + 1; i <= log.length; i++) {
      const e = log[i - 1]!;
      const prevTerm = i >= 2 ? log[i - 2]!.term : 0;
      let byTerm = this.entries[i];
      if (byTerm === undefined) this.entries[i] = byTerm = new Map();
      const known = byTerm.get(e.term);
      if (known === undefined) {
        byTerm.set(e.term, { id: idOf(e), prevTerm, node: n.id });
      } else if (!sameEntry(known.id, e) || known.prevTerm !== prevTerm) {
        const what = !sameEntry(known.id, e)
          ? `different commands (${show(known.id)} on ${known.node}, ${show(idOf(e))} on ${n.id})`
          : `different entries before it (term ${known.prevTerm} at index ${i - 1} on ${known.node}, term ${prevTerm} on ${n.id})`;
        return new RaftSafetyViolation(
          "log matching",
          `${known.node} and ${n.id} both have an entry of term ${e.term} at index ${i} but ${what}`,
          timeMs,
          [known.node, n.id],
          [e.term],
          [i],
        );
      }
    }
    seen.length = d;
    for (let i = d; i < log.length; i++) seen.push(log[i]!);

    // Committed entries never change: check the newly committed or changed ones.
    const commitIndex = Math.min(n.state.commitIndex, log.length);
    for (let i = Math.min(d, p.seenCommit) + 1; i <= commitIndex; i++) {
      const e = log[i - 1]!;
      const c = this.committed[i];
      if (c === undefined) {
        this.committed[i] = { id: idOf(e), term, node: n.id };
      } else if (!sameEntry(c.id, e)) {
        return new RaftSafetyViolation(
          "state machine safety",
          `${c.node} committed ${show(c.id)} at index ${i} but ${n.id} committed ${show(idOf(e))} there`,
          timeMs,
          [c.node, n.id],
          [c.id.term, e.term],
          [i],
        );
      }
    }
    p.seenCommit = commitIndex;
    return undefined;
  }

  private checkApplied(n: ObservedNode, timeMs: number): RaftSafetyViolation | undefined {
    const p = this.node(n);
    const lastApplied = n.state.lastApplied;
    for (let i = p.appliedSeen + 1; i <= lastApplied; i++) {
      const e = n.state.log[i - 1];
      if (e === undefined) {
        return new RaftSafetyViolation(
          "state machine safety",
          `${n.id} reports lastApplied ${lastApplied} but its log ends at index ${n.state.log.length}`,
          timeMs,
          [n.id],
          [n.state.currentTerm],
          [i],
        );
      }
      const first = this.applied[i];
      if (first === undefined) {
        this.applied[i] = { id: idOf(e), node: n.id };
      } else if (!sameEntry(first.id, e)) {
        return new RaftSafetyViolation(
          "state machine safety",
          `${first.node} applied ${show(first.id)} at index ${i} but ${n.id} applied ${show(idOf(e))}`,
          timeMs,
          [first.node, n.id],
          [first.id.term, e.term],
          [i],
        );
      }
    }
    if (lastApplied > p.appliedSeen) p.appliedSeen = lastApplied;
    return undefined;
  }

  private checkLeaderCompleteness(n: ObservedNode, timeMs: number): RaftSafetyViolation | undefined {
    const p = this.node(n);
    const leading = p.leading;
    if (leading === undefined) return undefined;
    const term = n.state.currentTerm;
    const log = n.state.log;
    // Committed entries fill indexes 1, 2, ... in order and never change, and this leader's log
    // only grows (append-only is checked above), so each index needs checking once per term.
    for (let i = leading.completeChecked + 1; i < this.committed.length; i++) {
      const c = this.committed[i];
      if (c === undefined) break;
      leading.completeChecked = i;
      if (c.term >= term) continue;
      const e = log[i - 1];
      if (e === undefined || !sameEntry(c.id, e)) {
        return new RaftSafetyViolation(
          "leader completeness",
          `${n.id} is leader of term ${term} but lacks ${show(c.id)} at index ${i}, committed in term ${c.term} (${c.node})` +
            (e === undefined ? `: its log ends at index ${log.length}` : `: it holds ${show(idOf(e))} there`),
          timeMs,
          [n.id, c.node],
          [term, c.term],
          [i],
        );
      }
    }
    return undefined;
  }
}
