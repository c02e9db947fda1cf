/**
 * Exercise: raft (chapter 08).
 *
 * Write a Raft node: leader election, log replication and commitment, as an I/O-free state
 * machine on the simulator. The node keeps a key-value store (RaftKvStore) on top of its log
 * and answers clients once their command is applied. Everything around it is given:
 *
 *   - lib/consensus/raft/messages.ts   the four messages (RequestVote, AppendEntries and replies)
 *   - lib/consensus/raft/persistence.ts RaftPersistence: term, vote and log on the simulated disk
 *   - lib/consensus/raft/kv.ts          the key-value state machine with duplicate detection
 *   - lib/consensus/raft/cluster.ts     the harness the grader and the chapter run you in
 *
 * What you write (each method below says what it must do):
 *   - onTimer: the randomised election timeout (start an election) and the leader's heartbeat;
 *   - onMessage: the four message handlers, with "a higher term makes you a follower" first;
 *   - onClientRequest: a leader appends the command to its log; others refuse with a hint;
 *   - advanceCommitIndex and applyCommitted: majority commit with the current-term rule
 *     (Raft paper, Figure 8), then apply in order and answer the waiting client.
 *
 * The grader runs your node through the classic scenarios (elections under partitions and churn,
 * agreement with failures, crashes and restarts, the Figure 8 scenario, a lossy network) and
 * checks the five safety properties after every simulated event. Run `npm run grade raft`, and
 * `npm run hint raft` when stuck. Figure 2 of the Raft paper is the specification.
 */
import type { ClientRequest, NodeContext, TimerId } from "../lib/sim/node";
import type { NodeId } from "../lib/sim/trace";
import type { AppendEntries, AppendEntriesReply, RaftMessage, RequestVote, RequestVoteReply } from "../lib/consensus/raft/messages";
import { RaftPersistence } from "../lib/consensus/raft/persistence";
import { RaftKvStore, sameRaftRequest, type RaftCommand, type RaftOutput } from "../lib/consensus/raft/kv";
import { notLeaderError } from "../lib/consensus/raft/client";
import { majorityOf, termAt, type RaftLogEntry, type RaftNodeLogic, type RaftNodeState, type RaftRole, type RaftTiming } from "../lib/consensus/raft/types";
// @starter import { notImplemented } from "../lib/exercise_support/not_implemented";

// The helpers you will want, re-exported so they are at hand (and the file type-checks before
// you use them): majorityOf(n), termAt(log, index), sameRaftRequest(a, b), notLeaderError(hint).
export { majorityOf, notLeaderError, sameRaftRequest, termAt };
export type { AppendEntries, AppendEntriesReply, RequestVote, RequestVoteReply };

type Ctx = NodeContext<RaftMessage, RaftCommand, RaftOutput>;

/** Builds one Raft node; the cluster harness calls it at boot and after every restart. */
export function createRaftNode(id: NodeId, timing: RaftTiming): RaftNodeLogic {
  return new RaftNode(id, timing);
}

/**
 * One Raft server. Fields marked (persistent) must be saved with `this.persistence` before the
 * node sends any message that depends on them; the rest is lost in a crash.
 */
export class RaftNode implements RaftNodeLogic {
  role: RaftRole = "follower";
  /** Latest term this node has seen (persistent). */
  currentTerm = 0;
  /** Who this node voted for in currentTerm, or null (persistent). */
  votedFor: NodeId | null = null;
  /** The log; log[0] is the entry at index 1 (persistent). */
  log: RaftLogEntry[] = [];
  /** Highest index known to be committed. */
  commitIndex = 0;
  /** Highest index applied to `kv`. */
  lastApplied = 0;
  /** The leader of currentTerm, when known (for "not the leader; try ..." answers). */
  leaderId: NodeId | null = null;
  /** Candidate: the peers that granted their vote in currentTerm (itself included). */
  votes = new Set<NodeId>();
  /** Leader: for each follower, the index of the next entry to send it. */
  nextIndex = new Map<NodeId, number>();
  /** Leader: for each follower, the highest index known to be replicated on it. */
  matchIndex = new Map<NodeId, number>();
  /** The key-value state machine the committed commands are applied to. */
  readonly kv = new RaftKvStore();
  /** Leader: client requests waiting for the entry at a log index to be applied. */
  readonly waiting = new Map<number, ClientRequest<RaftCommand>>();
  electionTimer: TimerId | undefined;
  heartbeatTimer: TimerId | undefined;
  persistence!: RaftPersistence;

  constructor(
    readonly id: NodeId,
    readonly timing: RaftTiming,
  ) {}

