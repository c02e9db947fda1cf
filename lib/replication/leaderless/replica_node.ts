import type { ClientRequest, NodeContext, NodeLogic } from "../../sim/node";
import type { NodeId } from "../../sim/trace";
import { liveSiblingValues, recordRules, type RecordRules, type ReplicaRecord } from "./concurrency";
import type { ResolvedLeaderlessConfig } from "./config";
import { compareMerkleTrees, MerkleTree } from "./merkle";
import type { HashRing } from "./ring";
import type {
  LeaderlessInput,
  LeaderlessMessage,
  LeaderlessOutput,
  QuorumPolicy,
  ReadDecision,
  ReadReply,
  WriteDecision,
} from "./types";
import { EMPTY_SIBLING_STATE, mergeSiblingStates, writeSibling, type SiblingState } from "./siblings";
import { compareVersions, type StoredRecord } from "./versions";

type Ctx = NodeContext<LeaderlessMessage, LeaderlessInput, LeaderlessOutput>;

/** Disk key of a record this node holds as a home replica. */
const dataKey = (key: string) => `data/${key}`;
/** Disk key of a record held for another node (hinted handoff). */
const hintKey = (owner: NodeId, key: string) => `hint/${owner}/${key}`;
/**
 * Disk key of the siblings a node wrote as coordinator of a key it is not a home replica for
 * (siblings mode): its next dot must follow its previous ones, and a write ships them along.
 */
const coordKey = (key: string) => `coord/${key}`;

/**
 * Request id of a write nobody waits for: read repair of a stand-in, which holds the key as a
 * hint, is sent as a hinted write (a `repair` would land in its own data) and needs no ack.
 */
const NO_ACK = 0;

/** What one node counts about its own background work (read by the cluster's statistics). */
export interface ReplicaStats {
  /** Records this node replaced because a read found it stale. */
  readRepairsReceived: number;
  /** Hints this node handed to their home replica. */
  hintsHandedOff: number;
  /** Anti-entropy rounds this node started. */
  antiEntropyRounds: number;
  /** Hashes compared during those rounds (this node's side of the tree descent). */
  merkleHashesExchanged: number;
  /** Keys a full comparison would have had to send during those rounds. */
  fullComparisonKeys: number;
  /** Records copied (both ways) by anti-entropy rounds this node started. */
  antiEntropyRecordsCopied: number;
}

interface PendingOp {
  kind: "write" | "read";
  request: ClientRequest<LeaderlessInput>;
  key: string;
  record?: ReplicaRecord;
  /** Replicas that count toward the quorum (home replicas in scope and their substitutes). */
  counted: Set<NodeId>;
  /** Every replica asked, in order, with the home replica it stands in for. */
  asked: Map<NodeId, NodeId>;
  acks: NodeId[];
  replies: ReadReply[];
  timedOut: boolean;
  done: boolean;
  chosen?: ReplicaRecord | undefined;
}

/**
 * The standard decisions: a write succeeds at w acknowledgements; a read answers with the
 * freshest of r replies and names the repliers that were behind; both fail when the timeout
 * passes or when too few replicas are left to answer.
 */
const standardQuorum: QuorumPolicy = {
  decideWrite(s): WriteDecision {
    if (s.acks.length >= s.w) return { kind: "ok" };
    const stillPossible = s.targets.length - s.failures.length;
    if (s.timedOut || stillPossible < s.w) return { kind: "fail", reason: `write quorum not reached: ${s.acks.length} of w = ${s.w} acknowledgements` };
    return { kind: "wait" };
  },
  decideRead(s): ReadDecision {
    if (s.replies.length >= s.r) {
      let best: StoredRecord | undefined;
      for (const reply of s.replies) if (compareVersions(reply.record?.version, best?.version) > 0) best = reply.record;
      const repair = s.replies.filter((x) => compareVersions(x.record?.version, best?.version) < 0).map((x) => x.replica);
      return { kind: "ok", record: best, repair };
    }
    const stillPossible = s.targets.length - s.failures.length;
    if (s.timedOut || stillPossible < s.r) return { kind: "fail", reason: `read quorum not reached: ${s.replies.length} of r = ${s.r} replies` };
    return { kind: "wait" };
  },
};

