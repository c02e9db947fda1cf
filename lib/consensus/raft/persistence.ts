import type { DurableStorage } from "../../sim/storage";
import type { NodeId } from "../../sim/trace";
import type { RaftLogEntry } from "./types";

/** What a Raft node must find again after a crash (Raft paper, Figure 2: "persistent state"). */
export interface PersistentRaftState {
  currentTerm: number;
  votedFor: NodeId | null;
  log: RaftLogEntry[];
}

const TERM = "raft/currentTerm";
const VOTE = "raft/votedFor";
const LENGTH = "raft/logLength";
const entryKey = (index: number) => `raft/log/${index}`;

/**
 * Raft's persistent state on the node's simulated disk. Each method writes and then syncs
 * (fsync) before returning, so the state is durable before the node sends the message that
 * depends on it: a vote must be on disk before the "yes" leaves, an entry before "AppendOk".
 *
 * The log is stored one entry per key plus a length, so appending k entries costs k writes,
 * not a rewrite of the whole log.
 */
export class RaftPersistence {
  constructor(private readonly storage: DurableStorage) {}

  /** Reads the state back at boot: term 0, no vote and an empty log on a fresh disk. */
  load(): PersistentRaftState {
    const length = this.storage.get<number>(LENGTH) ?? 0;
    const log: RaftLogEntry[] = [];
    for (let i = 1; i <= length; i++) log.push(this.storage.get<RaftLogEntry>(entryKey(i))!);
    return {
      currentTerm: this.storage.get<number>(TERM) ?? 0,
      votedFor: this.storage.get<NodeId | null>(VOTE) ?? null,
      log,
    };
  }

  /** Saves the term and the vote together (they change together). */
  saveTermAndVote(currentTerm: number, votedFor: NodeId | null): void {
    this.storage.put(TERM, currentTerm);
    this.storage.put(VOTE, votedFor);
    this.storage.sync();
  }

  /**
   * Saves the log after a change: entries from `fromIndex` (1-based) to the end of `log` are
   * (re)written and anything stored beyond the end of `log` is removed.
   */
  saveLog(log: readonly RaftLogEntry[], fromIndex: number): void {
    const stored = this.storage.get<number>(LENGTH) ?? 0;
    for (let i = Math.max(1, fromIndex); i <= log.length; i++) this.storage.put(entryKey(i), log[i - 1]);
    for (let i = log.length + 1; i <= stored; i++) this.storage.delete(entryKey(i));
    this.storage.put(LENGTH, log.length);
    this.storage.sync();
  }
}
