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
import { notImplemented } from "../lib/exercise_support/not_implemented";

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
    throw notImplemented("RaftNode.onTimer");
  }

  /**
   * Every message first: a message of a higher term makes this node a follower of that term
   * (a `stepDown(ctx, term)` helper: forget the vote, persist). Then dispatch on `message.type`
   * to one handler per message type, which you write below.
   */
  onMessage(ctx: Ctx, from: NodeId, message: RaftMessage): void {
    throw notImplemented("RaftNode.onMessage");
  }

  /**
   * A client command. A leader appends { term: currentTerm, command } to its log, persists it,
   * remembers the request under the entry's index (this.waiting) and replicates it; anyone else
   * answers `{ ok: false, error: notLeaderError(this.leaderId) }` so the client tries elsewhere.
   * Never answer before the command is applied: a reply means "it happened".
   */
  onClientRequest(ctx: Ctx, request: ClientRequest<RaftCommand>): void {
    throw notImplemented("RaftNode.onClientRequest");
  }

  // Your helpers and handlers go here, for example: stepDown, startElection, becomeLeader,
  // sendAppendEntries, handleRequestVote, handleRequestVoteReply, handleAppendEntries,
  // handleAppendEntriesReply. Hints: `npm run hint raft`.

  /**
   * Leader only: the highest N > commitIndex such that a majority of the cluster (the leader
   * included) has matchIndex >= N *and* log[N].term === currentTerm becomes the new
   * commitIndex; then apply. Entries of earlier terms are never committed by counting replicas
   * (Raft paper, Figure 8): they commit when an entry of the current term after them does.
   */
  advanceCommitIndex(ctx: Ctx): void {
    throw notImplemented("RaftNode.advanceCommitIndex");
  }

  /**
   * Applies the entries from lastApplied + 1 to commitIndex, in order, to `this.kv`, and answers
   * the client waiting for each one (if this node is the leader that accepted it and the entry at
   * that index is still the client's command: `sameRaftRequest`).
   */
  applyCommitted(ctx: Ctx): void {
    throw notImplemented("RaftNode.applyCommitted");
  }
}