/**
 * A Dynamo-style replica. Every node stores the keys it is a home replica for, and every node
 * can coordinate a client request: it sends the operation to the key's n home replicas, answers
 * after w acknowledgements (writes) or r replies (reads), repairs stale replicas it saw, borrows
 * fallback nodes in a sloppy quorum, hands hints back, and runs Merkle-tree anti-entropy rounds.
 */
export class LeaderlessNode implements NodeLogic<LeaderlessMessage, LeaderlessInput, LeaderlessOutput> {
  readonly stats: ReplicaStats = {
    readRepairsReceived: 0,
    hintsHandedOff: 0,
    antiEntropyRounds: 0,
    merkleHashesExchanged: 0,
    fullComparisonKeys: 0,
    antiEntropyRecordsCopied: 0,
  };
  private ctx!: Ctx;
  private nextReqId = 0;
  private lastCounter = Number.NEGATIVE_INFINITY;
  private readonly pending = new Map<number, PendingOp>();
  private aeRound = 0;
  private aePeerIndex = 0;
  private readonly policy: QuorumPolicy;
  private readonly rules: RecordRules;
  /** key -> record held as a home replica (mirrors the disk's data/ entries). */
  private readonly data = new Map<string, ReplicaRecord>();
  /** "owner/key" -> record held for another node (mirrors the disk's hint/ entries). */
  private readonly hinted = new Map<string, ReplicaRecord>();
  /** key -> siblings this node wrote as a non-home coordinator (mirrors coord/ entries). */
  private readonly coordinated = new Map<string, SiblingState<unknown>>();

  constructor(
    readonly id: NodeId,
    private readonly config: ResolvedLeaderlessConfig,
    private readonly ring: HashRing,
    policy?: QuorumPolicy,
  ) {
    this.policy = policy ?? standardQuorum;
    this.rules = recordRules(config.concurrency);
  }

  onStart(ctx: Ctx): void {
    this.ctx = ctx;
    // The disk is the truth; these maps are the node's memory of it, rebuilt after a restart.
    // (Reading the simulated disk copies every value, which is too slow for every request.)
    for (const diskKey of ctx.storage.keys()) {
      const record = ctx.storage.get<ReplicaRecord>(diskKey)!;
      if (diskKey.startsWith("data/")) this.data.set(diskKey.slice(5), record);
      else if (diskKey.startsWith("hint/")) this.hinted.set(diskKey.slice(5), record);
      else if (diskKey.startsWith("coord/")) this.coordinated.set(diskKey.slice(6), record as SiblingState<unknown>);
    }
    ctx.setTimer(this.config.handoffIntervalMs, "handoff");
    if (this.config.antiEntropyIntervalMs !== undefined) {
      // Stagger the nodes so that they do not all start a round at the same instant.
      const index = this.config.nodes.indexOf(this.id);
      ctx.setTimer(this.config.antiEntropyIntervalMs * (1 + index / this.config.nodes.length), "antiEntropy");
    }
  }

  // ------------------------------------------------------------ storage

  /** The record this node holds for `key` as a home replica (last-write-wins mode). */
  recordOf(key: string): StoredRecord | undefined {
    return this.data.get(key) as StoredRecord | undefined;
  }

  /** What this node holds for `key` as a home replica, in either mode. */
  replicaRecordOf(key: string): ReplicaRecord | undefined {
    return this.data.get(key);
  }

  /** Every key this node holds as a home replica, sorted. */
  keys(): string[] {
    return [...this.data.keys()].sort();
  }

  /** Hints held for other nodes: [owner, key, record], sorted by owner then key. */
  hints(): [NodeId, string, StoredRecord][] {
    return [...this.hinted.keys()].sort().map((k) => {
      const [owner, ...rest] = k.split("/");
      return [owner!, rest.join("/"), this.hinted.get(k)! as StoredRecord];
    });
  }

