/**
 * A node's replication log and the key-value store it feeds, kept on the node's simulated disk.
 *
 * Layout on disk (one storage key each, so a write touches only what changed):
 *   bounds           { baseLsn, baseEpoch, lastLsn, lastEpoch, appliedLsn }
 *   log/<lsn>        the entry at that position
 *   undo/<lsn>       what applying that entry overwrote, so a divergent suffix can be rolled back
 *   kv/<key>         the applied store
 *   seq/<table>      auto-increment counters
 *
 * Entries are applied as soon as they are appended (a follower serves what it has, as MySQL and
 * PostgreSQL replicas do), so appliedLsn equals lastLsn after every call. Entries up to `base` have
 * been folded away (log retention, or a snapshot install): the store holds their effect, but the
 * log cannot hand them out or roll them back any more.
 *
 * Invariants: base.lsn <= lastLsn; entries hold exactly base.lsn+1 .. lastLsn, in order; the
 * store equals the effect of entries 1..lastLsn.
 */
import type { DurableStorage } from "../../sim/storage";
import type { EntryKey, LogEntry, LogOp, LogPosition, Snapshot, Value } from "./types";
import { entryKey } from "./types";

interface Bounds {
  baseLsn: number;
  baseEpoch: number;
  lastLsn: number;
  lastEpoch: number;
  appliedLsn: number;
}

/** What applying one entry overwrote. */
interface Undo {
  key: string;
  had: boolean;
  prev: Value;
  table?: string;
  prevSeq?: number;
}

const BOUNDS = "bounds";
const logKey = (lsn: number) => `log/${String(lsn).padStart(12, "0")}`;
const undoKey = (lsn: number) => `undo/${String(lsn).padStart(12, "0")}`;
const kvKey = (key: string) => `kv/${key}`;
const seqKey = (table: string) => `seq/${table}`;

/** One node's log and store on its disk (see the module comment for the layout and invariants). */
export class ReplicaLog {
  private entries: LogEntry[] = [];
  private bounds: Bounds = { baseLsn: 0, baseEpoch: 0, lastLsn: 0, lastEpoch: 0, appliedLsn: 0 };
  /** The applied store (a mirror of kv/* on disk). */
  readonly kv = new Map<string, Value>();
  /** Auto-increment counters (a mirror of seq/* on disk). */
  readonly sequences = new Map<string, number>();

  /** Loads whatever the disk holds (an empty log on a fresh node). */
  constructor(private readonly storage: DurableStorage) {
    const b = storage.get<Bounds>(BOUNDS);
    if (b !== undefined) this.bounds = b;
    for (let lsn = this.bounds.baseLsn + 1; lsn <= this.bounds.lastLsn; lsn++) {
      const e = storage.get<LogEntry>(logKey(lsn));
      if (e === undefined) {
        throw new Error(`replica log is corrupt: bounds say entries up to ${this.bounds.lastLsn} but entry ${lsn} is missing`);
      }
      this.entries.push(e);
    }
    for (const k of storage.keys()) {
      if (k.startsWith("kv/")) this.kv.set(k.slice(3), storage.get<Value>(k) as Value);
      else if (k.startsWith("seq/")) this.sequences.set(k.slice(4), storage.get<number>(k) as number);
    }
  }

  /** LSN of the last entry (0 for an empty log). */
  get lastLsn(): number {
    return this.bounds.lastLsn;
  }

  /** Epoch of the last entry (0 for an empty log). */
  get lastEpoch(): number {
    return this.bounds.lastEpoch;
  }

  get lastPosition(): LogPosition {
    return { lsn: this.bounds.lastLsn, epoch: this.bounds.lastEpoch };
  }

  /** Entries up to here were folded into the store and are no longer kept. */
  get base(): LogPosition {
    return { lsn: this.bounds.baseLsn, epoch: this.bounds.baseEpoch };
  }

  /** LSN of the last entry applied to the store. */
  get appliedLsn(): number {
    return this.bounds.appliedLsn;
  }

  /** Number of entries kept. */
  get retained(): number {
    return this.entries.length;
  }

  /** The kept entries (copies), oldest first. */
  retainedEntries(): LogEntry[] {
    return this.entries.map((e) => ({ ...e, op: { ...e.op } }));
  }

