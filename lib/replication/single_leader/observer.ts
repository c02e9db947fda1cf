/**
 * A read-only tap on the single-leader nodes, for the harness: the nodes report what they did and
 * a recorder (see recorder.ts) timestamps it with true simulated time. Nodes never read anything
 * back from it, so attaching or removing an observer cannot change a run.
 */
import type { NodeId } from "../../sim/trace";
import type { FailoverDecision, FailoverObservation, SafetyVerdict } from "../failover_types";
import type { EntryKey, LogEntry, Role } from "./types";

/** How a node's log changed (enough for the recorder to follow every node's log, entry by entry). */
export type LogChange =
  /** Entries appended at the end, starting at `fromLsn`. */
  | { kind: "append"; fromLsn: number; keys: EntryKey[] }
  /** Every entry after `afterLsn` was removed (a divergent suffix rolled back). */
  | { kind: "truncate"; afterLsn: number }
  /**
   * The node's data was replaced by a copy taken on `source` when its log ended at `lsn`: a
   * snapshot, or the end of a naive copy (whose data does not really match that position).
   */
  | { kind: "reset"; source: NodeId; copyId: string; lsn: number }
  /** The node (re)started and found this log on disk: `keys` are the kept entries after `baseLsn`. */
  | { kind: "recovered"; baseLsn: number; keys: EntryKey[] };

/**
 * One probe round of a failover and what came of it: a call to the failover policy, or, when no
 * policy is configured, a wait for an operator's `promote` (no verdict, no decision).
 */
export interface FailoverAttempt {
  /** Probe round that produced the observation (its probes were sent at the observation's `nowMs`). */
  round: number;
  observation: FailoverObservation;
  /** What validateSafeFailover said; undefined when no policy is configured (nobody judged). */
  verdict: SafetyVerdict | undefined;
  /** Undefined when validateSafeFailover refused, or when no policy is configured (manual failover). */
  decision: FailoverDecision | undefined;
  /**
   * True when no policy is configured: the coordinator only observed, and waits for a manual
   * promote. Not a refusal, so it carries no RefusalCode.
   */
  awaitingManualPromote: boolean;
}

/** Everything the nodes report. Every method is optional. */
export interface SingleLeaderObserver {
  /** A leader appended a client write to its log: it accepted the write. */
  writeAccepted?(node: NodeId, entry: LogEntry): void;
  /** A leader told the client the write succeeded; `durableOn` is where its ack rule said it was durable. */
  writeAcknowledged?(node: NodeId, entry: LogEntry, durableOn?: readonly NodeId[]): void;
  logChanged?(node: NodeId, change: LogChange): void;
  roleChanged?(node: NodeId, role: Role, epoch: number, leader: NodeId | null): void;
  /** The node started or stopped being able to accept writes (leader, and lease valid if leases are on). */
  writableChanged?(node: NodeId, epoch: number, writable: boolean): void;
  /** A leader captured a copy of its data at `lsn` to send to `to` (snapshot or end of naive copy). */
  copyTaken?(node: NodeId, copyId: string, lsn: number, to: NodeId): void;
  /** A node answered the coordinator's probe. */
  probeAnswered?(node: NodeId, round: number): void;
  /** The coordinator lost the leader's heartbeats and stopped pinging it. */
  failoverStarted?(oldLeader: NodeId, epoch: number): void;
  /** The coordinator sent probe round `round` to `candidates`. */
  probeRoundStarted?(round: number, candidates: NodeId[]): void;
  failoverAttempt?(attempt: FailoverAttempt): void;
  /** The coordinator promoted `leader`, whether by policy or by hand. */
  promoted?(leader: NodeId, epoch: number, manual: boolean): void;
}
