/**
 * The failover coordinator (think Patroni, Orchestrator or MHA): a separate node that watches
 * the leader with heartbeats, grants it its lease, and replaces it when it goes silent.
 *
 *   monitoring: heartbeat the leader every heartbeatIntervalMs; each heartbeat after the first
 *               reply grants a lease. After failoverTimeoutMs without a reply: stop pinging (so
 *               the lease runs out) and start a failover.
 *   failover:   with a fenced storage, first fence the old epoch there. Then probe every other
 *               member for its log position (a round lasts at most probeTimeoutMs), build a
 *               FailoverObservation, ask the policy. On refusal, probe again after
 *               failoverRetryMs. On promotion: send "promote" to the chosen node and tell every
 *               other node (the old leader included) who leads in which epoch.
 *
 * Without a policy the coordinator only detects the failure and waits for a manual `promote`.
 */
import { SingleLeaderConfigError } from "./config";
import type { ClientRequest, NodeContext, NodeLogic } from "../../sim/node";
import type { NodeId } from "../../sim/trace";
import type { CandidateInfo, FailoverDecision, FailoverObservation, FailoverPolicy } from "../failover_types";
import type { ReplicationSettings } from "./config";
import type { SingleLeaderObserver } from "./observer";
import type { BootstrapMethod, LeaderInfo, SingleLeaderMessage } from "./types";

type Ctx = NodeContext<SingleLeaderMessage, unknown, LeaderInfo>;

/** A decision the coordinator cannot carry out (a policy bug), with what to fix. */
export class FailoverDecisionError extends Error {
  override readonly name = "FailoverDecisionError";
}

/** Where the coordinator is in its cycle. */
export type CoordinatorPhase = "monitoring" | "failover" | "awaiting-manual-failover";

/** What the coordinator knows, for tables and tests. */
export interface CoordinatorState {
  phase: CoordinatorPhase;
  leader: NodeId;
  epoch: number;
  members: NodeId[];
  /** Coordinator clock (ms) of the last heartbeat reply from the current leader. */
  lastLeaderReplyMs: number;
  /** Coordinator clock (ms) of the last heartbeat sent to the current leader. */
  lastHeartbeatSentMs: number;
  /** LSNs the current leader reported as acknowledged in its epoch. */
  acknowledgedLsns: number[];
  /** Number of promotions so far. */
  failovers: number;
}

/** Construction parameters of the coordinator (the cluster builder fills them in). */
export interface CoordinatorOptions {
  settings: ReplicationSettings;
  /** Initial data nodes; the first one leads epoch 1. */
  members: readonly NodeId[];
  /** Undefined: detect failures but promote only by hand (`promote`). */
  policy?: FailoverPolicy;
  observer?: SingleLeaderObserver;
  /** Whether the coordinator replaces a silent leader at all (default true). */
  automaticFailover?: boolean;
}

interface Round {
  round: number;
  startedLocalMs: number;
  replies: Map<NodeId, { lastLsn: number; lastEpoch: number; epoch: number }>;
  expected: NodeId[];
  done: boolean;
}

/** The failover coordinator (see the module comment). */
export class CoordinatorNode implements NodeLogic<SingleLeaderMessage, unknown, LeaderInfo> {
  private ctx!: Ctx;
  private readonly s: ReplicationSettings;
  private readonly observer: SingleLeaderObserver;
  private phase: CoordinatorPhase = "monitoring";
  private leader: NodeId;
  private epoch = 1;
  private members: NodeId[];
  private lastLeaderReplyMs = 0;
  private lastHeartbeatSentMs = Number.NEGATIVE_INFINITY;
  private heartbeatSeq = 0;
  /** Highest heartbeat seq the current leader answered in its current epoch. */
  private answeredSeq: number | undefined;
  private acknowledged = new Set<number>();
  private knownAckedUpTo = 0;
  private round = 0;
  private current: Round | undefined;
  private failovers = 0;
  /** Counts failovers started (not promotions); tags their retry timers. */
  private failoverId = 0;
  /** With a fenced storage: the old epoch the storage confirmed it refuses. */
  private fencedEpoch: number | undefined;
  /** What each node last reported (probe or heartbeat reply), for unreachable candidates. */
  private lastKnown = new Map<NodeId, { lastLsn: number; lastEpoch: number; epoch: number }>();

  constructor(private readonly options: CoordinatorOptions) {
    this.s = options.settings;
    this.observer = options.observer ?? {};
    this.members = [...options.members];
    this.leader = options.members[0]!;
  }

