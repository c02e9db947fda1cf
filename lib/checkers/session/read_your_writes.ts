/**
 * Read-your-writes (read-after-write consistency): once a session's write has been acknowledged,
 * every later read of that key by the same session returns that write or a newer one. With
 * `by: "user"` the guarantee is checked across all of a user's devices (the cross-device
 * variant: write on the laptop, read on the phone).
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

/**
 * Every read that missed an earlier acknowledged write of its own session (or user). A write
 * still in flight when the read starts is concurrent with it and not required; a read may
 * return a newer write by anyone.
 */
export function checkReadYourWrites(ops: readonly SessionOp[], options: SessionCheckOptions = {}): SessionViolation[] {
  validateHistory(ops);
  const by = options.by ?? "session";
  const writes = ops.filter((op): op is SessionWrite => op.kind === "write");
  const violations: SessionViolation[] = [];
  for (const read of byInvocation(ops.filter((op): op is SessionRead => op.kind === "read"))) {
    const scope = scopeOf(read, by);
    // The newest own write of this key that finished before the read began.
    let required: SessionWrite | undefined;
    for (const w of writes) {
      if (w.key !== read.key || partitionOf(w) !== partitionOf(read) || scopeOf(w, by) !== scope || !precedes(w, read)) continue;
      if (required === undefined || w.position > required.position) required = w;
    }
    if (required === undefined || seenRank(read.seen) >= required.position) continue;
    const who = by === "user" ? `user ${scope}` : `session ${scope}`;
    const device = by === "user" && required.session !== read.session ? ` (written from ${required.session}, read from ${read.session})` : "";
    violations.push({
      guarantee: "read-your-writes",
      scope,
      read,
      because: required,
      explanation:
        `${who} wrote ${read.key} at position ${required.position} (done at ${fmt(required.completeMs)} ms), then read it from ` +
        `${read.replica} at ${fmt(read.invokeMs)} ms and got ${describeSeen(read.seen)}${device}`,
    });
  }
  return violations;
}