  /** The hinted record held for `owner`'s copy of `key`, if any. */
  hintOf(owner: NodeId, key: string): StoredRecord | undefined {
    return this.hinted.get(`${owner}/${key}`) as StoredRecord | undefined;
  }

  /**
   * Takes in `record`: under last write wins, unless the node already has a newer one; in
   * siblings mode, merged with what it has. True when it changed something.
   */
  private store(diskKey: string, record: ReplicaRecord): boolean {
    const memory = diskKey.startsWith("data/") ? this.data : this.hinted;
    const memoryKey = diskKey.slice(5);
    const kept = this.rules.absorb(memory.get(memoryKey), record);
    if (kept === undefined) return false;
    memory.set(memoryKey, kept);
    this.ctx.storage.put(diskKey, kept);
    this.ctx.storage.sync();
    return true;
  }

  /**
   * Siblings mode: this node, as coordinator, accepts `value` written with `context`. The dot
   * continues this node's own counter for the key, so the base is the state that holds its
   * earlier dots: its replica copy when it is a home replica, else its coordinator record. The
   * whole resulting state (the new value and the concurrent siblings it knows) is what replicas merge.
   */
  private coordinateSiblingWrite(key: string, value: unknown, context: Readonly<Record<string, number>>): SiblingState<unknown> {
    const home = this.ring.homeReplicas(key).includes(this.id);
    const base = (home ? (this.data.get(key) as SiblingState<unknown> | undefined) : this.coordinated.get(key)) ?? EMPTY_SIBLING_STATE;
    const { state } = writeSibling(base, this.id, value, context);
    if (!home) {
      this.coordinated.set(key, state);
      this.ctx.storage.put(coordKey(key), state);
      this.ctx.storage.sync();
    }
    return state;
  }

  /** Forgets a hint once its home replica has it. */
  private dropHint(owner: NodeId, key: string): void {
    this.hinted.delete(`${owner}/${key}`);
    this.ctx.storage.delete(hintKey(owner, key));
    this.ctx.storage.sync();
  }

  // ------------------------------------------------------------ client requests (coordinator)

  onClientRequest(ctx: Ctx, request: ClientRequest<LeaderlessInput>): void {
    const key = request.input?.key;
    if (typeof key !== "string" || key.length === 0) {
      ctx.reply(request, { ok: false, error: "every request needs a key (a non-empty string)" });
      return;
    }
    if (request.f !== "put" && request.f !== "get" && request.f !== "delete") {
      ctx.reply(request, { ok: false, error: `unknown operation "${request.f}": use put, get or delete` });
      return;
    }
    const homes = this.ring.homeReplicas(key);
    const myDc = this.ring.datacenterOf(this.id);
    const counted = new Set(this.config.quorumScope === "local" ? homes.filter((h) => this.ring.datacenterOf(h) === myDc) : homes);
    const reqId = ++this.nextReqId;
    const op: PendingOp = { kind: request.f === "get" ? "read" : "write", request, key, counted, asked: new Map(), acks: [], replies: [], timedOut: false, done: false };
    const context = request.input.context;
    if (context !== undefined && (this.config.concurrency !== "siblings" || context === null || typeof context !== "object")) {
      ctx.reply(request, { ok: false, error: this.config.concurrency === "siblings" ? "context must be a version vector, e.g. { n1: 2 }" : 'a write context needs concurrency: "siblings"' });
      return;
    }
    if (op.kind === "write" && this.config.concurrency === "siblings") {
      op.record = this.coordinateSiblingWrite(key, request.f === "delete" ? null : (request.input.value ?? null), context ?? {});
    } else if (op.kind === "write") {
      // The version is this node's clock, nudged forward so two writes it coordinates never tie.
      const counter = Math.max(Math.round(ctx.now() * 1000) / 1000, Math.round((this.lastCounter + 0.001) * 1000) / 1000);
      this.lastCounter = counter;
      op.record = { value: request.f === "delete" ? null : (request.input.value ?? null), version: { counter, node: this.id } };
    }
    this.pending.set(reqId, op);
    // Register every target before sending: the coordinator's own copy answers at once, and the
    // policy must not see a quorum of one target in the meantime.
    for (const home of homes) op.asked.set(home, home);
    for (const home of homes) this.ask(reqId, op, home, home);
    if (this.config.sloppyQuorum) ctx.setTimer(this.config.substituteAfterMs, "substitute", reqId);
    ctx.setTimer(this.config.requestTimeoutMs, "requestTimeout", reqId);
    this.decide(op);
  }

