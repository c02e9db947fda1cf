/**
 * Records what the single-leader nodes report, stamped with true simulated time, for checkers,
 * charts and graders. It also follows every node's log entry by entry (its "lineage": which write
 * sits at each LSN), including entries folded away by retention, so a checker can tell exactly
 * which acknowledged writes a node held at any recorded moment.
 */
import type { NodeId } from "../../sim/trace";
import type { FailoverDecision, FailoverObservation, SafetyVerdict } from "../failover_types";
import type { FailoverAttempt, LogChange, SingleLeaderObserver } from "./observer";
import { entryKey, type AckMode, type EntryKey, type LogEntry, type Role } from "./types";

/** A client write a leader appended (accepted). */
export interface AcceptedWrite {
  timeMs: number;
  node: NodeId;
  epoch: number;
  lsn: number;
  key: EntryKey;
}

/** A client write a leader acknowledged (told the client it succeeded). */
export interface AcknowledgedWrite extends AcceptedWrite {
  /** When the leader accepted it. */
  acceptedMs: number;
  /** Where the leader's acknowledgement rule said the write was durable when it answered. */
  durableOn: NodeId[];
}

/** A node's role, epoch or believed leader changed (as the node reported it). */
export interface RoleChange {
  timeMs: number;
  node: NodeId;
  role: Role;
  epoch: number;
  leader: NodeId | null;
}

/** A node started or stopped being able to accept writes. */
export interface WritableChange {
  timeMs: number;
  node: NodeId;
  epoch: number;
  writable: boolean;
}

/** One probe round of a failover. */
export interface ProbeRound {
  round: number;
  startedMs: number;
  candidates: NodeId[];
  /** Each node that answered, with the entries its log held when it answered. */
  answers: Map<NodeId, ReadonlySet<EntryKey>>;
}

/** One attempt of a failover (a policy call, or a wait for a manual promote), with the observation. */
export interface AttemptRecord {
  round: number;
  /** True time when this attempt's probes were sent. */
  roundStartedMs: number;
  /** True time of the decision. */
  decidedMs: number;
  observation: FailoverObservation;
  /** Undefined when no policy is configured (see `awaitingManualPromote`). */
  verdict: SafetyVerdict | undefined;
  decision: FailoverDecision | undefined;
  /** No policy is configured: the coordinator waits for a manual promote (not a refusal). */
  awaitingManualPromote: boolean;
}

/** A promotion, by policy or by hand. */
export interface PromotionRecord {
  timeMs: number;
  leader: NodeId;
  epoch: number;
  manual: boolean;
  /** The failover (index into `failovers`) that led to it; undefined for a manual switchover. */
  failover: number | undefined;
  /** Entries the promoted node held at that moment. */
  leaderEntries: ReadonlySet<EntryKey>;
}

/** One failover: from losing the leader to a promotion (or to the end of the run). */
export interface FailoverRecord {
  index: number;
  oldLeader: NodeId;
  oldEpoch: number;
  /** True time the coordinator gave up on the leader. */
  startedMs: number;
  attempts: AttemptRecord[];
  promotion: PromotionRecord | undefined;
}

/** The recorder: pass it as the nodes' observer (the cluster builder does). */
export class SingleLeaderRecorder implements SingleLeaderObserver {
  readonly accepted: AcceptedWrite[] = [];
  readonly acknowledged: AcknowledgedWrite[] = [];
  readonly roles: RoleChange[] = [];
  readonly writable: WritableChange[] = [];
  readonly failovers: FailoverRecord[] = [];
  readonly promotions: PromotionRecord[] = [];
  readonly rounds = new Map<number, ProbeRound>();
  private readonly lineages = new Map<NodeId, EntryKey[]>();
  private readonly copies = new Map<string, EntryKey[]>();
  private readonly acceptedAt = new Map<EntryKey, number>();
  private clock: () => number;

  /**
   * @param initialLeader the node that leads epoch 1.
   * @param clock true simulated time (the cluster builder binds it to `sim.now`).
   * @param mode the cluster's acknowledgement mode.
   */
  constructor(
    readonly initialLeader: NodeId,
    clock: () => number = () => 0,
    /** The cluster's acknowledgement mode (checkers need it to judge durability). */
    readonly mode: AckMode = "async",
  ) {
    this.clock = clock;
  }

  /** Binds the clock once the simulation exists. */
  setClock(clock: () => number): void {
    this.clock = clock;
  }

  // ---------------------------------------------------------------- queries

  /** The node the coordinator last made leader (the initial leader before any promotion). */
  get currentLeader(): NodeId {
    return this.promotions[this.promotions.length - 1]?.leader ?? this.initialLeader;
  }

  /** Which write sits at each LSN of `node`'s log now (index lsn - 1), folded entries included. */
  lineage(node: NodeId): readonly EntryKey[] {
    return this.lineages.get(node) ?? [];
  }

  /** Whether `node`'s log holds the write `key` now. */
  holds(node: NodeId, key: EntryKey): boolean {
    const lsn = Number(key.slice(key.lastIndexOf("/") + 1));
    return this.lineage(node)[lsn - 1] === key;
  }

