import type { NodeId } from "../../sim/trace";
import type { ReplicaRecord } from "./concurrency";
import type { VersionVector } from "./siblings";
import type { StoredRecord, Version } from "./versions";

/**
 * Messages between leaderless replicas (discriminated on `type`, which diagrams show). Records
 * are `StoredRecord`s under last write wins and `SiblingState`s in siblings mode.
 */
export type LeaderlessMessage =
  /** Coordinator -> replica: store this record (a fallback keeps it as a hint for `hintFor`). */
  | { type: "write"; reqId: number; key: string; record: ReplicaRecord; hintFor?: NodeId }
  | { type: "writeAck"; reqId: number }
  /** Coordinator -> replica: what do you have for `key`? */
  | { type: "read"; reqId: number; key: string; hintFor?: NodeId }
  | { type: "readReply"; reqId: number; record: ReplicaRecord | undefined }
  /** Read repair: the coordinator sends a stale replica the newer record. */
  | { type: "repair"; key: string; record: ReplicaRecord }
  /** Hinted handoff: a fallback hands a hinted record to its home replica. */
  | { type: "handoff"; key: string; record: ReplicaRecord }
  /** `version` under last write wins; in siblings mode `state` describes what was stored. */
  | { type: "handoffAck"; key: string; version?: Version; state?: string }
  /** Anti-entropy round: the initiator's Merkle tree over the keys both replicas hold. */
  | { type: "aeTree"; round: number; levels: number[][] }
  /** The partner's records in the buckets whose hashes differ, and the hashes the descent compared. */
  | { type: "aeDiff"; round: number; buckets: number[]; hashes: number; records: [string, ReplicaRecord][] }
  /** The initiator's records the partner lacked or had older. */
  | { type: "aePush"; round: number; records: [string, ReplicaRecord][] };

/**
 * What clients send: `put` and `delete` write, `get` reads. In siblings mode a write carries the
 * `context` (version vector) its client read; absent means `{}`: a blind write that overwrites nothing.
 */
export type LeaderlessInput = { key: string; value?: unknown; context?: VersionVector };

/**
 * What a client gets back: the version written, or the value read (null: absent or deleted). In
 * siblings mode a read's `value` is the list of live sibling values (tombstones hidden, in dot
 * order) and `context` is the merged version vector to send with the next write; `version` is
 * undefined.
 */
export type LeaderlessOutput = { value: unknown; version: Version | undefined; context?: VersionVector };

/** A replica's answer to a quorum read, as the quorum policy sees it. */
export interface ReadReply {
  readonly replica: NodeId;
  /** Undefined when the replica has nothing for the key. */
  readonly record: StoredRecord | undefined;
}

/** What a coordinator knows about one write while it waits for acknowledgements. */
export interface WriteQuorumState {
  readonly key: string;
  /** Acknowledgements needed. */
  readonly w: number;
  /** Replicas the write was sent to that count toward the quorum (substitutes included). */
  readonly targets: readonly NodeId[];
  /** Those of them that acknowledged, in arrival order. */
  readonly acks: readonly NodeId[];
  /**
   * Those that answered with an error (they will not acknowledge). The simulated replicas never
   * refuse (a crashed one is silent), so `LeaderlessNode` passes []; other callers may not.
   */
  readonly failures: readonly NodeId[];
  /** True once the request timeout has passed: no more answers will be waited for. */
  readonly timedOut: boolean;
}

/** The coordinator's decision about a write. */
export type WriteDecision = { kind: "wait" } | { kind: "ok" } | { kind: "fail"; reason: string };

/** What a coordinator knows about one read while it waits for replies. */
export interface ReadQuorumState {
  readonly key: string;
  /** Replies needed. */
  readonly r: number;
  /** Replicas asked that count toward the quorum. */
  readonly targets: readonly NodeId[];
  /** Replies so far, in arrival order. */
  readonly replies: readonly ReadReply[];
  /** Replicas that answered with an error. */
  readonly failures: readonly NodeId[];
  /** True once the request timeout has passed. */
  readonly timedOut: boolean;
}

/**
 * The coordinator's decision about a read: keep waiting, answer with the freshest record (and
 * the replicas to repair), or fail.
 */
export type ReadDecision =
  | { kind: "wait" }
  | { kind: "ok"; record: StoredRecord | undefined; repair: NodeId[] }
  | { kind: "fail"; reason: string };

/**
 * How a coordinator decides when a quorum operation is done: the part chapter 06's exercise
 * (`quorum_client`) asks the learner to write. Called after every reply and at the timeout.
 */
export interface QuorumPolicy {
  decideWrite(state: WriteQuorumState): WriteDecision;
  decideRead(state: ReadQuorumState): ReadDecision;
}
