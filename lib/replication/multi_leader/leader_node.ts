/**
 * One leader of a multi-leader cluster, as an I/O-free state machine. It accepts client writes
 * at once (no other leader is asked), then replicates them asynchronously along the topology:
 *
 * - every copy carries `passed`, the leaders it went through; the router never sends a copy back
 *   to one of them, so a ring stops after one lap;
 * - each link is reliable by retransmission: a copy stays in the sender's outbox until the
 *   neighbour acknowledges it, and is re-sent every `resendIntervalMs` (an offline phone gets
 *   everything once it reconnects);
 * - with `causalDelivery`, a write is held back until the leader has applied every write its
 *   version vector (`deps`) says came before it: an update can no longer overtake its insert.
 *
 * Conflicts are detected here, late: only when a replicated write arrives at a leader that already
 * holds a concurrent write to the same key.
 */
import type { ClientRequest, NodeContext, NodeLogic, TimerId } from "../../sim/node";
import type { NodeId } from "../../sim/trace";
import { resolveSiblings, type ConflictPolicy, type ConflictResolution } from "./conflicts";
import type { Router, Topology } from "./topology";
import { writeHappenedBefore, type LeaderWrite, type LeaderWriteOp } from "./write";

/** Messages between leaders. */
export type MultiLeaderMessage =
  | { type: "replicate"; write: LeaderWrite; passed: readonly NodeId[] }
  | { type: "ack"; writeId: string };

/** What clients send: `write` { key, value, op? } or `read` { key }. */
export type MultiLeaderInput = { key: string; value?: string; op?: LeaderWriteOp };

/** What a leader answers: the write it accepted, or what a key shows. */
export type MultiLeaderOutput = { id: string; timestampMs: number } | LeaderReadResult;

/** A key as one leader shows it. */
export interface LeaderReadResult {
  /** The resolved value (undefined when the key does not exist on this leader). */
  value: string | undefined;
  /** Every concurrent write the leader holds for the key, in arrival order. */
  siblings: string[];
}

/** What a leader knows about one key. */
export interface KeyRecord {
  /** Writes not overwritten by a later one, in arrival order (more than one: a conflict). */
  live: LeaderWrite[];
  /** What the key shows. */
  resolved: ConflictResolution;
}

/** Things a leader reports to whoever records the run (the cluster's recorder). */
export interface LeaderHooks {
  applied?(node: NodeId, write: LeaderWrite): void;
  conflict?(node: NodeId, key: string, writes: readonly LeaderWrite[], resolution: ConflictResolution): void;
  updateBeforeInsert?(node: NodeId, write: LeaderWrite): void;
}

/** What every leader of a cluster shares. */
export interface LeaderSettings {
  topology: Topology;
  policy: ConflictPolicy;
  causalDelivery: boolean;
  resendIntervalMs: number;
  router: Router;
  /** The leaders the operator has declared failed (the router may route around them). */
  failed: () => ReadonlySet<NodeId>;
  hooks: LeaderHooks;
}

type Ctx = NodeContext<MultiLeaderMessage, MultiLeaderInput, MultiLeaderOutput>;

interface OutboxEntry {
  message: Extract<MultiLeaderMessage, { type: "replicate" }>;
}

export class MultiLeaderNode implements NodeLogic<MultiLeaderMessage, MultiLeaderInput, MultiLeaderOutput> {
  /** Number of writes this leader has accepted from clients. */
  seq = 0;
  /** Version vector: the prefix of each leader's writes applied here. Invariant: applied[self] === seq. */
  readonly applied: Record<NodeId, number> = {};
  /** Writes applied (or discarded on arrival) here, so a duplicate copy changes nothing. */
  readonly appliedIds = new Set<string>();
  /** Writes received from a neighbour (forwarded once, whatever happened to them next). */
  readonly received = new Set<string>();
  /** Causal delivery only: writes waiting for one of their dependencies. */
  readonly waiting: LeaderWrite[] = [];
  readonly records = new Map<string, KeyRecord>();
  /** Unacknowledged copies, per neighbour, re-sent until acknowledged. */
  readonly outbox = new Map<NodeId, Map<string, OutboxEntry>>();
  /** Copies of writes this leader forwarded to other leaders (first sends only). */
  replicationMessagesSent = 0;
  /** Copies sent again because no acknowledgement had come back in time. */
  resends = 0;
  private resendTimer: TimerId | undefined;
  /** Built from a crashed predecessor: its outbox needs a resend timer again. */
  private readonly restarted: boolean = false;
  /** Client operations already handled (by history op id). */
  private readonly requestsSeen = new Set<number>();

