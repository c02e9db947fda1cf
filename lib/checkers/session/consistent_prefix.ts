/**
 * Consistent prefix reads: whoever sees a write also sees the writes it depends on (the question
 * before its answer). The danger is across partitions: each has its own log and its own lag, so
 * a reader can see partition p2's answer while its replica of p1 has not yet got the question.
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
  type SessionWrite,
} from "./history";

function name(w: SessionWrite): string {
  return w.label ?? `${w.key}@${partitionOf(w)}:${w.position}`;
}

/**
 * Every read that showed a cause missing after (or together with) an effect the same session saw.
 * A session saw write w when one of its reads returned exactly w's version. Then each cause c of
 * w (`w.dependsOn`) must be visible to the session: a read of c's key in the same observation
 * group as that read, or begun after that read completed, must return c's position or newer.
 * Dependencies are followed transitively; ids that are not writes of the history are ignored.
 */
export function checkConsistentPrefix(ops: readonly SessionOp[], options: SessionCheckOptions = {}): SessionViolation[] {
  validateHistory(ops);
  const by = options.by ?? "session";
  const writes = ops.filter((op): op is SessionWrite => op.kind === "write");
  const writeById = new Map(writes.map((w) => [w.id, w]));
  const writeByVersion = new Map(writes.map((w) => [`${partitionOf(w)}\u0000${w.key}\u0000${w.position}`, w]));
  const causesOf = (w: SessionWrite): SessionWrite[] => {
    const out: SessionWrite[] = [];
    const seen = new Set<number>([w.id]);
    const stack = [...(w.dependsOn ?? [])];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      const c = writeById.get(id);
      if (c === undefined) continue;
      out.push(c);
      stack.push(...(c.dependsOn ?? []));
    }
    return out.sort((a, b) => a.id - b.id);
  };
  const reads = byInvocation(ops.filter((op): op is SessionRead => op.kind === "read"));
  const violations: SessionViolation[] = [];
  const reported = new Set<string>();
  for (const effectRead of reads) {
    if (effectRead.seen === null) continue;
    const effect = writeByVersion.get(`${partitionOf(effectRead)}\u0000${effectRead.key}\u0000${effectRead.seen}`);
    if (effect === undefined) continue;
    const scope = scopeOf(effectRead, by);
    for (const cause of causesOf(effect)) {
      for (const read of reads) {
        if (read === effectRead || scopeOf(read, by) !== scope || read.key !== cause.key || partitionOf(read) !== partitionOf(cause)) continue;
        const together = read.group !== undefined && read.group === effectRead.group;
        if (!together && !precedes(effectRead, read)) continue;
        if (seenRank(read.seen) >= cause.position) continue;
        const id = `${read.id}/${cause.id}`;
        if (reported.has(id)) continue;
        reported.add(id);
        violations.push({
          guarantee: "consistent-prefix",
          scope,
          read,
          because: effectRead,
          explanation:
            `${by === "user" ? "user" : "session"} ${scope} saw ${name(effect)} (${effect.key} at ${partitionOf(effect)} position ` +
            `${effect.position}, via ${effectRead.replica}) but ${together ? "in the same view" : "afterwards"} read ` +
            `${cause.key} from ${read.replica} at ${fmt(read.invokeMs)} ms and got ${describeSeen(read.seen)}: ` +
            `${name(cause)}, which it depends on (${partitionOf(cause)} position ${cause.position}), was missing`,
        });
      }
    }
  }
  return violations;
}
