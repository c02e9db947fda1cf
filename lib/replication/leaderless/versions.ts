import type { NodeId } from "../../sim/trace";

/**
 * The version of a value under last-write-wins: the coordinator's local clock when it accepted
 * the write, with the coordinator's id to break ties. Larger wins. Because the counter is a
 * clock reading, a coordinator whose clock runs ahead "wins" against writes that really
 * happened later: that is the timing hazard of LWW.
 */
export interface Version {
  /** The coordinator's local time in ms when it accepted the write. */
  readonly counter: number;
  /** The coordinator that issued it. */
  readonly node: NodeId;
}

/** What a replica stores for one key. A `null` value is a tombstone: the key was deleted. */
export interface StoredRecord<V = unknown> {
  readonly value: V | null;
  readonly version: Version;
}

/** Negative when a < b, positive when a > b, 0 when equal. An absent version is the oldest. */
export function compareVersions(a: Version | undefined, b: Version | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  if (a.counter !== b.counter) return a.counter < b.counter ? -1 : 1;
  return a.node < b.node ? -1 : a.node > b.node ? 1 : 0;
}

/** The newer of two records (the first on a tie); either may be absent. */
export function newerRecord<V>(a: StoredRecord<V> | undefined, b: StoredRecord<V> | undefined): StoredRecord<V> | undefined {
  return compareVersions(b?.version, a?.version) > 0 ? b : a;
}

/** "12.345@n2", for tables and notes. */
export function formatVersion(version: Version | undefined): string {
  return version === undefined ? "-" : `${Number(version.counter.toFixed(3))}@${version.node}`;
}