  onStart(ctx: Ctx): void {
    this.ctx = ctx;
    // The coordinator's own state is not durable: in this model it never crashes. (Real ones
    // keep it in a consensus store such as etcd or ZooKeeper.) A restart would come back in
    // epoch 1 and could reissue an epoch already in use, so it is refused loudly instead.
    if (ctx.storage.has("booted")) {
      throw new SingleLeaderConfigError(
        `the coordinator "${ctx.id}" was restarted, but this model's coordinator keeps its state in memory and ` +
          `cannot recover it. Crash only data nodes (with scheduleRandomFaults, pass nodes: cluster.dataNodes).`,
      );
    }
    ctx.storage.put("booted", true);
    ctx.storage.sync();
    this.lastLeaderReplyMs = ctx.now();
    this.tick();
    ctx.setTimer(this.s.configIntervalMs, "config");
  }

  onTimer(_ctx: Ctx, name: string, data: unknown): void {
    switch (name) {
      case "heartbeat":
        return this.tick();
      case "config":
        this.broadcastConfig();
        this.ctx.setTimer(this.s.configIntervalMs, "config");
        return;
      case "probe-timeout":
        if (this.current?.round === data) this.finishRound();
        return;
      case "retry":
        // Only the failover that set it: a manual promote can end that one and a later one can
        // be waiting for its fence, which a round started here would skip.
        if (this.phase === "failover" && data === this.failoverId) this.startRound();
        return;
      case "fence-retry":
        if (this.phase === "failover" && this.fencedEpoch !== this.epoch && data === this.epoch) this.sendFence();
        return;
    }
  }

  onMessage(_ctx: Ctx, from: NodeId, m: SingleLeaderMessage): void {
    switch (m.type) {
      case "heartbeatReply":
        return this.onHeartbeatReply(from, m);
      case "fenced":
        if (this.phase === "failover" && m.epoch === this.epoch && this.fencedEpoch !== this.epoch) {
          this.fencedEpoch = this.epoch;
          this.ctx.note(`storage fenced: epoch ${this.epoch} can no longer write`);
          this.startRound();
        }
        return;
      case "probeReply": {
        const r = this.current;
        const info = { lastLsn: m.lastLsn, lastEpoch: m.lastEpoch, epoch: m.epoch };
        this.lastKnown.set(from, info);
        if (r === undefined || r.done || m.round !== r.round || !r.expected.includes(from)) return;
        r.replies.set(from, info);
        if (r.replies.size === r.expected.length) this.finishRound();
        return;
      }
      default:
        return;
    }
  }

  /** Clients ask the coordinator who leads (f = "leader"). */
  onClientRequest(ctx: Ctx, request: ClientRequest<unknown>): void {
    if (request.f !== "leader") {
      ctx.reply(request, { ok: false, error: `bad-request: the coordinator only answers "leader", not "${request.f}"` });
      return;
    }
    ctx.reply(request, { ok: true, value: { leader: this.leader, epoch: this.epoch } });
  }

  // ---------------------------------------------------------------- monitoring

  private tick(): void {
    this.ctx.setTimer(this.s.heartbeatIntervalMs, "heartbeat");
    if (this.phase !== "monitoring") return;
    if (this.ctx.now() - this.lastLeaderReplyMs > this.s.failoverTimeoutMs && this.options.automaticFailover !== false) {
      this.beginFailover();
      return;
    }
    this.sendHeartbeat();
  }

  private sendHeartbeat(): void {
    const seq = ++this.heartbeatSeq;
    // Every lease grant goes out in a heartbeat sent now, so this bounds them all (the promote
    // carries none: see sendPromote).
    this.lastHeartbeatSentMs = this.ctx.now();
    this.ctx.send(this.leader, {
      type: "heartbeat",
      epoch: this.epoch,
      leader: this.leader,
      seq,
      ...(this.answeredSeq !== undefined ? { grantSeq: this.answeredSeq } : {}),
      knownAckedUpTo: this.knownAckedUpTo,
      members: [...this.members],
    });
  }