  /**
   * A leader is a database: what it applied, its write counter and its outbox survive a crash. The
   * cluster builds the restarted leader from `predecessor`, the object that crashed, as if every
   * change had been synced to disk before the next event (handing over the objects costs nothing,
   * unlike copying the whole state to `ctx.storage` after every event). Without this, a restarted
   * leader would forget acknowledged writes (nobody re-sends them) and reuse write ids (the others
   * would drop its new writes as duplicates).
   */
  constructor(
    private readonly settings: LeaderSettings,
    predecessor?: MultiLeaderNode,
  ) {
    if (predecessor === undefined) return;
    this.restarted = true;
    this.seq = predecessor.seq;
    this.applied = predecessor.applied;
    this.appliedIds = predecessor.appliedIds;
    this.received = predecessor.received;
    this.waiting = predecessor.waiting;
    this.records = predecessor.records;
    this.outbox = predecessor.outbox;
    this.requestsSeen = predecessor.requestsSeen;
    this.replicationMessagesSent = predecessor.replicationMessagesSent;
    this.resends = predecessor.resends;
  }

  /** After a restart, starts re-sending what is still unacknowledged in the outbox. */
  onStart(ctx: Ctx): void {
    if (this.restarted) this.armResend(ctx);
  }

  onMessage(ctx: Ctx, from: NodeId, message: MultiLeaderMessage): void {
    if (message.type === "ack") {
      this.outbox.get(from)?.delete(message.writeId);
      return;
    }
    ctx.send(from, { type: "ack", writeId: message.write.id });
    const write = message.write;
    if (write.origin === ctx.id || this.received.has(write.id)) return;
    this.received.add(write.id);
    this.forward(ctx, write, [...message.passed, ctx.id]);
    if (this.settings.causalDelivery) {
      this.waiting.push(write);
      this.applyReady(ctx);
    } else {
      this.apply(ctx, write);
    }
  }

  onClientRequest(ctx: Ctx, request: ClientRequest<MultiLeaderInput>): void {
    // The network may deliver a request twice; accepting it twice would make two writes of one.
    if (this.requestsSeen.has(request.opId)) return;
    this.requestsSeen.add(request.opId);
    if (request.f === "read") {
      ctx.reply(request, { ok: true, value: this.read(request.input.key) });
      return;
    }
    if (request.f !== "write") {
      ctx.reply(request, { ok: false, error: `unknown operation "${request.f}": use "write" or "read"` });
      return;
    }
    const { key, value, op = "set" } = request.input;
    this.seq += 1;
    const write: LeaderWrite = {
      id: `${ctx.id}:${this.seq}`,
      origin: ctx.id,
      seq: this.seq,
      key,
      value: String(value),
      op,
      timestampMs: ctx.now(),
      deps: { ...this.applied },
    };
    const accepted = this.apply(ctx, write);
    if (!accepted) {
      ctx.reply(request, { ok: false, error: `cannot update "${key}": no such row on ${ctx.id}` });
      this.seq -= 1;
      return;
    }
    // Rounded to 0.1 ms for the client: the reply shows up in diagrams, the write keeps full precision.
    ctx.reply(request, { ok: true, value: { id: write.id, timestampMs: Math.round(write.timestampMs * 10) / 10 } });
    this.forward(ctx, write, [ctx.id]);
  }

  onTimer(ctx: Ctx, name: string): void {
    if (name !== "resend") return;
    this.resendTimer = undefined;
    const failed = this.settings.failed();
    for (const [to, entries] of [...this.outbox]) {
      if (!failed.has(to)) {
        for (const entry of entries.values()) {
          this.resends += 1;
          ctx.send(to, entry.message);
        }
        continue;
      }
      // The operator declared `to` failed: route its backlog around it, if the topology allows.
      this.outbox.delete(to);
      for (const entry of entries.values()) this.forward(ctx, entry.message.write, entry.message.passed);
    }
    this.armResend(ctx);
  }

