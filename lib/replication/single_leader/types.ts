/**
 * Shared vocabulary of the single-leader (leader/follower) model: log entries, client operations,
 * roles and every message the nodes exchange. Messages are discriminated unions on `type`, which
 * is also the label the simulator shows in traces and message diagrams.
 */
import type { NodeId } from "../../sim/trace";

/** A value stored under a key. Kept to JSON scalars so tables and diagrams can print it. */
export type Value = string | number | boolean | null;

/** One change in the replication log (a logical, row-based log: the new value, not a statement). */
export type LogOp =
  | { kind: "set"; key: string; value: Value }
  | { kind: "delete"; key: string }
  /** An auto-increment insert: the leader chose `id`; the row lives under key `${table}:${id}`. */
  | { kind: "insert"; table: string; id: number; key: string; value: Value };

/**
 * One entry of the replication log. Positions (LSNs) count from 1 and have no gaps. Two entries
 * with the same LSN and epoch are the same entry: only one leader writes in an epoch.
 */
export interface LogEntry {
  /** Log sequence number: the entry's position in the log, from 1. */
  lsn: number;
  /** Epoch of the leader that wrote the entry. */
  epoch: number;
  /** The leader that wrote the entry (for checkers: which write it is, whoever holds it now). */
  origin: NodeId;
  op: LogOp;
}

/**
 * A write's identity across the whole run: the leader that wrote it, its epoch and its LSN, as
 * `origin/epoch/lsn`. Unlike an LSN alone it tells apart two leaders' writes at the same position.
 */
export type EntryKey = string;

/** The identity of a log entry or of an acknowledged write (see EntryKey). */
export function entryKey(origin: NodeId, epoch: number, lsn: number): EntryKey {
  return `${origin}/${epoch}/${lsn}`;
}

/**
 * When the leader answers a client's write:
 * - "async": after its own write (followers catch up later);
 * - "sync": after every follower has the write;
 * - "semi-sync": after one designated follower has it (the others are asynchronous);
 * - "quorum": after a majority of the cluster, the leader included, has it.
 */
export type AckMode = "async" | "sync" | "semi-sync" | "quorum";

/** What a data node currently does. */
export type Role =
  /** A spare node that has not joined the cluster yet (see `addFollower`). */
  | "idle"
  /** A new follower receiving its first copy of the data (snapshot or naive copy). */
  | "joining"
  | "follower"
  | "leader";

/** How a new follower gets its first copy of the data. */
export type BootstrapMethod =
  /** A consistent snapshot tied to a log position, then the changes since that position. */
  | "snapshot"
  /** Copies the live store key by key, with no log position: the inconsistent way. */
  | "naive";

// ---------------------------------------------------------------- client operations

/** Operation names a data node understands (the `f` of a client request). */
export type KvOperation = "write" | "delete" | "insert" | "read";

/**
 * Input of a client operation:
 * - write: `{ key, value }`; delete: `{ key }`; read: `{ key }`;
 * - insert: `{ table, value }`: the leader picks the next id of `table`.
 */
export interface KvInput {
  key?: string;
  value?: Value;
  table?: string;
}

/** Answer to a write, delete or insert: where the write sits in the leader's log. */
export interface WriteResult {
  /** The leader that accepted and acknowledged the write. */
  leader: NodeId;
  epoch: number;
  lsn: number;
  /** For inserts: the id the leader assigned. */
  id?: number;
}

/** Answer to a read: the value as this node has it, and how far its log is applied. */
export interface ReadResult {
  node: NodeId;
  role: Role;
  /** `null` when the key is absent. */
  value: Value;
  /** LSN of the last entry this node has applied: compare with the leader's to see the lag. */
  appliedLsn: number;
}

/** Output of any client operation. */
export type KvOutput = WriteResult | ReadResult;

/** Operation names the coordinator understands: clients ask it who leads. */
export type CoordinatorOperation = "leader";

/** The coordinator's answer to "leader". */
export interface LeaderInfo {
  leader: NodeId;
  epoch: number;
}

// ---------------------------------------------------------------- messages

/** A consistent copy of a node's store at one log position. */
export interface Snapshot {
  /** Identifies the snapshot in records (the recorder uses it to know which log prefix it holds). */
  id: string;
  /** The snapshot holds exactly the effect of entries 1..lsn. */
  lsn: number;
  /** Epoch of the entry at `lsn` (0 when lsn is 0). */
  lsnEpoch: number;
  kv: Record<string, Value>;
  /** Auto-increment counters per table. */
  sequences: Record<string, number>;
}

/** Leader -> follower: log entries after (prevLsn, prevEpoch). Also sent empty, to probe a position. */
export interface AppendMessage {
  type: "append";
  epoch: number;
  leader: NodeId;
  prevLsn: number;
  prevEpoch: number;
  entries: LogEntry[];
}

/** Follower -> leader: "my log matches yours up to matchLsn". */
export interface AppendAckMessage {
  type: "appendAck";
  epoch: number;
  matchLsn: number;
}

/**
 * Follower -> leader: the append was not used.
 * - "stale-epoch": the sender's epoch is lower than the follower's (fencing);
 * - "not-my-leader": the follower follows another node;
 * - "mismatch": the follower's log does not have (prevLsn, prevEpoch); `position` says where it is;
 * - "need-snapshot": the logs differ below what the follower can roll back.
 */
export interface AppendRejectMessage {
  type: "appendReject";
  epoch: number;
  reason: "stale-epoch" | "not-my-leader" | "mismatch" | "need-snapshot";
  /** The follower's current leader, when it has one. */
  leader?: NodeId;
  /** For "mismatch": an entry the follower has, to restart from. */
  position?: LogPosition;
}

