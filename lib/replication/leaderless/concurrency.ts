import {
  describeSiblingState,
  EMPTY_SIBLING_STATE,
  mergeSiblingStates,
  type SiblingState,
} from "./siblings";
import { compareVersions, formatVersion, type StoredRecord } from "./versions";

/**
 * How replicas resolve concurrent writes to one key. "lww": the highest version wins and the
 * other writes are silently dropped. "siblings": every replica keeps a `SiblingState` (values
 * tagged with dots plus a version vector); concurrent values stay side by side until a client
 * writes with a context that has seen them.
 */
export type ConcurrencyMode = "lww" | "siblings";

/** What a replica holds for one key: a last-write-wins record, or siblings with their vector. */
export type ReplicaRecord = StoredRecord | SiblingState<unknown>;

/** The few decisions the replica code makes differently per mode. */
export interface RecordRules {
  /** What to keep when `incoming` reaches a replica holding `held`; undefined when nothing changes. */
  absorb(held: ReplicaRecord | undefined, incoming: ReplicaRecord): ReplicaRecord | undefined;
  /** Text equal for equal records: Merkle-tree leaves and handoff acknowledgements. */
  describe(record: ReplicaRecord | undefined): string;
  /** True when `record` lacks something `reference` holds: a read-repair or anti-entropy target. */
  isBehind(record: ReplicaRecord | undefined, reference: ReplicaRecord | undefined): boolean;
}

const lwwRules: RecordRules = {
  absorb: (held, incoming) => (compareVersions((incoming as StoredRecord).version, (held as StoredRecord | undefined)?.version) > 0 ? incoming : undefined),
  describe: (record) => formatVersion((record as StoredRecord | undefined)?.version),
  isBehind: (record, reference) => compareVersions((record as StoredRecord | undefined)?.version, (reference as StoredRecord | undefined)?.version) < 0,
};

const asState = (record: ReplicaRecord | undefined): SiblingState<unknown> => (record as SiblingState<unknown> | undefined) ?? EMPTY_SIBLING_STATE;

const siblingRules: RecordRules = {
  absorb(held, incoming) {
    const merged = mergeSiblingStates(asState(held), asState(incoming));
    return describeSiblingState(merged) === describeSiblingState(asState(held)) && held !== undefined ? undefined : merged;
  },
  describe: (record) => (record === undefined ? "-" : describeSiblingState(asState(record))),
  isBehind(record, reference) {
    if (reference === undefined) return false;
    return describeSiblingState(mergeSiblingStates(asState(record), asState(reference))) !== describeSiblingState(asState(record));
  },
};

/** The rules of a concurrency mode. */
export function recordRules(mode: ConcurrencyMode): RecordRules {
  return mode === "siblings" ? siblingRules : lwwRules;
}

/** The values a sibling state shows a reader: tombstones (null) hidden, ordered by dot. */
export function liveSiblingValues(state: SiblingState<unknown> | undefined): unknown[] {
  if (state === undefined) return [];
  return [...state.siblings]
    .sort((a, b) => (a.dot.replica < b.dot.replica ? -1 : a.dot.replica > b.dot.replica ? 1 : a.dot.counter - b.dot.counter))
    .filter((s) => s.value !== null)
    .map((s) => s.value);
}
