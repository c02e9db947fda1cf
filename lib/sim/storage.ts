/**
 * A node's disk. Writes land in a page cache first and become durable on `sync()`, like
 * `write()` followed by `fsync()`. On a crash the simulator keeps everything by default; a crash
 * with `loseUnsyncedWrites` throws away what was written since the last sync, which is how a
 * database loses a commit it acknowledged before flushing.
 *
 * Values are deep-copied on the way in and out, so a node cannot keep a live reference into its
 * "disk" and have later in-memory edits become durable by accident.
 */
export interface DurableStorage {
  /** A copy of the value under `key` (unsynced writes included), or undefined. */
  get<T = unknown>(key: string): T | undefined;
  /** Whether `key` holds a value (unsynced writes and deletes included). */
  has(key: string): boolean;
  /** Writes to the page cache: visible to `get` at once, durable only after `sync()`. */
  put(key: string, value: unknown): void;
  /** Removes `key`; like a write, the removal is durable only after `sync()`. */
  delete(key: string): void;
  /** Keys in sorted order (deterministic). */
  keys(): string[];
  /** Makes every write so far durable. */
  sync(): void;
  /** True when there are writes that a crash with `loseUnsyncedWrites` would lose. */
  readonly dirty: boolean;
}

const DELETED = Symbol("deleted");

/** The simulator's DurableStorage: a durable map plus a page cache of writes not yet synced. */
export class SimulatedDisk implements DurableStorage {
  private durable = new Map<string, unknown>();
  private pending = new Map<string, unknown>();
  /** Number of sync() calls, for traces and tests. */
  syncCount = 0;

  get<T = unknown>(key: string): T | undefined {
    const v = this.pending.has(key) ? this.pending.get(key) : this.durable.get(key);
    return v === DELETED || v === undefined ? undefined : (structuredClone(v) as T);
  }

  has(key: string): boolean {
    const v = this.pending.has(key) ? this.pending.get(key) : this.durable.get(key);
    return v !== undefined && v !== DELETED;
  }

  put(key: string, value: unknown): void {
    this.pending.set(key, structuredClone(value));
  }

  delete(key: string): void {
    this.pending.set(key, DELETED);
  }

  keys(): string[] {
    const all = new Set<string>([...this.durable.keys(), ...this.pending.keys()]);
    return [...all].filter((k) => this.has(k)).sort();
  }

  sync(): void {
    this.flush();
    this.syncCount++;
  }

  get dirty(): boolean {
    return this.pending.size > 0;
  }

  /**
   * Called by the simulator on a crash. Keeping the writes is the page cache reaching the disk,
   * not a `sync()` by the node, so it does not count in `syncCount`.
   */
  crash(loseUnsyncedWrites: boolean): void {
    if (loseUnsyncedWrites) this.pending.clear();
    else this.flush();
  }

  private flush(): void {
    for (const [k, v] of this.pending) {
      if (v === DELETED) this.durable.delete(k);
      else this.durable.set(k, v);
    }
    this.pending.clear();
  }

  /** A plain copy of what a `get` would see, for tables and tests. */
  snapshot(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const k of this.keys()) out[k] = this.get(k);
    return out;
  }
}
