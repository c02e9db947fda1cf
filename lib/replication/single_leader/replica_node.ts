/**
 * A data node of the single-leader model: leader or follower of a replicated key-value store, as
 * an I/O-free state machine (see lib/sim/node.ts).
 *
 * The leader appends each client write to its log (one LSN per write, tagged with its epoch),
 * applies it, streams it to the followers and acknowledges it according to the ack mode. Followers
 * check that each batch continues their log at (prevLsn, prevEpoch), roll back a divergent suffix
 * when a new leader's log disagrees, and acknowledge what they hold. Log, store and epoch live on
 * the node's simulated disk, so a restarted node resumes from its last applied position.
 *
 * Safety rests on three mechanisms, each with a switch so the course can show what breaks:
 * - leases (`leases`): the leader accepts and acknowledges writes only while a lease granted by
 *   the coordinator is valid on its own clock;
 * - fencing (`fencing`): every message carries the sender's epoch; lower epochs are rejected and
 *   a leader that sees a higher epoch steps down (and, with a fenced storage node, every write
 *   must also be accepted there under the leader's epoch);
 * - the coordinator's failover policy (coordinator_node.ts).
 */
import type { ClientRequest, NodeContext, NodeLogic, TimerId } from "../../sim/node";
import type { NodeId } from "../../sim/trace";
import type { AckRule, FollowerAck } from "../ack_rule_types";
import { standardAckRule } from "./ack_rules";
import type { ReplicationSettings } from "./config";
import type { SingleLeaderObserver } from "./observer";
import { formatRefusal } from "./redirect";
import { ReplicaLog } from "./replica_log";
import {
  entryKey,
  type AppendMessage,
  type BootstrapMethod,
  type KvInput,
  type KvOutput,
  type LogEntry,
  type LogOp,
  type LogPosition,
  type Role,
  type SingleLeaderMessage,
  type Snapshot,
  type Value,
  type WriteResult,
} from "./types";

type Ctx = NodeContext<SingleLeaderMessage, KvInput, KvOutput>;

/** What a node keeps on disk besides its log. */
interface Meta {
  /** Highest epoch this node has seen. */
  epoch: number;
  role: Role;
  /** The node it believes leads (itself when leader). */
  leader: NodeId | null;
  /** Data nodes of the cluster, the leader included. */
  members: NodeId[];
  /** For a joining node: how it is copying its first data. */
  joinMethod?: BootstrapMethod;
}

/** The leader's view of one follower (volatile: rebuilt when a node becomes leader). */
export interface FollowerProgress {
  /** Next LSN to send. Invariant: matchLsn < nextLsn. */
  nextLsn: number;
  /** Highest LSN the follower confirmed to hold in this leader's log. */
  matchLsn: number;
  /**
   * "probing": finding where the logs agree (no pipelining); "streaming": every new entry is sent
   * at once; "snapshot": a snapshot is on its way; "copy": a naive copy is running.
   */
  mode: "probing" | "streaming" | "snapshot" | "copy";
  /** Local time of the last message sent to / received from the follower. */
  lastSentMs: number;
  lastHeardMs: number;
}

interface PendingWrite {
  entry: LogEntry;
  request: ClientRequest<KvInput>;
  /** With a fenced storage node: the storage accepted the write. */
  storageOk: boolean;
}

/** Everything a table or a test may want to know about a node, read without changing it. */
export interface ReplicaState {
  id: NodeId;
  role: Role;
  epoch: number;
  leader: NodeId | null;
  members: NodeId[];
  lastLsn: number;
  lastEpoch: number;
  appliedLsn: number;
  /** Entries up to here were folded away (retention or snapshot). */
  baseLsn: number;
  /** The kept log entries, oldest first. */
  log: LogEntry[];
  /** The applied store, keys sorted. */
  store: Record<string, Value>;
  sequences: Record<string, number>;
  /** Leader only: whether it may accept writes right now. */
  writable: boolean;
  /** Leader only: local time its lease ends (-Infinity without one). */
  leaseUntilMs: number;
  /** Leader only: writes waiting for acknowledgement. */
  pendingLsns: number[];
  /** Leader only: per-follower replication progress. */
  followers: Record<NodeId, FollowerProgress>;
  /** Leader in semi-sync mode: fell back to asynchronous acknowledgement. */
  semiSyncDegraded: boolean;
}

/** Construction parameters of a data node (the cluster builder fills them in). */
export interface ReplicaNodeOptions {
  settings: ReplicationSettings;
  /** Initial data nodes; the first one leads epoch 1. */
  members: readonly NodeId[];
  /** A spare node starts idle, outside the cluster, until the coordinator tells it to join. */
  spare: boolean;
  observer?: SingleLeaderObserver;
  /** When a write may be acknowledged (default `standardAckRule`). */
  ackRule?: AckRule;
}

const META = "meta";
const HEARTBEAT_SEQS_KEPT = 64;

/** The leader or a follower of the single-leader key-value store. */
export class ReplicaNode implements NodeLogic<SingleLeaderMessage, KvInput, KvOutput> {
  private ctx!: Ctx;
  private log!: ReplicaLog;
  private meta!: Meta;
  private readonly s: ReplicationSettings;
  private readonly observer: SingleLeaderObserver;
  private readonly ackRule: AckRule;

  // Leader state (volatile).
  private progress = new Map<NodeId, FollowerProgress>();
  private pending: PendingWrite[] = [];
  private leaseUntil = Number.NEGATIVE_INFINITY;
  private leaseTimer: TimerId | undefined;
  private replicateTimer: TimerId | undefined;
  private shipTimer: TimerId | undefined;
  /** Local time at which this node answered each recent heartbeat, by heartbeat seq. */
  private heartbeatAnsweredAt = new Map<number, number>();
  /** LSNs acknowledged in this epoch that the coordinator may not know yet. */
  private ackedLsns: number[] = [];
  private semiSyncDegraded = false;
  private naiveCopies = new Map<NodeId, { cursor: string | undefined; timer: TimerId }>();
  private copySeq = 0;
  private reportedWritable = false;