  /** Sends the operation to `replica` (standing in for `home`), or performs it locally. */
  private ask(reqId: number, op: PendingOp, replica: NodeId, home: NodeId): void {
    op.asked.set(replica, home);
    if (replica !== home && op.counted.has(home)) op.counted.add(replica);
    const hintFor = replica === home ? undefined : home;
    const message: LeaderlessMessage =
      op.kind === "write"
        ? { type: "write", reqId, key: op.key, record: op.record!, ...(hintFor ? { hintFor } : {}) }
        : { type: "read", reqId, key: op.key, ...(hintFor ? { hintFor } : {}) };
    if (replica === this.id) {
      // The coordinator is one of the replicas: no network round trip for its own copy.
      const answer = this.handleReplicaRequest(message);
      if (answer !== undefined) this.handleAnswer(replica, answer);
    } else {
      this.ctx.send(replica, message);
    }
  }

  /** Asks the quorum policy what to do now. The op stays known until its timeout, for late replies. */
  private decide(op: PendingOp): void {
    if (op.done) return;
    const targets = [...op.asked.keys()].filter((x) => op.counted.has(x));
    const base = { key: op.key, targets, failures: [] as NodeId[], timedOut: op.timedOut };
    if (op.kind === "write") {
      const decision = this.policy.decideWrite({ ...base, w: this.config.w, acks: op.acks.filter((x) => op.counted.has(x)) });
      if (decision.kind === "wait") return;
      op.done = true;
      if (decision.kind === "ok" && this.config.concurrency === "siblings") {
        this.ctx.reply(op.request, { ok: true, value: { value: op.request.f === "delete" ? null : (op.request.input.value ?? null), version: undefined } });
      } else if (decision.kind === "ok") {
        const record = op.record as StoredRecord;
        this.ctx.reply(op.request, { ok: true, value: { value: record.value, version: record.version } });
      } else {
        this.ctx.note(`${op.request.f} ${op.key} failed: ${decision.reason} (replicas that stored it keep it)`);
        this.ctx.reply(op.request, { ok: false, error: decision.reason });
      }
    } else {
      const replies = op.replies.filter((x) => op.counted.has(x.replica));
      const decision = this.policy.decideRead({ ...base, r: this.config.r, replies });
      if (decision.kind === "wait") return;
      op.done = true;
      if (decision.kind === "fail") {
        this.ctx.reply(op.request, { ok: false, error: decision.reason });
        return;
      }
      if (this.config.concurrency === "siblings") {
        // The policy decided when to answer; the answer is every replier's siblings, merged.
        let merged: SiblingState<unknown> | undefined;
        for (const reply of replies) {
          const state = reply.record as SiblingState<unknown> | undefined;
          if (state !== undefined) merged = mergeSiblingStates(merged ?? EMPTY_SIBLING_STATE, state);
        }
        op.chosen = merged;
        this.ctx.reply(op.request, { ok: true, value: { value: liveSiblingValues(merged), version: undefined, context: merged?.vector ?? {} } });
        if (this.config.readRepair) for (const reply of replies) if (this.rules.isBehind(reply.record, merged)) this.repair(op, reply.replica);
        return;
      }
      op.chosen = decision.record;
      this.ctx.reply(op.request, { ok: true, value: { value: decision.record?.value ?? null, version: decision.record?.version } });
      if (this.config.readRepair && decision.record !== undefined) {
        for (const replica of decision.repair) this.repair(op, replica);
      }
    }
  }

  private repair(op: PendingOp, replica: NodeId): void {
    if (op.chosen === undefined) return;
    const home = op.asked.get(replica) ?? replica;
    const message: LeaderlessMessage = replica === home
      ? { type: "repair", key: op.key, record: op.chosen }
      : { type: "write", reqId: NO_ACK, key: op.key, record: op.chosen, hintFor: home };
    if (replica === this.id) this.handleReplicaRequest(message);
    else this.ctx.send(replica, message);
  }