  /** Given: reads the persistent state back and starts the election timer. */
  onStart(ctx: Ctx): void {
    this.persistence = new RaftPersistence(ctx.storage);
    const saved = this.persistence.load();
    this.currentTerm = saved.currentTerm;
    this.votedFor = saved.votedFor;
    this.log = saved.log;
    this.resetElectionTimer(ctx);
  }

  /** Given: what the safety checker and the harness see after every event. */
  inspect(): RaftNodeState {
    return {
      role: this.role,
      currentTerm: this.currentTerm,
      votedFor: this.votedFor,
      log: this.log,
      commitIndex: this.commitIndex,
      lastApplied: this.lastApplied,
    };
  }

  /** Given: (re)arms the election timer with a fresh random timeout. */
  resetElectionTimer(ctx: Ctx): void {
    if (this.electionTimer !== undefined) ctx.cancelTimer(this.electionTimer);
    const delay = ctx.random.uniform(this.timing.electionTimeoutMinMs, this.timing.electionTimeoutMaxMs);
    this.electionTimer = ctx.setTimer(delay, "election");
  }

  /**
   * The election timeout ("election") and the leader's heartbeat ("heartbeat").
   * - election: a follower or candidate that heard nothing becomes a candidate of a new term,
   *   votes for itself, persists, asks every peer for its vote and re-arms the timer. A leader
   *   ignores it.
   * - heartbeat: a leader sends AppendEntries to every follower (from each one's nextIndex: a
   *   helper `sendAppendEntries(ctx, peer)` is worth writing) and re-arms the timer.
   */
  onTimer(ctx: Ctx, name: string): void {
    // @solution-begin
    if (name === "election") {
      this.electionTimer = undefined;
      if (this.role === "leader") return;
      this.startElection(ctx);
    } else if (name === "heartbeat") {
      this.heartbeatTimer = undefined;
      if (this.role !== "leader") return;
      for (const peer of ctx.peers) this.sendAppendEntries(ctx, peer);
      this.heartbeatTimer = ctx.setTimer(this.timing.heartbeatMs, "heartbeat");
    }
    // @solution-end
    // @starter throw notImplemented("RaftNode.onTimer");
  }

  /**
   * Every message first: a message of a higher term makes this node a follower of that term
   * (a `stepDown(ctx, term)` helper: forget the vote, persist). Then dispatch on `message.type`
   * to one handler per message type, which you write below.
   */
  onMessage(ctx: Ctx, from: NodeId, message: RaftMessage): void {
    // @solution-begin
    if (message.term > this.currentTerm) this.stepDown(ctx, message.term);
    switch (message.type) {
      case "RequestVote":
        return this.handleRequestVote(ctx, from, message);
      case "RequestVoteReply":
        return this.handleRequestVoteReply(ctx, from, message);
      case "AppendEntries":
        return this.handleAppendEntries(ctx, from, message);
      case "AppendEntriesReply":
        return this.handleAppendEntriesReply(ctx, from, message);
    }
    // @solution-end
    // @starter throw notImplemented("RaftNode.onMessage");
  }

  /**
   * A client command. A leader appends { term: currentTerm, command } to its log, persists it,
   * remembers the request under the entry's index (this.waiting) and replicates it; anyone else
   * answers `{ ok: false, error: notLeaderError(this.leaderId) }` so the client tries elsewhere.
   * Never answer before the command is applied: a reply means "it happened".
   */
  onClientRequest(ctx: Ctx, request: ClientRequest<RaftCommand>): void {
    // @solution-begin
    if (this.role !== "leader") {
      ctx.reply(request, { ok: false, error: notLeaderError(this.leaderId) });
      return;
    }
    this.log.push({ term: this.currentTerm, command: request.input });
    this.persistence.saveLog(this.log, this.log.length);
    this.waiting.set(this.log.length, request);
    for (const peer of ctx.peers) this.sendAppendEntries(ctx, peer);
    this.advanceCommitIndex(ctx); // a one-node cluster commits at once
    // @solution-end
    // @starter throw notImplemented("RaftNode.onClientRequest");
  }

  // @starter // Your helpers and handlers go here, for example: stepDown, startElection, becomeLeader,
  // @starter // sendAppendEntries, handleRequestVote, handleRequestVoteReply, handleAppendEntries,
  // @starter // handleAppendEntriesReply. Hints: `npm run hint raft`.
  // @solution-begin
  /** Becomes a follower of `term` (a higher term than ours): forget the vote, persist. */
  stepDown(ctx: Ctx, term: number): void {
    const wasLeader = this.role === "leader";
    this.currentTerm = term;
    this.votedFor = null;
    this.role = "follower";
    this.leaderId = null;
    this.persistence.saveTermAndVote(this.currentTerm, this.votedFor);
    if (wasLeader) {
      if (this.heartbeatTimer !== undefined) ctx.cancelTimer(this.heartbeatTimer);
      this.heartbeatTimer = undefined;
      // Waiting clients get no answer: their entries may still commit under the next leader,
      // so "failed" would be a lie. They time out and retry with the same request id.
      this.waiting.clear();
    }
    if (this.electionTimer === undefined) this.resetElectionTimer(ctx);
  }

