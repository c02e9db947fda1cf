/**
 * Session-guarantee checkers over a recorded history (see `history.ts`): read-your-writes,
 * monotonic reads and consistent prefix reads. Each returns the violating reads with a sentence
 * explaining each one, not a bare boolean.
 */
import { checkConsistentPrefix } from "./consistent_prefix";
import type { SessionCheckOptions, SessionOp, SessionViolation } from "./history";
import { checkMonotonicReads } from "./monotonic_reads";
import { checkReadYourWrites } from "./read_your_writes";

export * from "./history";
export { checkReadYourWrites } from "./read_your_writes";
export { checkMonotonicReads } from "./monotonic_reads";
export { checkConsistentPrefix } from "./consistent_prefix";

/** The three checks at once. */
export interface SessionCheckReport {
  readYourWrites: SessionViolation[];
  monotonicReads: SessionViolation[];
  consistentPrefix: SessionViolation[];
  /** Reads that broke at least one guarantee (a read counted once). */
  anomalousReads: number;
  /** Reads in the history. */
  reads: number;
}

/** Runs all three checkers with the same scope. */
export function checkSessionGuarantees(ops: readonly SessionOp[], options: SessionCheckOptions = {}): SessionCheckReport {
  const readYourWrites = checkReadYourWrites(ops, options);
  const monotonicReads = checkMonotonicReads(ops, options);
  const consistentPrefix = checkConsistentPrefix(ops, options);
  const bad = new Set<number>();
  for (const v of [...readYourWrites, ...monotonicReads, ...consistentPrefix]) bad.add(v.read.id);
  return {
    readYourWrites,
    monotonicReads,
    consistentPrefix,
    anomalousReads: bad.size,
    reads: ops.filter((op) => op.kind === "read").length,
  };
}
