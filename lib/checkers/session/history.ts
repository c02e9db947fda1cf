/**
 * The recorded history the session-guarantee checkers read: who wrote what at which log position,
 * and which replica served each read and which version it returned. It is independent of the
 * simulator, so a checker can be tested on hand-built histories and fed from any system that can
 * say, for each read, which write produced the value it saw.
 *
 * Positions are per partition: each partition has its own leader and its own log, so position 7
 * of partition p1 and position 7 of p2 are unrelated. A key lives in exactly one partition.
 */

/** The partition every key belongs to when a history does not say. */
export const DEFAULT_PARTITION = "p0";

/** A write that completed successfully (acknowledged by its leader). */
export interface SessionWrite {
  readonly kind: "write";
  /** Unique in the history (e.g. the simulator's operation id). */
  readonly id: number;
  /** The client session (one device, one connection) that issued it. */
  readonly session: string;
  /** The person behind the session; two devices of one user share it (default: the session). */
  readonly user?: string;
  readonly key: string;
  /** The partition the key lives in (default `DEFAULT_PARTITION`). */
  readonly partition?: string;
  /** The write's position in its partition's log (the leader's LSN), 1 or more. */
  readonly position: number;
  readonly invokeMs: number;
  readonly completeMs: number;
  /** Ids of writes this one is a consequence of (an answer depends on its question). */
  readonly dependsOn?: readonly number[];
  /** A short human name for explanations, e.g. "the question" (default: key=position). */
  readonly label?: string;
}

/** A read that completed successfully. */
export interface SessionRead {
  readonly kind: "read";
  readonly id: number;
  readonly session: string;
  readonly user?: string;
  readonly key: string;
  readonly partition?: string;
  /** The node that answered. */
  readonly replica: string;
  /**
   * Position of the write whose value the read returned, or null when the key did not exist on
   * that replica (never written, or not yet replicated there).
   */
  readonly seen: number | null;
  readonly invokeMs: number;
  readonly completeMs: number;
  /**
   * Reads with the same group form one observation (one page load that shows a question and
   * its answer together); they count as simultaneous for consistent prefix.
   */
  readonly group?: string;
}

export type SessionOp = SessionWrite | SessionRead;

/** The guarantee a violation breaks. */
export type SessionGuarantee = "read-your-writes" | "monotonic-reads" | "consistent-prefix";

/** One violation, with the operations involved and a sentence saying what went wrong. */
export interface SessionViolation {
  readonly guarantee: SessionGuarantee;
  /** The session (or user, when checked per user) that saw the anomaly. */
  readonly scope: string;
  /** The read that saw too old a state. */
  readonly read: SessionRead;
  /** The earlier operation it contradicts: the own write, the earlier read, or the effect seen. */
  readonly because: SessionOp;
  /** Plain words, e.g. "session s2 read x at position 41 after having read it at 57". */
  readonly explanation: string;
}

/** Whose operations a guarantee is about: one session (one device) or one user (all devices). */
export type SessionScope = "session" | "user";

/** Options every session-guarantee checker takes. */
export interface SessionCheckOptions {
  /** Whose observations count together: one session (default) or all of a user's devices. */
  by?: SessionScope;
}

/** The scope value of an operation. */
export function scopeOf(op: SessionOp, by: SessionScope): string {
  return by === "user" ? (op.user ?? op.session) : op.session;
}

/** The partition of an operation's key. */
export function partitionOf(op: SessionOp): string {
  return op.partition ?? DEFAULT_PARTITION;
}

/** "position 41", or "nothing" for a read of a missing key. */
export function describeSeen(seen: number | null): string {
  return seen === null ? "nothing (the key was absent)" : `position ${seen}`;
}

/** True when `earlier` completed before `later` was invoked (real-time order). */
export function precedes(earlier: SessionOp, later: SessionOp): boolean {
  return earlier.completeMs <= later.invokeMs;
}

/** Treats a missing key as older than every write. */
export function seenRank(seen: number | null): number {
  return seen === null ? 0 : seen;
}

/** Operations sorted by invocation time, then id (a stable order for every checker). */
export function byInvocation<T extends SessionOp>(ops: readonly T[]): T[] {
  return [...ops].sort((a, b) => a.invokeMs - b.invokeMs || a.id - b.id);
}

/** Throws a TypeError naming the operation when a history entry cannot be checked. */
export function validateHistory(ops: readonly SessionOp[]): void {
  const ids = new Set<number>();
  for (const op of ops) {
    if (op === null || typeof op !== "object" || (op.kind !== "read" && op.kind !== "write")) {
      throw new TypeError(`history entry ${JSON.stringify(op)} is neither a read nor a write (kind: "read" | "write").`);
    }
    if (ids.has(op.id)) throw new TypeError(`history has two operations with id ${op.id}; ids must be unique.`);
    ids.add(op.id);
    if (!(op.completeMs >= op.invokeMs)) {
      throw new TypeError(`operation ${op.id} completes (${op.completeMs} ms) before it is invoked (${op.invokeMs} ms).`);
    }
    if (op.kind === "write" && !(Number.isInteger(op.position) && op.position >= 1)) {
      throw new TypeError(`write ${op.id} has position ${String(op.position)}; log positions are integers >= 1.`);
    }
    if (op.kind === "read" && op.seen !== null && !(Number.isInteger(op.seen) && op.seen >= 1)) {
      throw new TypeError(`read ${op.id} saw position ${String(op.seen)}; use a log position (an integer >= 1) or null for a missing key.`);
    }
  }
}

/** Milliseconds without noise in explanations: 12.3456 -> "12.3". */
export function msText(ms: number): string {
  return String(Math.round(ms * 10) / 10);
}