  // Follower state (volatile).
  private lastLeaderContactMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: ReplicaNodeOptions) {
    this.s = options.settings;
    this.observer = options.observer ?? {};
    this.ackRule = options.ackRule ?? standardAckRule;
  }

  // ---------------------------------------------------------------- lifecycle

  onStart(ctx: Ctx): void {
    this.ctx = ctx;
    this.log = new ReplicaLog(ctx.storage);
    const stored = ctx.storage.get<Meta>(META);
    if (stored !== undefined) {
      this.meta = stored;
      if (stored.role === "leader") {
        // A restarted leader does not resume: it may have lost unsynced writes its followers
        // hold, and writing again in the same epoch would reuse their positions. It waits as a
        // follower; the coordinator replaces it (a new epoch) through a normal failover.
        this.meta = { ...stored, role: "follower", leader: null };
        this.saveMeta();
        ctx.note(`restarted: was leader of epoch ${stored.epoch}; waiting to be told who leads`);
      }
    } else {
      const leader = this.options.members[0] ?? null;
      this.meta = this.options.spare
        ? { epoch: 0, role: "idle", leader: null, members: [...this.options.members] }
        : { epoch: 1, role: ctx.id === leader ? "leader" : "follower", leader, members: [...this.options.members] };
      this.saveMeta();
    }
    this.observer.logChanged?.(ctx.id, { kind: "recovered", baseLsn: this.log.base.lsn, keys: this.log.retainedKeys() });
    this.observer.roleChanged?.(ctx.id, this.meta.role, this.meta.epoch, this.meta.leader);
    if (!this.s.syncOnAppend) ctx.setTimer(this.s.syncIntervalMs, "fsync");

    switch (this.meta.role) {
      case "leader":
        this.startLeading();
        break;
      case "follower":
        if (this.meta.leader !== null) this.subscribe(this.meta.leader);
        break;
      case "joining":
        // The copy was interrupted by the crash: start it again from scratch.
        this.requestCopy(this.meta.joinMethod ?? "snapshot");
        break;
      case "idle":
        break;
    }
  }

  onTimer(ctx: Ctx, name: string, data: unknown): void {
    switch (name) {
      case "fsync":
        ctx.storage.sync();
        ctx.setTimer(this.s.syncIntervalMs, "fsync");
        return;
      case "replicate":
        this.replicateTimer = undefined;
        if (this.meta.role !== "leader") return;
        this.retryReplication();
        // With a finite disconnect timeout, time alone can change the sync follower.
        if (this.pingsFollowers()) this.tryAcknowledge();
        this.replicateTimer = ctx.setTimer(this.s.replicationRetryMs, "replicate");
        return;
      case "ship":
        this.shipTimer = undefined;
        if (this.meta.role !== "leader") return;
        for (const [follower, p] of this.progress) {
          if (p.mode === "streaming" && p.nextLsn <= this.log.lastLsn) this.sendEntries(follower, p, p.nextLsn - 1, this.s.maxBatchEntries);
        }
        if (this.progressBehind()) this.shipTimer = ctx.setTimer(this.s.shipIntervalMs, "ship");
        return;
      case "lease-expired":
        this.leaseTimer = undefined;
        this.updateWritable();
        return;
      case "send-snapshot": {
        const { to, epoch, snapshot } = data as { to: NodeId; epoch: number; snapshot: Snapshot };
        if (this.meta.role !== "leader" || this.meta.epoch !== epoch) return;
        ctx.send(to, { type: "snapshot", epoch, leader: ctx.id, snapshot });
        return;
      }
      case "copy-key":
        this.copyNextKey(data as NodeId);
        return;
      case "semi-sync-timeout":
        this.onSemiSyncTimeout(data as { lsn: number; epoch: number });
        return;
    }
  }

  // ---------------------------------------------------------------- messages

  onMessage(ctx: Ctx, from: NodeId, m: SingleLeaderMessage): void {
    switch (m.type) {
      case "append":
        return this.onAppend(from, m);
      case "appendAck":
        return this.onAppendAck(from, m.epoch, m.matchLsn);
      case "appendReject":
        return this.onAppendReject(from, m);
      case "subscribe":
        return this.onSubscribe(from, m.epoch, m.position);
      case "snapshotRequest":
        return this.onSnapshotRequest(from, m.epoch);
      case "snapshot":
        return this.onSnapshot(from, m.epoch, m.snapshot);
      case "naiveCopyRequest":
        return this.onNaiveCopyRequest(from, m.epoch);
      case "copyKey":
        if (this.meta.role === "joining" && this.meta.joinMethod === "naive") this.log.putRaw(m.key, m.value);
        return;
      case "copyDone":
        return this.onCopyDone(from, m.epoch, m.position, m.sequences, m.id);
      case "heartbeat":
        return this.onHeartbeat(from, m);
      case "probe":
        this.observer.probeAnswered?.(ctx.id, m.round);
        ctx.send(from, {
          type: "probeReply",
          round: m.round,
          role: this.meta.role,
          epoch: this.meta.epoch,
          lastLsn: this.log.lastLsn,
          lastEpoch: this.log.lastEpoch,
        });
        return;
      case "promote":
        this.onPromote(m.epoch, m.members);
        // Answered like a heartbeat: as leader if the promote took, otherwise with our own epoch
        // (older: the coordinator sends it again; newer: the coordinator is behind).
        return this.onHeartbeat(from, { type: "heartbeat", epoch: m.epoch, leader: ctx.id, seq: m.seq, knownAckedUpTo: 0, members: m.members });
      case "config":
        return this.onConfig(m.leader, m.epoch, m.members, m.leaderLastLsn);
      case "join":
        return this.onJoin(m.leader, m.epoch, m.members, m.method);
      case "storageReply":
        return this.onStorageReply(m.lsn, m.accepted, m.epoch);
      case "heartbeatReply":
      case "probeReply":
      case "storageWrite":
      case "fence":
      case "fenced":
        return; // addressed to the coordinator or the storage node
    }
  }

  // ---------------------------------------------------------------- client requests

  onClientRequest(ctx: Ctx, request: ClientRequest<KvInput>): void {
    const input = (request.input ?? {}) as KvInput;
    switch (request.f) {
      case "read": {
        if (typeof input.key !== "string") return this.badRequest(request, 'read needs { key: "..." }');
        ctx.reply(request, {
          ok: true,
          value: { node: ctx.id, role: this.meta.role, value: this.log.kv.get(input.key) ?? null, appliedLsn: this.log.appliedLsn },
        });
        return;
      }
      case "write":
        if (typeof input.key !== "string" || input.value === undefined) {
          return this.badRequest(request, 'write needs { key: "...", value: ... }');
        }
        return this.acceptWrite(request, { kind: "set", key: input.key, value: input.value });
      case "delete":
        if (typeof input.key !== "string") return this.badRequest(request, 'delete needs { key: "..." }');
        return this.acceptWrite(request, { kind: "delete", key: input.key });
      case "insert": {
        if (typeof input.table !== "string" || input.value === undefined) {
          return this.badRequest(request, 'insert needs { table: "...", value: ... }');
        }
        const id = (this.log.sequences.get(input.table) ?? 0) + 1;
        return this.acceptWrite(request, { kind: "insert", table: input.table, id, key: `${input.table}:${id}`, value: input.value });
      }
      default:
        return this.badRequest(request, `unknown operation "${request.f}"; use write, delete, insert or read`);
    }
  }

  private badRequest(request: ClientRequest<KvInput>, text: string): void {
    this.ctx.reply(request, { ok: false, error: formatRefusal("bad-request", text, this.meta.leader, this.meta.epoch) });
  }

  private acceptWrite(request: ClientRequest<KvInput>, op: LogOp): void {
    const ctx = this.ctx;
    if (this.meta.role !== "leader") {
      ctx.reply(request, {
        ok: false,
        error: formatRefusal("not-leader", `${ctx.id} is ${this.meta.role === "follower" ? "a follower" : this.meta.role}`, this.meta.leader, this.meta.epoch),
      });
      return;
    }
    if (!this.leaseValid()) {
      ctx.reply(request, {
        ok: false,
        error: formatRefusal("no-lease", `${ctx.id} leads epoch ${this.meta.epoch} but holds no valid lease`, ctx.id, this.meta.epoch),
      });
      return;
    }
    const entry: LogEntry = { lsn: this.log.lastLsn + 1, epoch: this.meta.epoch, origin: ctx.id, op };
    this.appendLocal([entry]);
    this.observer.writeAccepted?.(ctx.id, entry);
    const write: PendingWrite = { entry, request, storageOk: this.s.storageId === undefined };
    this.pending.push(write);
    if (this.s.storageId !== undefined) {
      ctx.send(this.s.storageId, { type: "storageWrite", epoch: this.meta.epoch, lsn: entry.lsn, op });
    }
    if (this.s.mode === "semi-sync" && this.s.semiSync.fallback === "async" && !this.semiSyncDegraded) {
      ctx.setTimer(this.s.semiSync.fallbackAfterMs, "semi-sync-timeout", { lsn: entry.lsn, epoch: this.meta.epoch });
    }
    if (this.s.shipIntervalMs > 0) {
      if (this.shipTimer === undefined) this.shipTimer = ctx.setTimer(this.s.shipIntervalMs, "ship");
    } else {
      for (const [follower, p] of this.progress) {
        if (p.mode === "streaming" && p.nextLsn === entry.lsn) this.sendEntries(follower, p, entry.lsn - 1, 1);
      }
    }
    this.tryAcknowledge();
  }

  // ---------------------------------------------------------------- leader: acknowledgements

  /** Answers every pending write whose acknowledgement rule is met (and the lease still holds). */
  private tryAcknowledge(): void {
    if (this.meta.role !== "leader" || this.pending.length === 0 || !this.leaseValid()) return;
    const still: PendingWrite[] = [];
    const followers = this.followerAcks();
    for (const w of this.pending) {
      const decision = w.storageOk ? this.replicatedEnough(w.entry.lsn, followers) : undefined;
      if (decision !== undefined && decision.acknowledge) {
        const result: WriteResult = { leader: this.ctx.id, epoch: w.entry.epoch, lsn: w.entry.lsn };
        if (w.entry.op.kind === "insert") result.id = w.entry.op.id;
        this.ctx.reply(w.request, { ok: true, value: result });
        this.ackedLsns.push(w.entry.lsn);
        this.observer.writeAcknowledged?.(this.ctx.id, w.entry, decision.durableOn);
      } else {
        still.push(w);
      }
    }
    this.pending = still;
  }

  /** Asks the acknowledgement rule (a semi-sync leader that fell back to async acknowledges anyway). */
  private replicatedEnough(lsn: number, followers: FollowerAck[]): { acknowledge: boolean; durableOn: NodeId[] } {
    const decision = this.ackRule.decideAck({
      mode: this.s.mode,
      leader: this.ctx.id,
      lsn,
      followers: followers.map((f) => ({ ...f })),
      preferredSyncFollower: this.s.semiSync.follower,
    });
    const durableOn = Array.isArray(decision?.durableOn) ? [...decision.durableOn] : [];
    const degraded = this.s.mode === "semi-sync" && this.semiSyncDegraded;
    return { acknowledge: degraded || decision?.acknowledge === true, durableOn };
  }

  /**
   * The leader's followers in member order, with what each acknowledged and whether it counts as
   * connected: heard from at all, and within `semiSync.disconnectAfterMs` when that is finite.
   */
  private followerAcks(): FollowerAck[] {
    const now = this.ctx.now();
    return this.meta.members
      .filter((m) => m !== this.ctx.id)
      .map((id) => {
        const p = this.progress.get(id);
        const heard = p?.lastHeardMs ?? Number.NEGATIVE_INFINITY;
        return { id, ackedLsn: p?.matchLsn ?? 0, connected: Number.isFinite(heard) && now - heard <= this.s.semiSync.disconnectAfterMs };
      });
  }

  /**
   * The semi-synchronous follower, as the acknowledgement rule chooses it: the configured one while
   * it is a connected follower, otherwise (e.g. after a failover that promoted it) the first
   * connected follower, like PostgreSQL's `FIRST 1 (...)` list. Undefined means "any one follower".
   */
  private syncFollower(): NodeId | undefined {
    return this.ackRule.chooseSyncFollower(this.followerAcks(), this.s.semiSync.follower);
  }

  /** Semi-sync with a finite disconnect timeout: the leader pings idle followers to tell who is up. */
  private pingsFollowers(): boolean {
    return this.s.mode === "semi-sync" && Number.isFinite(this.s.semiSync.disconnectAfterMs);
  }

  private onSemiSyncTimeout(data: { lsn: number; epoch: number }): void {
    if (this.meta.role !== "leader" || this.meta.epoch !== data.epoch || this.semiSyncDegraded) return;
    if (!this.pending.some((w) => w.entry.lsn === data.lsn)) return;
    this.semiSyncDegraded = true;
    this.ctx.note(`semi-sync: no ack from the sync follower within ${this.s.semiSync.fallbackAfterMs} ms; falling back to async`);
    this.tryAcknowledge();
  }

  // ---------------------------------------------------------------- leader: replication

  private startLeading(): void {
    this.progress.clear();
    this.pending = [];
    this.ackedLsns = [];
    this.semiSyncDegraded = false;
    this.heartbeatAnsweredAt.clear();
    this.clearLease();
    for (const m of this.meta.members) if (m !== this.ctx.id) this.progress.set(m, this.freshProgress());
    // An empty append at our last position tells each follower who leads and finds where its log
    // agrees with ours.
    for (const [f, p] of this.progress) this.sendEntries(f, p, this.log.lastLsn, 0);
    if (this.replicateTimer === undefined) this.replicateTimer = this.ctx.setTimer(this.s.replicationRetryMs, "replicate");
    this.updateWritable();
  }

  /** Some streaming follower has not been sent the whole log yet. */
  private progressBehind(): boolean {
    for (const p of this.progress.values()) if (p.mode === "streaming" && p.nextLsn <= this.log.lastLsn) return true;
    return false;
  }

  private freshProgress(): FollowerProgress {
    return {
      nextLsn: this.log.lastLsn + 1,
      matchLsn: 0,
      mode: "probing",
      lastSentMs: Number.NEGATIVE_INFINITY,
      lastHeardMs: Number.NEGATIVE_INFINITY,
    };
  }

  private progressOf(follower: NodeId): FollowerProgress {
    let p = this.progress.get(follower);
    if (p === undefined) {
      p = this.freshProgress();
      this.progress.set(follower, p);
    }
    return p;
  }

  /** Sends up to `count` entries after `prevLsn` (0 entries: a position probe). */
  private sendEntries(follower: NodeId, p: FollowerProgress, prevLsn: number, count: number): void {
    if (prevLsn < this.log.base.lsn) {
      this.startSnapshot(follower);
      return;
    }
    const entries = count > 0 ? this.log.entriesFrom(prevLsn + 1, count) : [];
    const message: AppendMessage = {
      type: "append",
      epoch: this.meta.epoch,
      leader: this.ctx.id,
      prevLsn,
      prevEpoch: this.log.epochAt(prevLsn) ?? 0,
      entries,
    };
    p.nextLsn = prevLsn + entries.length + 1;
    p.lastSentMs = this.ctx.now();
    this.ctx.send(follower, message);
  }

  /** Periodic: resend to followers that are behind and silent, so lost messages are repaired. */
  private retryReplication(): void {
    const now = this.ctx.now();
    for (const [f, p] of this.progress) {
      if (p.mode === "copy") continue;
      if (p.mode === "snapshot") {
        // A snapshot that never led to a subscribe (lost, or the follower crashed): try again.
        if (now - p.lastSentMs < this.s.snapshotTransferMs + 4 * this.s.replicationRetryMs) continue;
        p.mode = "probing";
      }
      // Repair only what went out and was not confirmed, a follower never heard from, or a
      // catch-up that stalled. Entries not shipped yet are the ship timer's business.
      const unconfirmed = p.matchLsn < p.nextLsn - 1;
      const neverHeard = p.lastHeardMs === Number.NEGATIVE_INFINITY;
      const stalled = p.mode !== "streaming" && p.matchLsn < this.log.lastLsn;
      if (!(unconfirmed || neverHeard || stalled) || now - p.lastSentMs < this.s.replicationRetryMs) {
        // An idle, caught-up follower gets an empty append, so its answer shows it is still up.
        if (this.pingsFollowers() && p.mode === "streaming" && !unconfirmed && now - p.lastSentMs >= this.s.replicationRetryMs) {
          this.sendEntries(f, p, p.nextLsn - 1, 0);
        }
        continue;
      }
      if (p.lastHeardMs === Number.NEGATIVE_INFINITY) this.sendEntries(f, p, this.log.lastLsn, 0);
      else this.sendEntries(f, p, p.matchLsn, this.s.maxBatchEntries);
    }
  }

  private onAppendAck(from: NodeId, epoch: number, matchLsn: number): void {
    if (this.meta.role !== "leader") return;
    if (this.s.fencing && epoch > this.meta.epoch) return this.stepDown(epoch, null, `${from} is in epoch ${epoch}`);
    if (this.s.fencing && epoch < this.meta.epoch) return; // an answer to a previous leadership
    const p = this.progressOf(from);
    if (p.mode === "snapshot" || p.mode === "copy") return;
    p.lastHeardMs = this.ctx.now();
    p.matchLsn = Math.max(p.matchLsn, matchLsn);
    if (p.nextLsn <= p.matchLsn) p.nextLsn = p.matchLsn + 1;
    if (p.mode === "probing") p.mode = "streaming";
    // Nothing else in flight and more to send: continue the catch-up.
    if (p.nextLsn === matchLsn + 1 && matchLsn < this.log.lastLsn) {
      if (this.s.shipIntervalMs === 0) this.sendEntries(from, p, matchLsn, this.s.maxBatchEntries);
      else if (this.shipTimer === undefined) this.shipTimer = this.ctx.setTimer(this.s.shipIntervalMs, "ship");
    }
    if (this.semiSyncDegraded && from === this.syncFollower() && p.matchLsn >= this.log.lastLsn) {
      this.semiSyncDegraded = false;
      this.ctx.note(`semi-sync: ${from} caught up; acknowledging synchronously again`);
    }
    this.tryAcknowledge();
  }

  private onAppendReject(from: NodeId, m: Extract<SingleLeaderMessage, { type: "appendReject" }>): void {
    if (this.meta.role !== "leader") return;
    if (this.s.fencing && m.epoch > this.meta.epoch) {
      return this.stepDown(m.epoch, m.leader ?? null, `${from} rejected epoch ${this.meta.epoch}: it is in epoch ${m.epoch}`);
    }
    const p = this.progressOf(from);
    p.lastHeardMs = this.ctx.now();
    switch (m.reason) {
      case "mismatch":
        if (m.position !== undefined) this.resync(from, m.position);
        return;
      case "need-snapshot":
        this.startSnapshot(from);
        return;
      case "stale-epoch":
      case "not-my-leader":
        // Without fencing the leader does not learn from this: it keeps trying (split brain).
        return;
    }
  }

  /**
   * A follower says its log has an entry at `position`. Finds the last position both logs agree
   * on (as far as epochs tell: Kafka's leader-epoch rule) and sends from there; entries sent cover
   * the follower's reported position so it can detect and roll back a divergent suffix.
   */
  private resync(follower: NodeId, position: LogPosition): void {
    const p = this.progressOf(follower);
    const end = this.log.endOfEpochAtMost(position.epoch);
    if (end === undefined) return this.startSnapshot(follower);
    const agreed = Math.min(position.lsn, end, this.log.lastLsn);
    if (agreed < this.log.base.lsn) return this.startSnapshot(follower);
    p.mode = "probing";
    this.sendEntries(follower, p, agreed, Math.max(this.s.maxBatchEntries, position.lsn - agreed));
  }

  private onSubscribe(from: NodeId, epoch: number, position: LogPosition): void {
    if (this.meta.role !== "leader") {
      // Tell the follower who leads now (an empty reject carries our view).
      this.ctx.send(from, { type: "appendReject", epoch: this.meta.epoch, reason: "not-my-leader", ...(this.meta.leader ? { leader: this.meta.leader } : {}) });
      return;
    }
    if (this.s.fencing && epoch > this.meta.epoch) return this.stepDown(epoch, null, `${from} subscribed in epoch ${epoch}`);
    const p = this.progressOf(from);
    p.lastHeardMs = this.ctx.now();
    this.resync(from, position);
  }

  // ---------------------------------------------------------------- leader: bootstrap copies

  private onSnapshotRequest(from: NodeId, epoch: number): void {
    if (this.meta.role !== "leader") return;
    if (this.s.fencing && epoch > this.meta.epoch) return this.stepDown(epoch, null, `${from} asked for a snapshot in epoch ${epoch}`);
    this.startSnapshot(from);
  }

  /** Takes a consistent snapshot now and delivers it after the transfer time; writes go on meanwhile. */
  private startSnapshot(follower: NodeId): void {
    const p = this.progressOf(follower);
    if (p.mode === "snapshot") return;
    p.mode = "snapshot";
    p.lastSentMs = this.ctx.now();
    const id = `${this.ctx.id}/snapshot/${++this.copySeq}`;
    const snapshot = this.log.snapshot(id);
    this.observer.copyTaken?.(this.ctx.id, id, snapshot.lsn, follower);
    this.ctx.note(`snapshot ${id} at lsn ${snapshot.lsn} for ${follower}`);
    this.ctx.setTimer(this.s.snapshotTransferMs, "send-snapshot", { to: follower, epoch: this.meta.epoch, snapshot });
  }

  private onNaiveCopyRequest(from: NodeId, epoch: number): void {
    if (this.meta.role !== "leader") return;
    if (this.s.fencing && epoch > this.meta.epoch) return this.stepDown(epoch, null, `${from} asked for a copy in epoch ${epoch}`);
    const running = this.naiveCopies.get(from);
    if (running !== undefined) this.ctx.cancelTimer(running.timer);
    this.progressOf(from).mode = "copy";
    this.naiveCopies.set(from, { cursor: undefined, timer: this.ctx.setTimer(0, "copy-key", from) });
  }

  /** Sends the next key (in key order) of the store as it is right now, like `cp` on a live data directory. */
  private copyNextKey(to: NodeId): void {
    const copy = this.naiveCopies.get(to);
    if (copy === undefined) return;
    if (this.meta.role !== "leader") {
      this.naiveCopies.delete(to);
      return;
    }
    let next: string | undefined;
    for (const k of this.log.kv.keys()) {
      if ((copy.cursor === undefined || k > copy.cursor) && (next === undefined || k < next)) next = k;
    }
    if (next !== undefined) {
      copy.cursor = next;
      this.ctx.send(to, { type: "copyKey", key: next, value: this.log.kv.get(next) as Value });
      copy.timer = this.ctx.setTimer(this.s.naiveCopyKeyIntervalMs, "copy-key", to);
      return;
    }
    this.naiveCopies.delete(to);
    const id = `${this.ctx.id}/naive-copy/${++this.copySeq}`;
    this.observer.copyTaken?.(this.ctx.id, id, this.log.lastLsn, to);
    const p = this.progressOf(to);
    p.mode = "probing";
    p.lastSentMs = this.ctx.now();
    this.ctx.send(to, {
      type: "copyDone",
      epoch: this.meta.epoch,
      leader: this.ctx.id,
      position: this.log.lastPosition,
      sequences: Object.fromEntries(this.log.sequences),
      id,
    });
  }

  // ---------------------------------------------------------------- leader: lease and storage

  private leaseValid(): boolean {
    return !this.s.leases || this.ctx.now() < this.leaseUntil;
  }

  private clearLease(): void {
    this.leaseUntil = Number.NEGATIVE_INFINITY;
    if (this.leaseTimer !== undefined) this.ctx.cancelTimer(this.leaseTimer);
    this.leaseTimer = undefined;
  }

  private extendLease(untilMs: number): void {
    if (untilMs <= this.leaseUntil) return;
    this.leaseUntil = untilMs;
    if (this.leaseTimer !== undefined) this.ctx.cancelTimer(this.leaseTimer);
    const remaining = untilMs - this.ctx.now();
    this.leaseTimer = remaining > 0 ? this.ctx.setTimer(remaining, "lease-expired") : undefined;
    this.updateWritable();
    this.tryAcknowledge();
  }

  /** Reports writability changes to the observer (for downtime accounting). */
  private updateWritable(): void {
    // A timer set for the lease's end may read a clock a hair short of it: count that as expired.
    const writable = this.meta.role === "leader" && (!this.s.leases || this.ctx.now() < this.leaseUntil - 1e-9);
    if (writable === this.reportedWritable) return;
    this.reportedWritable = writable;
    this.observer.writableChanged?.(this.ctx.id, this.meta.epoch, writable);
  }

  private onStorageReply(lsn: number, accepted: boolean, epoch: number): void {
    if (this.meta.role !== "leader") return;
    if (!accepted) {
      if (this.s.fencing && epoch > this.meta.epoch) this.stepDown(epoch, null, `the fenced storage is in epoch ${epoch}`);
      return;
    }
    const w = this.pending.find((p) => p.entry.lsn === lsn);
    if (w === undefined) return;
    w.storageOk = true;
    this.tryAcknowledge();
  }

  // ---------------------------------------------------------------- coordinator messages

  private onHeartbeat(from: NodeId, m: Extract<SingleLeaderMessage, { type: "heartbeat" }>): void {
    if (this.meta.role === "idle" || this.meta.role === "joining") return;
    this.setMembers(m.members);
    if (m.leader !== this.ctx.id) {
      // The coordinator thinks someone else leads.
      if (!this.s.fencing || m.epoch >= this.meta.epoch) this.learnLeader(m.leader, m.epoch, "the coordinator's heartbeat names another leader");
    }
    // A heartbeat naming us leader of a newer epoch means its promote was lost. We do not adopt
    // that epoch here: answering with our older one is how the coordinator knows to resend it.
    const leading = this.meta.role === "leader" && m.leader === this.ctx.id && (!this.s.fencing || m.epoch === this.meta.epoch);
    if (leading) {
      this.ackedLsns = this.ackedLsns.filter((lsn) => lsn > m.knownAckedUpTo);
      // Keep the first answer: a duplicated heartbeat answered later must not move the start of
      // a lease past the moment the coordinator's grant assumes.
      if (!this.heartbeatAnsweredAt.has(m.seq)) this.heartbeatAnsweredAt.set(m.seq, this.ctx.now());
      if (this.heartbeatAnsweredAt.size > HEARTBEAT_SEQS_KEPT) {
        const oldest = this.heartbeatAnsweredAt.keys().next().value as number;
        this.heartbeatAnsweredAt.delete(oldest);
      }
    }
    this.ctx.send(from, {
      type: "heartbeatReply",
      seq: m.seq,
      epoch: this.meta.epoch,
      role: this.meta.role,
      lastLsn: this.log.lastLsn,
      lastEpoch: this.log.lastEpoch,
      acked: leading ? [...this.ackedLsns] : [],
    });
    if (leading && m.grantSeq !== undefined) {
      // The lease runs from when we answered heartbeat `grantSeq`: that is before the coordinator
      // sent this one, so our lease ends before (this heartbeat's send time + leaseMs), as the
      // coordinator assumes (up to clock drift).
      const answeredAt = this.heartbeatAnsweredAt.get(m.grantSeq);
      if (answeredAt !== undefined) this.extendLease(answeredAt + this.s.leaseMs);
    }
  }

  private onPromote(epoch: number, members: NodeId[]): void {
    if (this.s.fencing && epoch < this.meta.epoch) {
      this.ctx.note(`ignoring promote to epoch ${epoch}: already in epoch ${this.meta.epoch}`);
      return;
    }
    if (this.meta.role === "leader" && this.meta.epoch === epoch) return; // a duplicate
    this.meta = { ...this.meta, epoch, role: "leader", leader: this.ctx.id, members: [...members] };
    delete this.meta.joinMethod;
    this.saveMeta();
    this.ctx.note(`promoted: leader of epoch ${epoch}`);
    this.observer.roleChanged?.(this.ctx.id, "leader", epoch, this.ctx.id);
    this.startLeading();
  }

  private onConfig(leader: NodeId, epoch: number, members: NodeId[], leaderLastLsn: number): void {
    if (this.meta.role === "idle" || this.meta.role === "joining") return;
    this.setMembers(members);
    if (this.s.fencing && epoch < this.meta.epoch) return;
    if (leader === this.ctx.id) return; // a promote may still be on its way
    const changed = this.learnLeader(leader, epoch, `the coordinator names ${leader} leader of epoch ${epoch}`);
    // A follower behind its leader that has not heard from it for a while (its subscribe was
    // lost, say) asks again.
    const silent = this.ctx.now() - this.lastLeaderContactMs > this.s.configIntervalMs;
    if (!changed && this.meta.role === "follower" && silent && this.log.lastLsn < leaderLastLsn) {
      this.subscribe(leader);
    }
  }

  private onJoin(leader: NodeId, epoch: number, members: NodeId[], method: BootstrapMethod): void {
    if (this.meta.role !== "idle") return;
    this.meta = { epoch, role: "joining", leader, members: [...members], joinMethod: method };
    this.saveMeta();
    this.observer.roleChanged?.(this.ctx.id, "joining", epoch, leader);
    this.requestCopy(method);
  }

  private requestCopy(method: BootstrapMethod): void {
    if (this.meta.leader === null) return;
    this.ctx.send(this.meta.leader, method === "snapshot" ? { type: "snapshotRequest", epoch: this.meta.epoch } : { type: "naiveCopyRequest", epoch: this.meta.epoch });
  }

  // ---------------------------------------------------------------- follower side

  /**
   * Decides whether a message from a would-be leader is to be followed. Returns a rejection
   * reason, or undefined when `from` is (now) this node's leader.
   */
  private admitLeader(from: NodeId, epoch: number): "stale-epoch" | "not-my-leader" | undefined {
    if (this.s.fencing) {
      if (epoch < this.meta.epoch) return "stale-epoch";
      if (epoch > this.meta.epoch) {
        this.learnLeader(from, epoch, `${from} leads epoch ${epoch}`, false);
        return undefined;
      }
    }
    if (this.meta.role === "leader") return "not-my-leader";
    if (this.meta.leader === null) {
      this.learnLeader(from, epoch, `${from} is the first leader heard of`, false);
      return undefined;
    }
    return this.meta.leader === from ? undefined : "not-my-leader";
  }

  private onAppend(from: NodeId, m: AppendMessage): void {
    if (this.meta.role === "idle" || this.meta.role === "joining") return;
    const refusal = this.admitLeader(from, m.epoch);
    if (refusal !== undefined) {
      this.ctx.send(from, { type: "appendReject", epoch: this.meta.epoch, reason: refusal, ...(this.meta.leader ? { leader: this.meta.leader } : {}) });
      return;
    }
    this.lastLeaderContactMs = this.ctx.now();
    let prevLsn = m.prevLsn;
    let prevEpoch = m.prevEpoch;
    let entries = m.entries;
    const base = this.log.base;

    if (prevLsn < base.lsn) {
      // The batch starts inside what this node folded away: skip to the base, checking it.
      const atBase = entries[base.lsn - prevLsn - 1];
      if (atBase === undefined) return this.reject(from, "mismatch", this.log.lastPosition);
      if (atBase.epoch !== base.epoch) return this.reject(from, "need-snapshot");
      entries = entries.slice(base.lsn - prevLsn);
      prevLsn = base.lsn;
      prevEpoch = base.epoch;
    }
    if (prevLsn > this.log.lastLsn) return this.reject(from, "mismatch", this.log.lastPosition);
    if (this.log.epochAt(prevLsn) !== prevEpoch) {
      if (prevLsn === base.lsn) return this.reject(from, "need-snapshot");
      return this.reject(from, "mismatch", this.log.positionBeforeRun(prevLsn));
    }

    // The logs agree up to prevLsn. Skip entries we already have; roll back from the first conflict.
    let i = 0;
    for (; i < entries.length; i++) {
      const mine = this.log.epochAt(entries[i]!.lsn);
      if (mine === undefined) break;
      if (mine !== entries[i]!.epoch) {
        if (!this.truncateAfter(entries[i]!.lsn - 1)) return this.reject(from, "need-snapshot");
        break;
      }
    }
    const matchLsn = prevLsn + entries.length;
    // Entries after the batch that come from an older epoch than the leader's were never written
    // by this leader: the sender computed prevLsn from our reported position, so they diverge.
    if (this.log.lastLsn > matchLsn && this.log.lastEpoch < m.epoch) {
      if (!this.truncateAfter(matchLsn)) return this.reject(from, "need-snapshot");
    }
    if (i < entries.length) this.appendLocal(entries.slice(i));
    else if (this.s.syncOnAppend) this.ctx.storage.sync();
    this.ctx.send(from, { type: "appendAck", epoch: this.meta.epoch, matchLsn });
  }

  private reject(to: NodeId, reason: "mismatch" | "need-snapshot", position?: LogPosition): void {
    this.ctx.send(to, { type: "appendReject", epoch: this.meta.epoch, reason, ...(position ? { position } : {}) });
  }

  private onSnapshot(from: NodeId, epoch: number, snapshot: Snapshot): void {
    if (this.meta.role === "idle") return;
    if (this.meta.role === "joining") {
      if (this.meta.joinMethod !== "snapshot") return;
    } else if (this.admitLeader(from, epoch) !== undefined) {
      return;
    } else if (snapshot.lsn <= this.log.lastLsn && this.log.epochAt(snapshot.lsn) === snapshot.lsnEpoch) {
      // A late copy of a snapshot we are already past: installing it would move us backwards.
      this.subscribe(from);
      return;
    }
    this.log.installSnapshot(snapshot);
    this.observer.logChanged?.(this.ctx.id, { kind: "reset", source: from, copyId: snapshot.id, lsn: snapshot.lsn });
    this.ctx.note(`installed snapshot ${snapshot.id} at lsn ${snapshot.lsn}`);
    this.becomeFollowerAfterCopy(from, epoch);
  }

  private onCopyDone(from: NodeId, epoch: number, position: LogPosition, sequences: Record<string, number>, id: string): void {
    if (this.meta.role !== "joining" || this.meta.joinMethod !== "naive") return;
    this.log.startAt(position, sequences);
    this.observer.logChanged?.(this.ctx.id, { kind: "reset", source: from, copyId: id, lsn: position.lsn });
    this.ctx.note(`naive copy done; streaming from lsn ${position.lsn}`);
    this.becomeFollowerAfterCopy(from, epoch);
  }

  private becomeFollowerAfterCopy(leader: NodeId, epoch: number): void {
    const wasJoining = this.meta.role === "joining";
    this.meta = { ...this.meta, role: "follower", leader, epoch: Math.max(epoch, this.meta.epoch) };
    delete this.meta.joinMethod;
    this.saveMeta();
    if (wasJoining) this.observer.roleChanged?.(this.ctx.id, "follower", this.meta.epoch, leader);
    this.subscribe(leader);
  }

  private subscribe(leader: NodeId): void {
    if (leader === this.ctx.id) return;
    this.ctx.send(leader, { type: "subscribe", epoch: this.meta.epoch, position: this.log.lastPosition });
  }

  // ---------------------------------------------------------------- role changes

  /**
   * Follows `leader` in `epoch` if that is news. A leader told of another leader steps down.
   * Returns whether anything changed.
   */
  private learnLeader(leader: NodeId, epoch: number, why: string, resubscribe = true): boolean {
    if (leader === this.ctx.id) return false;
    const newEpoch = Math.max(epoch, this.meta.epoch);
    if (this.meta.leader === leader && this.meta.epoch === newEpoch && this.meta.role === "follower") return false;
    if (this.meta.role === "leader") {
      this.stepDown(newEpoch, leader, why);
      return true;
    }
    this.meta = { ...this.meta, epoch: newEpoch, leader };
    this.saveMeta();
    this.observer.roleChanged?.(this.ctx.id, this.meta.role, newEpoch, leader);
    if (resubscribe && this.meta.role === "follower") this.subscribe(leader);
    return true;
  }

  /** Stops leading: pending writes get no answer (they may or may not survive), the lease is dropped. */
  private stepDown(epoch: number, leader: NodeId | null, why: string): void {
    if (this.meta.role !== "leader") return;
    this.ctx.note(`stepping down from epoch ${this.meta.epoch}: ${why}`);
    this.meta = { ...this.meta, role: "follower", epoch: Math.max(epoch, this.meta.epoch), leader: leader === this.ctx.id ? null : leader };
    this.saveMeta();
    this.pending = [];
    this.progress.clear();
    this.clearLease();
    for (const copy of this.naiveCopies.values()) this.ctx.cancelTimer(copy.timer);
    this.naiveCopies.clear();
    if (this.replicateTimer !== undefined) this.ctx.cancelTimer(this.replicateTimer);
    this.replicateTimer = undefined;
    if (this.shipTimer !== undefined) this.ctx.cancelTimer(this.shipTimer);
    this.shipTimer = undefined;
    this.observer.roleChanged?.(this.ctx.id, "follower", this.meta.epoch, this.meta.leader);
    this.updateWritable();
    if (this.meta.leader !== null) this.subscribe(this.meta.leader);
  }

  private setMembers(members: NodeId[]): void {
    if (members.length === this.meta.members.length && members.every((m, i) => m === this.meta.members[i])) return;
    this.meta = { ...this.meta, members: [...members] };
    this.saveMeta();
    if (this.meta.role === "leader") for (const m of members) if (m !== this.ctx.id) this.progressOf(m);
  }

  // ---------------------------------------------------------------- disk

  private appendLocal(entries: LogEntry[]): void {
    const fromLsn = entries[0]!.lsn;
    this.log.append(entries);
    this.log.compact(this.s.logRetentionEntries);
    if (this.s.syncOnAppend) this.ctx.storage.sync();
    this.observer.logChanged?.(this.ctx.id, { kind: "append", fromLsn, keys: entries.map((e) => entryKey(e.origin, e.epoch, e.lsn)) });
  }

  private truncateAfter(lsn: number): boolean {
    const removed = this.log.lastLsn - lsn;
    if (!this.log.truncateAfter(lsn)) return false;
    if (removed > 0) {
      this.ctx.note(`rolled back ${removed} divergent entr${removed === 1 ? "y" : "ies"} after lsn ${lsn}`);
      this.observer.logChanged?.(this.ctx.id, { kind: "truncate", afterLsn: lsn });
    }
    return true;
  }

  private saveMeta(): void {
    this.ctx.storage.put(META, this.meta);
    // Epoch and role changes are always made durable at once: forgetting an epoch would let a
    // node accept a deposed leader again after a crash.
    this.ctx.storage.sync();
  }

  // ---------------------------------------------------------------- inspection

  /** A read-only description of this node (for tables and tests). */
  inspect(): ReplicaState {
    const followers: Record<NodeId, FollowerProgress> = {};
    for (const [f, p] of this.progress) followers[f] = { ...p };
    const store: Record<string, Value> = {};
    for (const k of [...this.log.kv.keys()].sort()) store[k] = this.log.kv.get(k) as Value;
    return {
      id: this.ctx.id,
      role: this.meta.role,
      epoch: this.meta.epoch,
      leader: this.meta.leader,
      members: [...this.meta.members],
      lastLsn: this.log.lastLsn,
      lastEpoch: this.log.lastEpoch,
      appliedLsn: this.log.appliedLsn,
      baseLsn: this.log.base.lsn,
      log: this.log.retainedEntries(),
      store,
      sequences: Object.fromEntries([...this.log.sequences].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
      writable: this.meta.role === "leader" && this.leaseValid(),
      leaseUntilMs: this.leaseUntil,
      pendingLsns: this.pending.map((w) => w.entry.lsn),
      followers,
      semiSyncDegraded: this.semiSyncDegraded,
    };
  }
}