  private handleAnswer(from: NodeId, message: LeaderlessMessage): void {
    const reqId = (message as { reqId: number }).reqId;
    const op = this.pending.get(reqId);
    if (op === undefined || !op.asked.has(from)) return;
    if (message.type === "writeAck") {
      if (!op.acks.includes(from)) op.acks.push(from);
    } else if (message.type === "readReply") {
      if (op.replies.some((x) => x.replica === from)) return;
      op.replies.push({ replica: from, record: message.record as StoredRecord | undefined });
      // A reply after the read answered: repair it too if it is behind what the client got.
      if (op.done && this.config.readRepair && this.rules.isBehind(message.record, op.chosen)) this.repair(op, from);
    }
    this.decide(op);
  }

  // ------------------------------------------------------------ replica side

  /** Applies a write/read/repair addressed to this replica; returns the answer to send, if any. */
  private handleReplicaRequest(message: LeaderlessMessage): LeaderlessMessage | undefined {
    switch (message.type) {
      case "write":
        if (message.hintFor !== undefined) this.store(hintKey(message.hintFor, message.key), message.record);
        else this.store(dataKey(message.key), message.record);
        return { type: "writeAck", reqId: message.reqId };
      case "read": {
        let record = this.data.get(message.key);
        if (message.hintFor !== undefined) {
          const hinted = this.hinted.get(`${message.hintFor}/${message.key}`);
          if (hinted !== undefined) record = this.rules.absorb(record, hinted) ?? record;
        }
        return { type: "readReply", reqId: message.reqId, record };
      }
      case "repair":
        if (this.store(dataKey(message.key), message.record)) {
          this.stats.readRepairsReceived++;
          this.ctx.note(`read repair: ${message.key} -> ${this.rules.describe(message.record)}`);
        }
        return undefined;
      default:
        return undefined;
    }
  }

  onMessage(ctx: Ctx, from: NodeId, message: LeaderlessMessage): void {
    switch (message.type) {
      case "write":
      case "read":
      case "repair": {
        const answer = this.handleReplicaRequest(message);
        if (answer !== undefined && !(message.type === "write" && message.reqId === NO_ACK)) ctx.send(from, answer);
        return;
      }
      case "writeAck":
      case "readReply":
        this.handleAnswer(from, message);
        return;
      case "handoff":
        this.store(dataKey(message.key), message.record);
        if (this.config.concurrency === "siblings") ctx.send(from, { type: "handoffAck", key: message.key, state: this.rules.describe(message.record) });
        else ctx.send(from, { type: "handoffAck", key: message.key, version: (message.record as StoredRecord).version });
        return;
      case "handoffAck": {
        const held = this.hinted.get(`${from}/${message.key}`);
        // Drop the hint only if it did not change since the copy that was acknowledged.
        const delivered = this.config.concurrency === "siblings" ? this.rules.describe(held) === message.state : compareVersions((held as StoredRecord | undefined)?.version, message.version) <= 0;
        if (held !== undefined && delivered) {
          this.dropHint(from, message.key);
          this.stats.hintsHandedOff++;
          ctx.note(`hinted handoff: ${message.key} delivered to ${from}`);
        }
        return;
      }
      case "aeTree":
        this.answerAntiEntropy(from, message.round, message.levels);
        return;
      case "aeDiff":
        this.finishAntiEntropy(from, message.round, message.buckets, message.hashes, message.records);
        return;
      case "aePush":
        for (const [key, record] of message.records) this.store(dataKey(key), record);
        return;
    }
  }