  private onHeartbeatReply(from: NodeId, m: Extract<SingleLeaderMessage, { type: "heartbeatReply" }>): void {
    this.lastKnown.set(from, { lastLsn: m.lastLsn, lastEpoch: m.lastEpoch, epoch: m.epoch });
    if (this.phase !== "monitoring" || from !== this.leader) return;
    if (m.role !== "leader" || m.epoch !== this.epoch) {
      // Not leading. If it never got our promote (its epoch is older), say it again. If it led
      // this epoch and restarted, it stays silent as far as failure detection goes: the timeout
      // replaces it. (Without automatic failover, re-promote it in a new epoch instead.)
      if (m.role !== "leader" && m.epoch < this.epoch) this.sendPromote();
      else if (m.role === "follower" && m.epoch === this.epoch && this.options.automaticFailover === false) this.promote(from);
      return;
    }
    this.lastLeaderReplyMs = this.ctx.now();
    for (const lsn of m.acked) this.acknowledged.add(lsn);
    if (m.acked.length > 0) this.knownAckedUpTo = Math.max(this.knownAckedUpTo, ...m.acked);
    const firstReply = this.answeredSeq === undefined;
    if (this.answeredSeq === undefined || m.seq > this.answeredSeq) this.answeredSeq = m.seq;
    // A new leader (its answer to the promote, or to the first heartbeat after boot) gets its
    // first lease at once instead of a heartbeat interval later.
    if (firstReply) this.sendHeartbeat();
  }

  // ---------------------------------------------------------------- failover

  private beginFailover(): void {
    this.phase = "failover";
    this.failoverId++;
    this.ctx.note(`no heartbeat reply from ${this.leader} for ${this.s.failoverTimeoutMs} ms: stop pinging it, start a failover`);
    this.observer.failoverStarted?.(this.leader, this.epoch);
    if (this.s.storageId !== undefined) {
      // Fence first: once the storage refuses the old epoch, the old leader cannot commit, so
      // what the candidates report can no longer fall behind it.
      this.fencedEpoch = undefined;
      this.sendFence();
      return;
    }
    this.startRound();
  }

  private sendFence(): void {
    this.ctx.send(this.s.storageId!, { type: "fence", epoch: this.epoch });
    this.ctx.setTimer(this.s.probeTimeoutMs, "fence-retry", this.epoch);
  }

  private startRound(): void {
    const round = ++this.round;
    const expected = this.members.filter((m) => m !== this.leader);
    this.current = { round, startedLocalMs: this.ctx.now(), replies: new Map(), expected, done: false };
    this.observer.probeRoundStarted?.(round, expected);
    for (const m of expected) this.ctx.send(m, { type: "probe", round });
    this.ctx.setTimer(this.s.probeTimeoutMs, "probe-timeout", round);
    if (expected.length === 0) this.finishRound();
  }

  /** Builds the observation from the round's replies (what the coordinator knew when it sent the probes). */
  observation(): FailoverObservation {
    const r = this.current;
    const candidates: CandidateInfo[] = this.members
      .filter((m) => m !== this.leader)
      .map((id) => {
        const reply = r?.replies.get(id);
        const known = reply ?? this.lastKnown.get(id) ?? { lastLsn: 0, lastEpoch: 0, epoch: 0 };
        return { id, reachable: reply !== undefined, lastLsn: known.lastLsn, lastEpoch: known.lastEpoch, epoch: known.epoch };
      });
    return {
      // The probes went out at the round's start: the observation describes the cluster as of
      // then, so a lease check against this time is conservative.
      nowMs: r?.startedLocalMs ?? this.ctx.now(),
      clusterSize: this.members.length,
      clockUncertaintyMs: this.s.clockUncertaintyMs,
      oldLeader: {
        id: this.leader,
        epoch: this.epoch,
        lastHeartbeatSentMs: Number.isFinite(this.lastHeartbeatSentMs) ? this.lastHeartbeatSentMs : 0,
        leaseMs: this.s.leaseMs,
      },
      candidates,
      acknowledgedLsns: [...this.acknowledged].sort((a, b) => a - b),
    };
  }

  private finishRound(): void {
    const r = this.current;
    if (r === undefined || r.done) return;
    r.done = true;
    const observation = this.observation();
    const policy = this.options.policy;
    if (policy === undefined) {
      // Nobody judged the observation, so there is no verdict (and no refusal code to show): the
      // record says the failover waits for an operator, who can read the observation to choose.
      this.observer.failoverAttempt?.({ round: r.round, observation, verdict: undefined, decision: undefined, awaitingManualPromote: true });
      this.phase = "awaiting-manual-failover";
      this.ctx.note(`failover needed: no policy configured, waiting for a manual promote`);
      return;
    }
    const verdict = policy.validateSafeFailover(structuredClone(observation));
    let decision: FailoverDecision | undefined;
    if (verdict.safe) decision = policy.electNewLeader(structuredClone(observation));
    this.observer.failoverAttempt?.({ round: r.round, observation, verdict, decision, awaitingManualPromote: false });
    if (decision === undefined || !decision.promote) {
      const why = decision !== undefined && !decision.promote ? `${decision.code}: ${decision.reason}` : !verdict.safe ? `${verdict.code}: ${verdict.reason}` : "";
      this.ctx.note(`failover refused (${why}); asking again in ${this.s.failoverRetryMs} ms`);
      this.ctx.setTimer(this.s.failoverRetryMs, "retry", this.failoverId);
      return;
    }
    this.checkDecision(decision);
    this.carryOutPromotion(decision.leader, decision.epoch, false);
  }

