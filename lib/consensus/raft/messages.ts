import type { NodeId } from "../../sim/trace";
import type { RaftLogEntry } from "./types";

/** Candidate asks for a vote (Raft paper, Figure 2). */
export interface RequestVote {
  readonly type: "RequestVote";
  /** The candidate's term. */
  readonly term: number;
  readonly candidateId: NodeId;
  /** Index and term of the candidate's last log entry: voters refuse candidates less up to date than themselves. */
  readonly lastLogIndex: number;
  readonly lastLogTerm: number;
}

/** A voter's answer. */
export interface RequestVoteReply {
  readonly type: "RequestVoteReply";
  /** The voter's current term, so a stale candidate learns it is behind. */
  readonly term: number;
  readonly voteGranted: boolean;
}

/** Leader replicates entries; with no entries it is a heartbeat. */
export interface AppendEntries {
  readonly type: "AppendEntries";
  /** The leader's term. */
  readonly term: number;
  readonly leaderId: NodeId;
  /** Index and term of the entry just before `entries`: the consistency check. */
  readonly prevLogIndex: number;
  readonly prevLogTerm: number;
  /** Entries to store from prevLogIndex + 1 on (empty for a heartbeat). */
  readonly entries: readonly RaftLogEntry[];
  /** The leader's commitIndex. */
  readonly leaderCommit: number;
}

/**
 * A follower's answer. On success `matchIndex` is the index of the last entry the follower now
 * shares with the leader. On failure the conflict fields let the leader skip a whole term of
 * mismatching entries per round trip (the "fast backup" of the Raft paper, section 5.3).
 */
export interface AppendEntriesReply {
  readonly type: "AppendEntriesReply";
  /** The follower's current term. */
  readonly term: number;
  readonly success: boolean;
  /** On success: prevLogIndex + entries.length of the request answered. */
  readonly matchIndex: number;
  /** On failure: term of the follower's conflicting entry at prevLogIndex, or 0 if its log is too short. */
  readonly conflictTerm: number;
  /** On failure: first index of conflictTerm in the follower's log, or its log length + 1 if too short. */
  readonly conflictIndex: number;
}

/** Every message Raft nodes exchange. */
export type RaftMessage = RequestVote | RequestVoteReply | AppendEntries | AppendEntriesReply;

/** Short labels for traces and message diagrams, e.g. "AE t3 +2 c5" or "Vote t2 yes". */
export function describeRaftMessage(m: RaftMessage): string {
  switch (m.type) {
    case "RequestVote":
      return `RequestVote t${m.term}`;
    case "RequestVoteReply":
      return `Vote t${m.term} ${m.voteGranted ? "yes" : "no"}`;
    case "AppendEntries":
      return m.entries.length === 0 ? `Heartbeat t${m.term} c${m.leaderCommit}` : `Append t${m.term} +${m.entries.length}@${m.prevLogIndex + 1}`;
    case "AppendEntriesReply":
      return m.success ? `AppendOk t${m.term} m${m.matchIndex}` : `AppendNo t${m.term} x${m.conflictIndex}`;
  }
}