  startElection(ctx: Ctx): void {
    this.currentTerm++;
    this.role = "candidate";
    this.votedFor = this.id;
    this.leaderId = null;
    this.votes = new Set([this.id]);
    this.persistence.saveTermAndVote(this.currentTerm, this.votedFor);
    this.resetElectionTimer(ctx);
    ctx.note(`candidate in term ${this.currentTerm}`);
    const request: RequestVote = {
      type: "RequestVote",
      term: this.currentTerm,
      candidateId: this.id,
      lastLogIndex: this.log.length,
      lastLogTerm: termAt(this.log, this.log.length),
    };
    for (const peer of ctx.peers) ctx.send(peer, request);
    if (this.votes.size >= majorityOf(ctx.peers.length + 1)) this.becomeLeader(ctx);
  }

  handleRequestVote(ctx: Ctx, from: NodeId, m: RequestVote): void {
    const myLastTerm = termAt(this.log, this.log.length);
    const upToDate = m.lastLogTerm > myLastTerm || (m.lastLogTerm === myLastTerm && m.lastLogIndex >= this.log.length);
    const canVote = this.votedFor === null || this.votedFor === m.candidateId;
    const grant = m.term === this.currentTerm && canVote && upToDate;
    if (grant) {
      this.votedFor = m.candidateId;
      this.persistence.saveTermAndVote(this.currentTerm, this.votedFor);
      this.resetElectionTimer(ctx);
    }
    const reply: RequestVoteReply = { type: "RequestVoteReply", term: this.currentTerm, voteGranted: grant };
    ctx.send(from, reply);
  }

  handleRequestVoteReply(ctx: Ctx, from: NodeId, m: RequestVoteReply): void {
    if (this.role !== "candidate" || m.term !== this.currentTerm || !m.voteGranted) return;
    this.votes.add(from);
    if (this.votes.size >= majorityOf(ctx.peers.length + 1)) this.becomeLeader(ctx);
  }

  becomeLeader(ctx: Ctx): void {
    this.role = "leader";
    this.leaderId = this.id;
    ctx.note(`leader of term ${this.currentTerm}`);
    if (this.electionTimer !== undefined) ctx.cancelTimer(this.electionTimer);
    this.electionTimer = undefined;
    this.nextIndex = new Map(ctx.peers.map((p) => [p, this.log.length + 1]));
    this.matchIndex = new Map(ctx.peers.map((p) => [p, 0]));
    for (const peer of ctx.peers) this.sendAppendEntries(ctx, peer);
    this.heartbeatTimer = ctx.setTimer(this.timing.heartbeatMs, "heartbeat");
  }

  /** Sends `peer` the entries from its nextIndex on (at most maxEntriesPerMessage; none = heartbeat). */
  sendAppendEntries(ctx: Ctx, peer: NodeId): void {
    const next = this.nextIndex.get(peer) ?? this.log.length + 1;
    const prevLogIndex = next - 1;
    const message: AppendEntries = {
      type: "AppendEntries",
      term: this.currentTerm,
      leaderId: this.id,
      prevLogIndex,
      prevLogTerm: termAt(this.log, prevLogIndex),
      entries: this.log.slice(prevLogIndex, prevLogIndex + this.timing.maxEntriesPerMessage),
      leaderCommit: this.commitIndex,
    };
    ctx.send(peer, message);
  }