  private checkDecision(decision: Extract<FailoverDecision, { promote: true }>): void {
    if (!this.members.includes(decision.leader)) {
      throw new FailoverDecisionError(
        `electNewLeader chose "${decision.leader}", which is not a node of this cluster. ` +
          `Choose one of the candidates: ${this.members.filter((m) => m !== this.leader).join(", ")}.`,
      );
    }
    if (!Number.isInteger(decision.epoch) || decision.epoch < 0) {
      throw new FailoverDecisionError(
        `electNewLeader returned epoch ${String(decision.epoch)}; an epoch is a whole number, greater than every epoch in the observation.`,
      );
    }
  }

  private carryOutPromotion(leader: NodeId, epoch: number, manual: boolean): void {
    this.failovers++;
    this.ctx.note(`promoting ${leader} to leader of epoch ${epoch}${manual ? " (manual)" : ""}`);
    this.leader = leader;
    this.epoch = epoch;
    this.phase = "monitoring";
    this.current = undefined;
    this.lastLeaderReplyMs = this.ctx.now();
    this.lastHeartbeatSentMs = Number.NEGATIVE_INFINITY;
    this.answeredSeq = undefined;
    this.acknowledged.clear();
    this.knownAckedUpTo = 0;
    this.observer.promoted?.(leader, epoch, manual);
    this.sendPromote();
    this.broadcastConfig();
  }

  /**
   * Tells the current leader to lead the current epoch. The promote is also that epoch's first
   * heartbeat: the node answers it (as leader) like one, and that answer earns its first lease at
   * once. A separate heartbeat sent alongside could overtake the promote, be answered "follower",
   * and the first lease would wait for the next tick. The promote grants no lease itself, so the
   * lease reasoning (every grant is a heartbeat, bounded by lastHeartbeatSentMs) is unchanged.
   */
  private sendPromote(): void {
    const seq = ++this.heartbeatSeq;
    this.lastHeartbeatSentMs = this.ctx.now();
    this.ctx.send(this.leader, { type: "promote", epoch: this.epoch, seq, members: [...this.members] });
  }

  /** Tells every member but the leader (and the fenced storage) who leads in which epoch. */
  private broadcastConfig(): void {
    const leaderLastLsn = this.lastKnown.get(this.leader)?.lastLsn ?? 0;
    const config = () => ({ type: "config" as const, leader: this.leader, epoch: this.epoch, members: [...this.members], leaderLastLsn });
    for (const m of this.members) if (m !== this.leader) this.ctx.send(m, config());
    if (this.s.storageId !== undefined) this.ctx.send(this.s.storageId, config());
  }

  // ---------------------------------------------------------------- operator actions (called by the harness)

  /**
   * Promotes `leader` by hand (manual failover, or a planned switchover), in `epoch` (default:
   * one more than any epoch the coordinator has seen).
   */
  promote(leader: NodeId, epoch?: number): void {
    if (!this.members.includes(leader)) {
      throw new FailoverDecisionError(`promote("${leader}"): not a member. Members: ${this.members.join(", ")}.`);
    }
    let maxSeen = this.epoch;
    for (const k of this.lastKnown.values()) maxSeen = Math.max(maxSeen, k.epoch, k.lastEpoch);
    this.carryOutPromotion(leader, epoch ?? maxSeen + 1, true);
  }

  /** Admits a spare node: it copies the leader's data by `method` and becomes a member at once. */
  admit(node: NodeId, method: BootstrapMethod): void {
    if (this.members.includes(node)) throw new FailoverDecisionError(`admit("${node}"): it is already a member.`);
    this.members.push(node);
    this.ctx.send(node, { type: "join", leader: this.leader, epoch: this.epoch, members: [...this.members], method });
    this.broadcastConfig();
  }

  /** A read-only description of the coordinator. */
  inspect(): CoordinatorState {
    return {
      phase: this.phase,
      leader: this.leader,
      epoch: this.epoch,
      members: [...this.members],
      lastLeaderReplyMs: this.lastLeaderReplyMs,
      lastHeartbeatSentMs: this.lastHeartbeatSentMs,
      acknowledgedLsns: [...this.acknowledged].sort((a, b) => a - b),
      failovers: this.failovers,
    };
  }
}