  onTimer(ctx: Ctx, name: string, data: unknown): void {
    if (name === "handoff") {
      for (const [owner, key] of this.hints()) ctx.send(owner, { type: "handoff", key, record: this.hinted.get(`${owner}/${key}`)! });
      ctx.setTimer(this.config.handoffIntervalMs, "handoff");
    } else if (name === "antiEntropy") {
      this.startAntiEntropy();
      ctx.setTimer(this.config.antiEntropyIntervalMs!, "antiEntropy");
    } else if (name === "substitute") {
      this.substitute(data as number);
    } else if (name === "requestTimeout") {
      const op = this.pending.get(data as number);
      if (op === undefined) return;
      op.timedOut = true;
      this.decide(op);
      this.pending.delete(data as number);
    }
  }

  /**
   * Sloppy quorum: every home replica that has not answered yet gets a stand-in from the ring.
   * Writes do this even after the client got its answer, as Dynamo does: the stand-in's hint
   * keeps n copies in the cluster until the home replica is back.
   */
  private substitute(reqId: number): void {
    const op = this.pending.get(reqId);
    if (op === undefined || (op.done && op.kind === "read")) return;
    const answered = new Set([...op.acks, ...op.replies.map((x) => x.replica)]);
    for (const [replica, home] of [...op.asked]) {
      if (replica !== home || answered.has(replica)) continue;
      const standIn = this.ring.fallbacks(op.key, home).find((f) => !op.asked.has(f));
      if (standIn === undefined) continue;
      this.ctx.note(`sloppy quorum: ${standIn} stands in for ${home} (${op.key})`);
      this.ask(reqId, op, standIn, home);
    }
  }

  // ------------------------------------------------------------ anti-entropy

  /** Keys this node and `peer` are both home replicas for, with their version text. */
  private sharedEntries(peer: NodeId): [string, string][] {
    return this.keys()
      .filter((key) => this.ring.homeReplicas(key).includes(peer))
      .map((key) => [key, this.rules.describe(this.data.get(key))] as [string, string]);
  }

  private startAntiEntropy(): void {
    const peers = this.ctx.peers;
    if (peers.length === 0) return;
    const peer = peers[this.aePeerIndex++ % peers.length]!;
    const tree = new MerkleTree(this.sharedEntries(peer), this.config.merkleDepth);
    this.stats.antiEntropyRounds++;
    this.ctx.send(peer, { type: "aeTree", round: ++this.aeRound, levels: tree.levels });
  }

  private answerAntiEntropy(from: NodeId, round: number, levels: number[][]): void {
    const mine = new MerkleTree(this.sharedEntries(from), this.config.merkleDepth);
    const diff = compareMerkleTrees(MerkleTree.fromLevels(levels), mine);
    const wanted = new Set(diff.differingBuckets);
    const records = this.keys()
      .filter((key) => wanted.has(MerkleTree.bucketOf(key, this.config.merkleDepth)) && this.ring.homeReplicas(key).includes(from))
      .map((key) => [key, this.data.get(key)!] as [string, ReplicaRecord]);
    this.ctx.send(from, { type: "aeDiff", round, buckets: diff.differingBuckets, hashes: diff.hashesExchanged, records });
  }

  private finishAntiEntropy(from: NodeId, round: number, buckets: number[], hashes: number, records: [string, ReplicaRecord][]): void {
    this.stats.merkleHashesExchanged += hashes;
    const theirs = new Map(records);
    let copied = 0;
    for (const [key, record] of records) if (this.store(dataKey(key), record)) copied++;
    const wanted = new Set(buckets);
    const push: [string, ReplicaRecord][] = [];
    for (const key of this.keys()) {
      if (!wanted.has(MerkleTree.bucketOf(key, this.config.merkleDepth)) || !this.ring.homeReplicas(key).includes(from)) continue;
      const mine = this.data.get(key)!;
      if (this.rules.isBehind(theirs.get(key), mine)) push.push([key, mine]);
    }
    copied += push.length;
    if (push.length > 0) this.ctx.send(from, { type: "aePush", round, records: push });
    const shared = new Set([...this.sharedEntries(from).map(([k]) => k), ...theirs.keys()]);
    this.stats.fullComparisonKeys += shared.size;
    this.stats.antiEntropyRecordsCopied += copied;
    if (copied > 0) this.ctx.note(`anti-entropy with ${from}: ${copied} record(s) copied`);
  }
}
