/**
 * Monotonic reads: once a session has seen a version of a key, it never later sees an older one
 * (the comment that appears and then vanishes again). Checked per key: reading other keys, or
 * re-reading the same version from another replica, is fine.
 */
import {
  byInvocation,
  describeSeen,
  msText as fmt,
  partitionOf,
  precedes,
  scopeOf,
  seenRank,
  validateHistory,
  type SessionOp,
  type SessionRead,
  type SessionCheckOptions,
  type SessionViolation,
} from "./history";

/**
 * Every read that returned an older version of a key than an earlier read of the same session
 * (one that completed before it began) had returned. The first read of a key cannot violate it;
 * two overlapping reads are not ordered, so neither is held to the other.
 */
export function checkMonotonicReads(ops: readonly SessionOp[], options: SessionCheckOptions = {}): SessionViolation[] {
  validateHistory(ops);
  const by = options.by ?? "session";
  const reads = byInvocation(ops.filter((op): op is SessionRead => op.kind === "read"));
  const violations: SessionViolation[] = [];
  const bySeries = new Map<string, SessionRead[]>();
  for (const read of reads) {
    const series = `${scopeOf(read, by)}\u0000${partitionOf(read)}\u0000${read.key}`;
    const list = bySeries.get(series) ?? [];
    list.push(read);
    bySeries.set(series, list);
  }
  for (const read of reads) {
    const series = bySeries.get(`${scopeOf(read, by)}\u0000${partitionOf(read)}\u0000${read.key}`)!;
    // The freshest earlier read: the one the session must not fall behind.
    let freshest: SessionRead | undefined;
    for (const earlier of series) {
      if (earlier === read || !precedes(earlier, read)) continue;
      if (freshest === undefined || seenRank(earlier.seen) > seenRank(freshest.seen)) freshest = earlier;
    }
    if (freshest === undefined || seenRank(read.seen) >= seenRank(freshest.seen)) continue;
    const scope = scopeOf(read, by);
    violations.push({
      guarantee: "monotonic-reads",
      scope,
      read,
      because: freshest,
      explanation:
        `${by === "user" ? "user" : "session"} ${scope} read ${read.key} at ${describeSeen(read.seen)} from ${read.replica} ` +
        `(${fmt(read.invokeMs)} ms) after having read it at ${describeSeen(freshest.seen)} from ${freshest.replica} ` +
        `(${fmt(freshest.invokeMs)} ms)`,
    });
  }
  return violations;
}
