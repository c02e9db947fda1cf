import type { NodeLogic } from "../../sim/node";
import type { NodeId } from "../../sim/trace";
import type { RaftMessage } from "./messages";
import type { RaftCommand, RaftOutput } from "./kv";

/** The three roles of a Raft node. Every node starts as a follower. */
export type RaftRole = "follower" | "candidate" | "leader";

/**
 * One entry of the replicated log: the term of the leader that created it and the client command.
 * Log indexes start at 1 (index 0 means "before the first entry", with term 0).
 */
export interface RaftLogEntry {
  readonly term: number;
  readonly command: RaftCommand;
}

/** Timing parameters of a Raft node, in ms of the node's local clock. */
export interface RaftTiming {
  /** Lower bound of the randomised election timeout. */
  readonly electionTimeoutMinMs: number;
  /** Upper bound (exclusive) of the randomised election timeout. */
  readonly electionTimeoutMaxMs: number;
  /** A leader sends AppendEntries (possibly empty: a heartbeat) to each follower this often. */
  readonly heartbeatMs: number;
  /** At most this many entries in one AppendEntries message. */
  readonly maxEntriesPerMessage: number;
}

/**
 * The defaults the graded scenarios use: a heartbeat every 50 ms (20 per second, like the
 * classic labs' limit of tens per second) and election timeouts of 150-300 ms, well above the
 * 1-5 ms network latency, as the Raft paper recommends (broadcast time << election timeout).
 */
export const DEFAULT_RAFT_TIMING: RaftTiming = {
  electionTimeoutMinMs: 150,
  electionTimeoutMaxMs: 300,
  heartbeatMs: 50,
  maxEntriesPerMessage: 64,
};

/**
 * What a node shows the safety checker and the test harness after every event. It is read, never
 * written: the checker copies what it needs. `log[0]` is the entry at index 1.
 */
export interface RaftNodeState {
  readonly role: RaftRole;
  /** Latest term this node has seen (persistent). */
  readonly currentTerm: number;
  /** Candidate this node voted for in `currentTerm`, or null (persistent). */
  readonly votedFor: NodeId | null;
  /** The node's log (persistent). */
  readonly log: readonly RaftLogEntry[];
  /** Highest log index known to be committed (volatile). */
  readonly commitIndex: number;
  /** Highest log index applied to the key-value state machine (volatile). */
  readonly lastApplied: number;
}

/** A Raft node as the simulator and the checkers see it: an I/O-free state machine that can be inspected. */
export interface RaftNodeLogic extends NodeLogic<RaftMessage, RaftCommand, RaftOutput> {
  /** A snapshot of the node's Raft state (see RaftNodeState). */
  inspect(): RaftNodeState;
}

/** Builds a node; the cluster harness calls it at boot and after every restart. */
export type RaftNodeFactory = (id: NodeId, timing: RaftTiming) => RaftNodeLogic;

/** Term of the entry at `index` (1-based); 0 for index 0 or an index past the end. */
export function termAt(log: readonly RaftLogEntry[], index: number): number {
  return index >= 1 && index <= log.length ? log[index - 1]!.term : 0;
}

/** The smallest number of nodes that is more than half of `clusterSize` (shared with the replication protocols). */
export { majorityOf } from "../../replication/majority";
