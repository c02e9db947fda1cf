/**
 * A small row store: tables of rows with a primary key, kept in numbered *slots* (the physical
 * layout a storage engine writes to disk pages). Every change returns two descriptions of itself,
 * one per kind of replication log:
 *
 * - a `PageWrite`: "slot 3 of table users now holds these bytes", in the store's storage format
 *   (what write-ahead log shipping sends, see `storage_format.ts`);
 * - a `RowChange`: "insert this row", "update the row with key 7 to these values", "delete key 7"
 *   (what a logical, row-based log sends).
 *
 * The auto-increment counter of each table lives in memory only. After a restart it is rebuilt
 * as the largest key + 1, as InnoDB did before MySQL 8.0: ids of deleted rows at the top can be
 * handed out again, which is one way statement-based replicas drift apart.
 */
import { StatementError, type TableSchema, type CellValue } from "./statement_language";
import { decodeRow, encodeRow, requireFormatVersion, WalFormatError, type StorageFormatVersion } from "./storage_format";

/** A row: the key column and every other column of its table. */
export type Row = Readonly<Record<string, CellValue>>;

/** One slot of one table rewritten: the bytes of the row now stored there, or null when freed. */
export interface PageWrite {
  readonly table: string;
  readonly slot: number;
  /** The row encoded in `format` (hex), or null: the slot was freed. */
  readonly bytes: string | null;
  /** The storage format the bytes are written in. */
  readonly format: StorageFormatVersion;
}

/** A row-level change, independent of how rows are stored: what a logical log records. */
export type RowChange =
  | { readonly op: "insert"; readonly table: string; readonly row: Row }
  | { readonly op: "update"; readonly table: string; readonly key: CellValue; readonly set: Row }
  | { readonly op: "delete"; readonly table: string; readonly key: CellValue };

/** What one change did, in both log languages. */
export interface ChangeEffect {
  readonly change: RowChange;
  readonly pageWrite: PageWrite;
}

interface TableState {
  readonly schema: TableSchema;
  /** Physical layout: a row per slot, null for a free slot. */
  readonly slots: (Row | null)[];
  /** Key (as JSON) to slot. */
  readonly slotOf: Map<string, number>;
  /** Next auto-increment id (volatile). */
  nextId: number;
}

/** What a node persists of its store: schemas, format and every slot (counters are not persisted). */
export interface StoredTables {
  readonly format: StorageFormatVersion;
  readonly tables: readonly { readonly schema: TableSchema; readonly slots: readonly (Row | null)[] }[];
}

function keyId(key: CellValue): string {
  return JSON.stringify(key);
}