/** A log position: an LSN and the epoch of the entry there (0, 0 for an empty log). */
export interface LogPosition {
  lsn: number;
  epoch: number;
}

/** Follower -> leader: "I have your log up to here, send me the changes since". */
export interface SubscribeMessage {
  type: "subscribe";
  epoch: number;
  position: LogPosition;
}

/** New follower -> leader: "send me a consistent snapshot". */
export interface SnapshotRequestMessage {
  type: "snapshotRequest";
  epoch: number;
}

/** Leader -> follower: a consistent snapshot (sent after the configured transfer time). */
export interface SnapshotMessage {
  type: "snapshot";
  epoch: number;
  leader: NodeId;
  snapshot: Snapshot;
}

/** New follower -> leader: "copy me your store as it is, key by key" (no log position). */
export interface NaiveCopyRequestMessage {
  type: "naiveCopyRequest";
  epoch: number;
}

/** Leader -> new follower: one key of the live store, read at the moment it is sent. */
export interface CopyKeyMessage {
  type: "copyKey";
  key: string;
  value: Value;
}

/** Leader -> new follower: the naive copy is over; stream from here on. */
export interface CopyDoneMessage {
  type: "copyDone";
  epoch: number;
  leader: NodeId;
  /** Where the leader's log was when the copy ended (the copy is NOT consistent with it). */
  position: LogPosition;
  sequences: Record<string, number>;
  /** Identifies the copy in records, like a snapshot id. */
  id: string;
}

/**
 * Coordinator -> leader, every heartbeatIntervalMs. The leader answers with a heartbeatReply.
 * `grantSeq` grants a lease measured from when the leader sent its reply to heartbeat `grantSeq`:
 * that moment precedes this heartbeat, so the lease ends before `sent time of this + leaseMs`.
 */
export interface HeartbeatMessage {
  type: "heartbeat";
  epoch: number;
  leader: NodeId;
  seq: number;
  grantSeq?: number;
  /** Highest LSN the coordinator knows the leader acknowledged in this epoch (0: none). */
  knownAckedUpTo: number;
  members: NodeId[];
}

/** Leader -> coordinator. */
export interface HeartbeatReplyMessage {
  type: "heartbeatReply";
  seq: number;
  epoch: number;
  role: Role;
  lastLsn: number;
  lastEpoch: number;
  /** LSNs acknowledged to clients in this epoch, above the heartbeat's knownAckedUpTo. */
  acked: number[];
}

/** Coordinator -> candidate: "what do you have?" */
export interface ProbeMessage {
  type: "probe";
  round: number;
}

/** Candidate -> coordinator. */
export interface ProbeReplyMessage {
  type: "probeReply";
  round: number;
  role: Role;
  epoch: number;
  lastLsn: number;
  lastEpoch: number;
}

/**
 * Coordinator -> chosen node: "lead in this epoch". It doubles as the epoch's first heartbeat
 * (`seq`): the node answers with a heartbeatReply, so the coordinator learns at once that it leads
 * and grants its first lease in the next heartbeat. It grants no lease itself.
 */
export interface PromoteMessage {
  type: "promote";
  epoch: number;
  /** Heartbeat sequence number the node's answer carries. */
  seq: number;
  members: NodeId[];
}

/**
 * Coordinator -> every node but the leader (at each failover and every configIntervalMs): who
 * leads in which epoch, and who the members are. A leader told that another node leads steps down.
 */
export interface ConfigMessage {
  type: "config";
  leader: NodeId;
  epoch: number;
  members: NodeId[];
  /** The leader's last LSN as the coordinator last heard it (0 if unknown): a follower behind it that hears nothing from the leader asks again. */
  leaderLastLsn: number;
}

/** Coordinator -> spare node: join the cluster by copying from the leader. */
export interface JoinMessage {
  type: "join";
  leader: NodeId;
  epoch: number;
  members: NodeId[];
  method: BootstrapMethod;
}

/** Leader -> fenced storage: store this write under my epoch (the fencing token). */
export interface StorageWriteMessage {
  type: "storageWrite";
  epoch: number;
  lsn: number;
  op: LogOp;
}

/** Fenced storage -> leader. */
export interface StorageReplyMessage {
  type: "storageReply";
  lsn: number;
  accepted: boolean;
  /** Highest epoch the storage has seen. */
  epoch: number;
}

/**
 * Coordinator -> fenced storage, when a failover starts: refuse every write from `epoch` or
 * older from now on (STONITH for the data: the old leader is cut off before anyone is promoted).
 */
export interface FenceMessage {
  type: "fence";
  epoch: number;
}

/** Fenced storage -> coordinator: the fence is in place. */
export interface FencedMessage {
  type: "fenced";
  epoch: number;
}

/** Every message of the single-leader model. */
export type SingleLeaderMessage =
  | AppendMessage
  | AppendAckMessage
  | AppendRejectMessage
  | SubscribeMessage
  | SnapshotRequestMessage
  | SnapshotMessage
  | NaiveCopyRequestMessage
  | CopyKeyMessage
  | CopyDoneMessage
  | HeartbeatMessage
  | HeartbeatReplyMessage
  | ProbeMessage
  | ProbeReplyMessage
  | PromoteMessage
  | ConfigMessage
  | JoinMessage
  | StorageWriteMessage
  | StorageReplyMessage
  | FenceMessage
  | FencedMessage;

/** The `type` of every message, for filters in diagrams. */
export type SingleLeaderMessageType = SingleLeaderMessage["type"];