  handleAppendEntries(ctx: Ctx, from: NodeId, m: AppendEntries): void {
    const refuse = (conflictTerm: number, conflictIndex: number) => {
      const reply: AppendEntriesReply = { type: "AppendEntriesReply", term: this.currentTerm, success: false, matchIndex: 0, conflictTerm, conflictIndex };
      ctx.send(from, reply);
    };
    if (m.term < this.currentTerm) return refuse(0, 0);
    // A current leader exists: a candidate of this term gives up, everyone waits again.
    this.role = "follower";
    this.leaderId = m.leaderId;
    this.resetElectionTimer(ctx);

    if (m.prevLogIndex > this.log.length) return refuse(0, this.log.length + 1);
    if (m.prevLogIndex > 0 && termAt(this.log, m.prevLogIndex) !== m.prevLogTerm) {
      const conflictTerm = termAt(this.log, m.prevLogIndex);
      let first = m.prevLogIndex;
      while (first > 1 && termAt(this.log, first - 1) === conflictTerm) first--;
      return refuse(conflictTerm, first);
    }
    // Append what is new; cut our log only at a real conflict, never because a stale or
    // reordered message is shorter than what we already have.
    let changedFrom = 0;
    for (let k = 0; k < m.entries.length; k++) {
      const index = m.prevLogIndex + 1 + k;
      const entry = m.entries[k]!;
      if (index <= this.log.length && termAt(this.log, index) === entry.term) continue;
      if (index <= this.log.length) this.log.length = index - 1;
      this.log.push(entry);
      if (changedFrom === 0) changedFrom = index;
    }
    if (changedFrom > 0) this.persistence.saveLog(this.log, changedFrom);
    const lastNew = m.prevLogIndex + m.entries.length;
    if (m.leaderCommit > this.commitIndex) {
      this.commitIndex = Math.max(this.commitIndex, Math.min(m.leaderCommit, lastNew));
      this.applyCommitted(ctx);
    }
    const reply: AppendEntriesReply = { type: "AppendEntriesReply", term: this.currentTerm, success: true, matchIndex: lastNew, conflictTerm: 0, conflictIndex: 0 };
    ctx.send(from, reply);
  }

  handleAppendEntriesReply(ctx: Ctx, from: NodeId, m: AppendEntriesReply): void {
    if (this.role !== "leader" || m.term !== this.currentTerm) return;
    const match = this.matchIndex.get(from) ?? 0;
    if (m.success) {
      if (m.matchIndex > match) this.matchIndex.set(from, m.matchIndex);
      const newMatch = this.matchIndex.get(from)!;
      if ((this.nextIndex.get(from) ?? 1) <= newMatch) this.nextIndex.set(from, newMatch + 1);
      this.advanceCommitIndex(ctx);
      // Still behind (more than one message of entries): keep sending without waiting a heartbeat.
      if (newMatch < this.log.length && m.matchIndex === newMatch) this.sendAppendEntries(ctx, from);
      return;
    }
    if (m.conflictIndex === 0) return; // answered a stale term; nothing to learn
    // Fast backup: skip the follower's whole conflicting term, or to the end of its short log.
    let next = m.conflictIndex;
    if (m.conflictTerm > 0) {
      let last = 0;
      for (let i = this.log.length; i >= 1; i--) {
        if (termAt(this.log, i) === m.conflictTerm) {
          last = i;
          break;
        }
      }
      if (last > 0) next = last + 1;
    }
    next = Math.max(match + 1, Math.min(next, this.log.length + 1));
    if (next >= (this.nextIndex.get(from) ?? 1)) return; // a stale refusal: we already moved on
    this.nextIndex.set(from, next);
    this.sendAppendEntries(ctx, from);
  }
  // @solution-end

  /**
   * Leader only: the highest N > commitIndex such that a majority of the cluster (the leader
   * included) has matchIndex >= N *and* log[N].term === currentTerm becomes the new
   * commitIndex; then apply. Entries of earlier terms are never committed by counting replicas
   * (Raft paper, Figure 8): they commit when an entry of the current term after them does.
   */
  advanceCommitIndex(ctx: Ctx): void {
    // @solution-begin
    if (this.role !== "leader") return;
    const majority = majorityOf(ctx.peers.length + 1);
    for (let n = this.log.length; n > this.commitIndex; n--) {
      if (termAt(this.log, n) !== this.currentTerm) break; // older terms cannot commit by counting
      let replicas = 1;
      for (const m of this.matchIndex.values()) if (m >= n) replicas++;
      if (replicas >= majority) {
        this.commitIndex = n;
        this.applyCommitted(ctx);
        return;
      }
    }
    // @solution-end
    // @starter throw notImplemented("RaftNode.advanceCommitIndex");
  }

  /**
   * Applies the entries from lastApplied + 1 to commitIndex, in order, to `this.kv`, and answers
   * the client waiting for each one (if this node is the leader that accepted it and the entry at
   * that index is still the client's command: `sameRaftRequest`).
   */
  applyCommitted(ctx: Ctx): void {
    // @solution-begin
    while (this.lastApplied < this.commitIndex) {
      const index = ++this.lastApplied;
      const entry = this.log[index - 1]!;
      const output = this.kv.apply(entry.command);
      const request = this.waiting.get(index);
      if (request !== undefined) {
        this.waiting.delete(index);
        if (sameRaftRequest(request.input, entry.command)) ctx.reply(request, { ok: true, value: output });
      }
    }
    // @solution-end
    // @starter throw notImplemented("RaftNode.applyCommitted");
  }
}