/** Compares keys: numbers before strings, then natural order (null first). */
export function compareKeys(a: CellValue, b: CellValue): number {
  const rank = (v: CellValue) => (v === null ? 0 : typeof v === "number" ? 1 : 2);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (a === null || b === null) return 0;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Validates a schema list: unique table names, a key, unique column names. */
export function validateSchemas(schemas: readonly TableSchema[]): void {
  const names = new Set<string>();
  for (const s of schemas) {
    if (!s.name || names.has(s.name)) throw new StatementError(`table names must be unique and non-empty, got ${JSON.stringify(s.name)} twice or empty.`);
    names.add(s.name);
    if (!s.key) throw new StatementError(`table ${s.name} needs a key column (schema.key).`);
    const cols = new Set<string>([s.key]);
    for (const c of s.columns) {
      if (cols.has(c)) throw new StatementError(`table ${s.name}: column ${c} is listed twice (the key ${s.key} is a column already).`);
      cols.add(c);
    }
  }
}

/** A node's tables. Iteration is always in schema order and slot order: deterministic. */
export class RowStore {
  private readonly tables = new Map<string, TableState>();
  private readonly order: string[] = [];

  constructor(
    schemas: readonly TableSchema[],
    /** The storage format this node's engine writes and reads (1 or 2). */
    readonly format: StorageFormatVersion = 1,
  ) {
    requireFormatVersion(format);
    validateSchemas(schemas);
    for (const schema of schemas) {
      this.tables.set(schema.name, { schema, slots: [], slotOf: new Map(), nextId: 1 });
      this.order.push(schema.name);
    }
  }

  /** Rebuilds a store from what a node persisted; auto-increment counters restart at max key + 1. */
  static fromStored(stored: StoredTables): RowStore {
    const store = new RowStore(stored.tables.map((t) => t.schema), stored.format);
    for (const t of stored.tables) {
      const state = store.state(t.schema.name);
      t.slots.forEach((row, slot) => {
        state.slots[slot] = row;
        if (row !== null) state.slotOf.set(keyId(row[t.schema.key] ?? null), slot);
      });
      state.nextId = store.maxNumericKey(state) + 1;
    }
    return store;
  }

  /** An independent copy, auto-increment counters included (for all-or-nothing execution). */
  clone(): RowStore {
    const copy = RowStore.fromStored(this.toStored());
    for (const name of this.order) copy.state(name).nextId = this.state(name).nextId;
    return copy;
  }

  /** Everything to persist (see `fromStored`). */
  toStored(): StoredTables {
    return { format: this.format, tables: this.order.map((n) => ({ schema: this.state(n).schema, slots: this.state(n).slots.slice() })) };
  }

  /** Table names in schema order. */
  tableNames(): string[] {
    return this.order.slice();
  }

  /** A table's schema, or undefined. */
  schema(table: string): TableSchema | undefined {
    return this.tables.get(table)?.schema;
  }

  /** Rows of a table in physical (slot) order: the order a scan without ORDER BY sees. */
  rows(table: string): Row[] {
    return this.state(table).slots.filter((r): r is Row => r !== null);
  }

  /** Rows of a table sorted by key. */
  rowsByKey(table: string): Row[] {
    const key = this.state(table).schema.key;
    return this.rows(table).sort((a, b) => compareKeys(a[key] ?? null, b[key] ?? null));
  }

  /** The row with this key, or undefined. */
  get(table: string, key: CellValue): Row | undefined {
    const state = this.state(table);
    const slot = state.slotOf.get(keyId(key));
    return slot === undefined ? undefined : (state.slots[slot] ?? undefined);
  }

  /** Hands out the next auto-increment id of a table (this node's own counter). */
  allocateId(table: string): number {
    const state = this.state(table);
    if (!state.schema.autoIncrement) throw new StatementError(`table ${table} has no auto-increment key: give ${state.schema.key} a value.`);
    return state.nextId++;
  }

  /** The id `allocateId` would hand out next, without taking it. */
  peekNextId(table: string): number {
    return this.state(table).nextId;
  }

  /** Inserts a full row (every column present). Throws StatementError on a duplicate key. */
  insert(table: string, row: Row): ChangeEffect {
    const state = this.state(table);
    const key = row[state.schema.key] ?? null;
    if (key === null) throw new StatementError(`insert into ${table}: the key ${state.schema.key} must not be NULL.`);
    if (state.slotOf.has(keyId(key))) throw new StatementError(`insert into ${table}: duplicate key ${state.schema.key} = ${JSON.stringify(key)}.`);
    if (typeof key === "number" && key >= state.nextId) state.nextId = Math.floor(key) + 1;
    let slot = state.slots.indexOf(null);
    if (slot < 0) slot = state.slots.length;
    const full = this.completeRow(state.schema, row);
    state.slots[slot] = full;
    state.slotOf.set(keyId(key), slot);
    return { change: { op: "insert", table, row: full }, pageWrite: this.pageWrite(table, slot, full) };
  }

  /** Sets columns of the row with `key` (not the key itself). */
  update(table: string, key: CellValue, set: Row): ChangeEffect {
    const state = this.state(table);
    const slot = state.slotOf.get(keyId(key));
    if (slot === undefined) throw new StatementError(`update ${table}: no row with ${state.schema.key} = ${JSON.stringify(key)}.`);
    for (const c of Object.keys(set)) {
      if (c === state.schema.key) throw new StatementError(`update ${table}: changing the key column ${c} is not supported; delete and insert instead.`);
      if (!state.schema.columns.includes(c)) throw new StatementError(`update ${table}: unknown column ${c} (columns: ${state.schema.columns.join(", ")}).`);
    }
    const row = { ...state.slots[slot]!, ...set };
    state.slots[slot] = row;
    return { change: { op: "update", table, key, set: { ...set } }, pageWrite: this.pageWrite(table, slot, row) };
  }

  /** Deletes the row with `key`. */
  delete(table: string, key: CellValue): ChangeEffect {
    const state = this.state(table);
    const slot = state.slotOf.get(keyId(key));
    if (slot === undefined) throw new StatementError(`delete from ${table}: no row with ${state.schema.key} = ${JSON.stringify(key)}.`);
    state.slots[slot] = null;
    state.slotOf.delete(keyId(key));
    return { change: { op: "delete", table, key }, pageWrite: { table, slot, bytes: null, format: this.format } };
  }

  /** Applies a logical change (from any node, whatever its storage format). */
  applyChange(change: RowChange): PageWrite {
    switch (change.op) {
      case "insert":
        return this.insert(change.table, change.row).pageWrite;
      case "update":
        return this.update(change.table, change.key, change.set).pageWrite;
      case "delete":
        return this.delete(change.table, change.key).pageWrite;
    }
  }

  /**
   * Applies a byte-level page write. The bytes only make sense to an engine that writes the same
   * format: anything else throws WalFormatError rather than store garbage.
   */
  applyPageWrite(write: PageWrite): void {
    if (write.format !== this.format) {
      throw new WalFormatError(
        `a page write for ${write.table} slot ${write.slot} is in storage format v${write.format}, but this node's engine uses format v${this.format}. ` +
          `Byte-level WAL records can only be replayed by the same storage engine version: run the same version on leader and followers, or replicate with a logical log.`,
        write.format,
        this.format,
      );
    }
    const state = this.state(write.table);
    while (state.slots.length < write.slot) state.slots.push(null);
    const old = state.slots[write.slot];
    if (old !== null && old !== undefined) state.slotOf.delete(keyId(old[state.schema.key] ?? null));
    if (write.bytes === null) {
      state.slots[write.slot] = null;
    } else {
      const row = decodeRow(write.bytes, state.schema, this.format);
      state.slots[write.slot] = row;
      const key = row[state.schema.key] ?? null;
      state.slotOf.set(keyId(key), write.slot);
      if (typeof key === "number" && key >= state.nextId) state.nextId = Math.floor(key) + 1;
    }
  }

  /**
   * The whole store as canonical text: tables in schema order, rows sorted by key, JSON values.
   * Two stores hold the same data exactly when their dumps are equal (byte for byte).
   */
  dump(): string {
    return this.order
      .map((name) => `${name}\n` + this.rowsByKey(name).map((r) => "  " + JSON.stringify(this.completeRow(this.state(name).schema, r))).join("\n"))
      .join("\n");
  }

  /** The physical pages: each table's slots encoded in this store's format (what a WAL replica copies). */
  pageImage(): string {
    return this.order
      .map((name) => `${name}: ` + this.state(name).slots.map((r) => (r === null ? "-" : encodeRow(r, this.state(name).schema, this.format))).join(" "))
      .join("\n");
  }

  private completeRow(schema: TableSchema, row: Row): Row {
    const out: Record<string, CellValue> = { [schema.key]: row[schema.key] ?? null };
    for (const c of schema.columns) out[c] = row[c] ?? null;
    for (const c of Object.keys(row)) {
      if (c !== schema.key && !schema.columns.includes(c)) throw new StatementError(`table ${schema.name} has no column ${c} (columns: ${[schema.key, ...schema.columns].join(", ")}).`);
    }
    return out;
  }

  private pageWrite(table: string, slot: number, row: Row): PageWrite {
    return { table, slot, bytes: encodeRow(row, this.state(table).schema, this.format), format: this.format };
  }

  private maxNumericKey(state: TableState): number {
    let max = 0;
    for (const r of state.slots) {
      const k = r?.[state.schema.key];
      if (typeof k === "number" && k > max) max = Math.floor(k);
    }
    return max;
  }

  private state(table: string): TableState {
    const s = this.tables.get(table);
    if (s === undefined) throw new StatementError(`unknown table ${JSON.stringify(table)} (tables: ${this.order.join(", ")}).`);
    return s;
  }
}
