import type { History, HistoryOp } from "../../sim/history";
import type { LeaderlessInput, LeaderlessOutput } from "./types";
import { compareVersions, formatVersion, type Version } from "./versions";

type Op = HistoryOp<LeaderlessInput, LeaderlessOutput>;

/** A read that returned an older version than a write that had completed before the read began. */
export interface StaleRead {
  readonly readOpId: number;
  readonly key: string;
  readonly readInvokeMs: number;
  readonly returned: Version | undefined;
  /** The newest version among writes acknowledged before the read was sent. */
  readonly expected: Version;
  readonly explanation: string;
}

const isWrite = (op: Op) => op.f === "put" || op.f === "delete";

/**
 * Finds stale reads in a leaderless history. The quorum promise (w + r > n, strict quorum) is
 * exactly that none exists: a read must return the acknowledged write with the highest version
 * that finished before the read started, or something newer. Reads concurrent with a write may
 * return either value and are never counted.
 */
export function findStaleReads(history: History<LeaderlessInput, LeaderlessOutput>): StaleRead[] {
  const writes = history.ops.filter((op) => isWrite(op) && op.status === "ok" && op.output?.version !== undefined);
  const stale: StaleRead[] = [];
  for (const read of history.ops) {
    if (read.f !== "get" || read.status !== "ok") continue;
    let expected: Version | undefined;
    for (const w of writes) {
      if (w.input.key !== read.input.key || w.completeMs === undefined || w.completeMs >= read.invokeMs) continue;
      if (compareVersions(w.output!.version, expected) > 0) expected = w.output!.version;
    }
    const returned = read.output?.version;
    if (expected !== undefined && compareVersions(returned, expected) < 0) {
      stale.push({
        readOpId: read.id,
        key: read.input.key,
        readInvokeMs: read.invokeMs,
        returned,
        expected,
        explanation: `read of ${read.input.key} sent at ${read.invokeMs.toFixed(1)} ms returned version ${formatVersion(returned)}, but version ${formatVersion(expected)} had been acknowledged before it`,
      });
    }
  }
  return stale;
}

/** Share of completed reads that were stale (0 when no read completed). */
export function staleReadRate(history: History<LeaderlessInput, LeaderlessOutput>): number {
  const reads = history.ops.filter((op) => op.f === "get" && op.status === "ok").length;
  return reads === 0 ? 0 : findStaleReads(history).length / reads;
}