  /** Identities of the kept entries, oldest first (for the run recorder). */
  retainedKeys(): EntryKey[] {
    return this.entries.map((e) => entryKey(e.origin, e.epoch, e.lsn));
  }

  /** The entry at `lsn`, if it is kept. */
  entry(lsn: number): LogEntry | undefined {
    return this.entries[lsn - this.bounds.baseLsn - 1];
  }

  /**
   * Epoch of the entry at `lsn`: 0 for lsn 0, the base epoch at the base, undefined when the entry
   * was folded away or does not exist yet.
   */
  epochAt(lsn: number): number | undefined {
    if (lsn === 0) return 0;
    if (lsn === this.bounds.baseLsn) return this.bounds.baseEpoch;
    return this.entry(lsn)?.epoch;
  }

  /** Up to `max` entries from `fromLsn` on (fewer at the end of the log). */
  entriesFrom(fromLsn: number, max: number): LogEntry[] {
    const start = Math.max(fromLsn, this.bounds.baseLsn + 1) - this.bounds.baseLsn - 1;
    return this.entries.slice(start, start + max);
  }

  /**
   * The last LSN whose entry has an epoch <= `epoch` (Kafka's "end offset for leader epoch"): a
   * follower whose log ends in `epoch` matches this log at most up to there. Returns
   * `undefined` when the answer lies below the folded base (the follower needs a snapshot).
   */
  endOfEpochAtMost(epoch: number): number | undefined {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      if (this.entries[i]!.epoch <= epoch) return this.entries[i]!.lsn;
    }
    return this.bounds.baseEpoch <= epoch ? this.bounds.baseLsn : undefined;
  }

  /**
   * Where to restart replication for a node whose log has an entry at `lsn` in `epoch`... as far
   * as this log can tell: the first LSN of the run of same-epoch entries that contains `lsn`,
   * minus one. Used by a follower to answer a mismatched append.
   */
  positionBeforeRun(lsn: number): LogPosition {
    const epoch = this.epochAt(lsn);
    let p = Math.min(lsn, this.bounds.lastLsn);
    if (epoch !== undefined && p === lsn) {
      while (p > this.bounds.baseLsn && this.epochAt(p) === epoch) p--;
    }
    if (p < this.bounds.baseLsn) p = this.bounds.baseLsn;
    return { lsn: p, epoch: this.epochAt(p) ?? this.bounds.baseEpoch };
  }

  /** Appends entries that continue the log exactly (entries[0].lsn === lastLsn + 1) and applies them. */
  append(entries: readonly LogEntry[]): void {
    for (const e of entries) {
      if (e.lsn !== this.bounds.lastLsn + 1) {
        throw new Error(`append out of order: entry ${e.lsn} after ${this.bounds.lastLsn}`);
      }
      const copy: LogEntry = { ...e, op: { ...e.op } };
      this.entries.push(copy);
      this.storage.put(logKey(e.lsn), copy);
      this.storage.put(undoKey(e.lsn), this.apply(copy.op));
      this.bounds.lastLsn = e.lsn;
      this.bounds.lastEpoch = e.epoch;
      this.bounds.appliedLsn = e.lsn;
    }
    this.storage.put(BOUNDS, this.bounds);
  }

  /**
   * Removes every entry after `lsn` and rolls their effect back. Returns false (changing nothing)
   * when that would cut into the folded base: the node then needs a fresh snapshot.
   */
  truncateAfter(lsn: number): boolean {
    if (lsn >= this.bounds.lastLsn) return true;
    if (lsn < this.bounds.baseLsn) return false;
    for (let at = this.bounds.lastLsn; at > lsn; at--) {
      const undo = this.storage.get<Undo>(undoKey(at));
      if (undo !== undefined) this.revert(undo);
      this.storage.delete(logKey(at));
      this.storage.delete(undoKey(at));
      this.entries.pop();
    }
    this.bounds.lastLsn = lsn;
    this.bounds.lastEpoch = this.epochAt(lsn) ?? 0;
    this.bounds.appliedLsn = lsn;
    this.storage.put(BOUNDS, this.bounds);
    return true;
  }

  /**
   * Folds the oldest entries away when more than `retain` are kept, down to 90% of `retain` so the
   * work happens in batches. Returns how many entries were folded.
   */
  compact(retain: number): number {
    if (this.entries.length <= retain) return 0;
    const keep = Math.max(1, retain - Math.floor(retain / 10));
    const drop = this.entries.length - keep;
    const folded = this.entries.splice(0, drop);
    for (const e of folded) {
      this.storage.delete(logKey(e.lsn));
      this.storage.delete(undoKey(e.lsn));
    }
    const last = folded[folded.length - 1]!;
    this.bounds.baseLsn = last.lsn;
    this.bounds.baseEpoch = last.epoch;
    this.storage.put(BOUNDS, this.bounds);
    return drop;
  }

  /** A consistent copy of the store as of the last entry. */
  snapshot(id: string): Snapshot {
    return {
      id,
      lsn: this.bounds.lastLsn,
      lsnEpoch: this.bounds.lastEpoch,
      kv: sortedRecord(this.kv),
      sequences: sortedRecord(this.sequences),
    };
  }

  /** Replaces log and store with a snapshot: the log is empty, with its base at the snapshot's LSN. */
  installSnapshot(snapshot: Snapshot): void {
    this.replaceState(snapshot.kv, snapshot.sequences, { lsn: snapshot.lsn, epoch: snapshot.lsnEpoch });
  }

  /**
   * Starts the log at `position` over whatever store the node holds (the end of a naive copy):
   * nothing checks that the store really matches that position.
   */
  startAt(position: LogPosition, sequences: Record<string, number>): void {
    this.replaceState(Object.fromEntries(this.kv), sequences, position);
  }

  /** Sets one key directly, outside the log (the naive copy writes this way). */
  putRaw(key: string, value: Value): void {
    this.kv.set(key, value);
    this.storage.put(kvKey(key), value);
  }

  private replaceState(kv: Record<string, Value>, sequences: Record<string, number>, at: LogPosition): void {
    for (const k of this.storage.keys()) {
      if (k.startsWith("kv/") || k.startsWith("seq/") || k.startsWith("log/") || k.startsWith("undo/")) this.storage.delete(k);
    }
    this.kv.clear();
    this.sequences.clear();
    this.entries = [];
    for (const [k, v] of Object.entries(kv)) {
      this.kv.set(k, v);
      this.storage.put(kvKey(k), v);
    }
    for (const [t, n] of Object.entries(sequences)) {
      this.sequences.set(t, n);
      this.storage.put(seqKey(t), n);
    }
    this.bounds = { baseLsn: at.lsn, baseEpoch: at.epoch, lastLsn: at.lsn, lastEpoch: at.epoch, appliedLsn: at.lsn };
    this.storage.put(BOUNDS, this.bounds);
  }

  private apply(op: LogOp): Undo {
    const had = this.kv.has(op.key);
    const undo: Undo = { key: op.key, had, prev: had ? (this.kv.get(op.key) as Value) : null };
    switch (op.kind) {
      case "set":
        this.setKey(op.key, op.value);
        break;
      case "delete":
        this.deleteKey(op.key);
        break;
      case "insert": {
        undo.table = op.table;
        undo.prevSeq = this.sequences.get(op.table) ?? 0;
        this.setKey(op.key, op.value);
        if (op.id > undo.prevSeq) {
          this.sequences.set(op.table, op.id);
          this.storage.put(seqKey(op.table), op.id);
        }
        break;
      }
    }
    return undo;
  }

  private revert(undo: Undo): void {
    if (undo.had) this.setKey(undo.key, undo.prev);
    else this.deleteKey(undo.key);
    if (undo.table !== undefined) {
      const prev = undo.prevSeq ?? 0;
      if (prev === 0) {
        this.sequences.delete(undo.table);
        this.storage.delete(seqKey(undo.table));
      } else {
        this.sequences.set(undo.table, prev);
        this.storage.put(seqKey(undo.table), prev);
      }
    }
  }

  private setKey(key: string, value: Value): void {
    this.kv.set(key, value);
    this.storage.put(kvKey(key), value);
  }

  private deleteKey(key: string): void {
    this.kv.delete(key);
    this.storage.delete(kvKey(key));
  }
}

function sortedRecord<V>(map: ReadonlyMap<string, V>): Record<string, V> {
  const out: Record<string, V> = {};
  for (const k of [...map.keys()].sort()) out[k] = map.get(k) as V;
  return out;
}