  /** What a read of `key` returns here (the on-read handler runs now, if there is one). */
  read(key: string): LeaderReadResult {
    const rec = this.records.get(key);
    if (rec === undefined) return { value: undefined, siblings: [] };
    const { policy } = this.settings;
    const value = policy.kind === "on-read" && rec.live.length > 1 ? policy.handler(key, rec.live).value : rec.resolved.value;
    return { value, siblings: rec.live.map((w) => w.value) };
  }

  private forward(ctx: Ctx, write: LeaderWrite, passed: readonly NodeId[]): void {
    const targets = this.settings.router(this.settings.topology, passed, this.settings.failed());
    for (const to of targets) {
      if (to === ctx.id) continue;
      let entries = this.outbox.get(to);
      if (entries === undefined) this.outbox.set(to, (entries = new Map()));
      const entry: OutboxEntry = { message: { type: "replicate", write, passed } };
      entries.set(write.id, entry);
      this.replicationMessagesSent += 1;
      ctx.send(to, entry.message);
    }
    this.armResend(ctx);
  }

  private armResend(ctx: Ctx): void {
    if (this.resendTimer !== undefined) return;
    for (const entries of this.outbox.values()) {
      if (entries.size > 0) {
        this.resendTimer = ctx.setTimer(this.settings.resendIntervalMs, "resend");
        return;
      }
    }
  }

  /** Applies every waiting write whose dependencies are all applied, until none is left ready. */
  private applyReady(ctx: Ctx): void {
    for (let progress = true; progress; ) {
      progress = false;
      for (let i = 0; i < this.waiting.length; i++) {
        const w = this.waiting[i]!;
        if (!this.ready(w)) continue;
        this.waiting.splice(i, 1);
        this.apply(ctx, w);
        progress = true;
        break;
      }
    }
  }

  private ready(w: LeaderWrite): boolean {
    if ((this.applied[w.origin] ?? 0) !== w.seq - 1) return false;
    for (const [node, count] of Object.entries(w.deps)) {
      if (node !== w.origin && (this.applied[node] ?? 0) < count) return false;
    }
    return true;
  }

  /** Applies a write to its key; false when it is an update of a row this leader does not have. */
  private apply(ctx: Ctx, write: LeaderWrite): boolean {
    if (this.appliedIds.has(write.id)) return true;
    const rec = this.records.get(write.key);
    if (write.op === "update" && rec === undefined) {
      if (write.origin === ctx.id) return false;
      this.markApplied(write);
      ctx.note(`update ${write.id} of "${write.key}" arrived before its insert: no such row, dropped`);
      this.settings.hooks.updateBeforeInsert?.(ctx.id, write);
      return true;
    }
    this.markApplied(write);
    this.settings.hooks.applied?.(ctx.id, write);
    if (rec === undefined) {
      this.records.set(write.key, { live: [write], resolved: { value: write.value, writes: [write] } });
      return true;
    }
    // Already overwritten by a write that saw it: arriving late changes nothing.
    if (rec.live.some((v) => writeHappenedBefore(write, v))) return true;
    const remaining = rec.live.filter((v) => !writeHappenedBefore(v, write));
    const live = [...remaining, write];
    if (remaining.length === 0) {
      this.records.set(write.key, { live, resolved: { value: write.value, writes: [write] } });
      return true;
    }
    const { policy } = this.settings;
    let resolved: ConflictResolution;
    if (policy.kind === "on-write") {
      // The handler folds arriving writes into what the key shows; refold if a sibling went away.
      resolved =
        remaining.length === rec.live.length
          ? policy.handler(rec.resolved, write)
          : live.reduce<ConflictResolution | undefined>((acc, w) => policy.handler(acc, w), undefined)!;
    } else {
      resolved = resolveSiblings(policy, live);
    }
    this.records.set(write.key, { live, resolved });
    ctx.note(`conflict on "${write.key}": ${live.map((w) => JSON.stringify(w.value)).join(" vs ")} -> ${JSON.stringify(resolved.value)}`);
    this.settings.hooks.conflict?.(ctx.id, write.key, live, resolved);
    return true;
  }

  private markApplied(write: LeaderWrite): void {
    this.appliedIds.add(write.id);
    let next = (this.applied[write.origin] ?? 0) + 1;
    while (this.appliedIds.has(`${write.origin}:${next}`)) {
      this.applied[write.origin] = next;
      next += 1;
    }
  }
}