  // ---------------------------------------------------------------- observer

  writeAccepted(node: NodeId, entry: LogEntry): void {
    const key = entryKey(entry.origin, entry.epoch, entry.lsn);
    const timeMs = this.clock();
    this.acceptedAt.set(key, timeMs);
    this.accepted.push({ timeMs, node, epoch: entry.epoch, lsn: entry.lsn, key });
  }

  writeAcknowledged(node: NodeId, entry: LogEntry, durableOn: readonly NodeId[] = [node]): void {
    const key = entryKey(entry.origin, entry.epoch, entry.lsn);
    const timeMs = this.clock();
    this.acknowledged.push({
      timeMs,
      node,
      epoch: entry.epoch,
      lsn: entry.lsn,
      key,
      acceptedMs: this.acceptedAt.get(key) ?? timeMs,
      durableOn: [...durableOn],
    });
  }

  logChanged(node: NodeId, change: LogChange): void {
    const current = this.lineages.get(node) ?? [];
    switch (change.kind) {
      case "append": {
        const next = current.slice(0, change.fromLsn - 1);
        while (next.length < change.fromLsn - 1) next.push("?");
        next.push(...change.keys);
        this.lineages.set(node, next);
        return;
      }
      case "truncate":
        this.lineages.set(node, current.slice(0, change.afterLsn));
        return;
      case "reset":
        this.lineages.set(node, (this.copies.get(change.copyId) ?? []).slice(0, change.lsn));
        return;
      case "recovered": {
        // Entries up to the base were folded away on disk but are unchanged; the rest is read back
        // from disk (a crash may have lost unsynced ones). A fresh incarnation starts unwritable.
        const next = current.slice(0, change.baseLsn);
        while (next.length < change.baseLsn) next.push("?");
        next.push(...change.keys);
        this.lineages.set(node, next);
        const last = this.lastWritable(node);
        if (last?.writable) this.writable.push({ timeMs: this.clock(), node, epoch: last.epoch, writable: false });
        return;
      }
    }
  }

  roleChanged(node: NodeId, role: Role, epoch: number, leader: NodeId | null): void {
    this.roles.push({ timeMs: this.clock(), node, role, epoch, leader });
  }

  writableChanged(node: NodeId, epoch: number, writable: boolean): void {
    this.writable.push({ timeMs: this.clock(), node, epoch, writable });
  }

  copyTaken(node: NodeId, copyId: string, lsn: number): void {
    this.copies.set(copyId, this.lineage(node).slice(0, lsn));
  }

  probeRoundStarted(round: number, candidates: NodeId[]): void {
    this.rounds.set(round, { round, startedMs: this.clock(), candidates: [...candidates], answers: new Map() });
  }

  probeAnswered(node: NodeId, round: number): void {
    this.rounds.get(round)?.answers.set(node, new Set(this.lineage(node)));
  }

  failoverStarted(oldLeader: NodeId, epoch: number): void {
    this.failovers.push({ index: this.failovers.length, oldLeader, oldEpoch: epoch, startedMs: this.clock(), attempts: [], promotion: undefined });
  }

  failoverAttempt(attempt: FailoverAttempt): void {
    const failover = this.failovers[this.failovers.length - 1];
    if (failover === undefined) return;
    failover.attempts.push({
      round: attempt.round,
      roundStartedMs: this.rounds.get(attempt.round)?.startedMs ?? this.clock(),
      decidedMs: this.clock(),
      observation: structuredClone(attempt.observation),
      verdict: attempt.verdict === undefined ? undefined : structuredClone(attempt.verdict),
      decision: attempt.decision === undefined ? undefined : structuredClone(attempt.decision),
      awaitingManualPromote: attempt.awaitingManualPromote,
    });
  }

  promoted(leader: NodeId, epoch: number, manual: boolean): void {
    const open = this.failovers[this.failovers.length - 1];
    const failover = open !== undefined && open.promotion === undefined ? open.index : undefined;
    const record: PromotionRecord = { timeMs: this.clock(), leader, epoch, manual, failover, leaderEntries: new Set(this.lineage(leader)) };
    this.promotions.push(record);
    if (failover !== undefined) this.failovers[failover]!.promotion = record;
  }

  private lastWritable(node: NodeId): WritableChange | undefined {
    for (let i = this.writable.length - 1; i >= 0; i--) if (this.writable[i]!.node === node) return this.writable[i];
    return undefined;
  }
}

const registry = new WeakMap<object, SingleLeaderRecorder>();

/** Associates a recorder with a simulation, so checkers can be given the simulation alone. */
export function attachRecorder(sim: object, recorder: SingleLeaderRecorder): void {
  registry.set(sim, recorder);
}

/** The recorder of a simulation built by `createSingleLeaderCluster`. */
export function recorderOf(sim: object): SingleLeaderRecorder {
  const r = registry.get(sim);
  if (r === undefined) {
    throw new Error(
      "this simulation has no single-leader recorder: build it with createSingleLeaderCluster, or pass the cluster instead of cluster.sim.",
    );
  }
  return r;
}
