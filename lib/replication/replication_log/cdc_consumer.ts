/**
 * A change-data-capture consumer: a search index fed by the leader's logical log. It is not a
 * database replica; it reads the same row changes a follower applies and keeps its own derived
 * view (word -> keys of the rows whose text column contains the word). Because logical records
 * describe rows, not pages or statements, an outside system can use them without knowing anything
 * about the leader's storage engine or re-running its SQL.
 */
import type { NodeContext, NodeLogic } from "../../sim/node";
import type { NodeId } from "../../sim/trace";
import type { ExecuteInput, ExecuteOutput, LogRecord, ReplicationLogMessage, ReplicationLogObserver } from "./messages";
import { compareKeys, type RowChange } from "./row_store";
import type { TableSchema, CellValue } from "./statement_language";

type Ctx = NodeContext<ReplicationLogMessage, ExecuteInput, ExecuteOutput>;

/** What the search index indexes. */
export interface SearchIndexOptions {
  readonly leader: NodeId;
  /** The table whose rows are indexed. */
  readonly table: TableSchema;
  /** The text column whose words are indexed. */
  readonly column: string;
  readonly observer: ReplicationLogObserver;
}

/** Lower-case words of a text value. */
export function wordsOf(text: CellValue): string[] {
  return typeof text === "string" ? [...new Set(text.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length > 0))].sort() : [];
}

/** A search index over one text column, kept up to date from the logical log. */
export class SearchIndexNode implements NodeLogic<ReplicationLogMessage, ExecuteInput, ExecuteOutput> {
  appliedLsn = 0;
  /** Row key (JSON) -> indexed text. */
  private readonly documents = new Map<string, CellValue>();
  /** Every change consumed, in order, for display. */
  readonly consumed: { lsn: number; change: RowChange }[] = [];
  private readonly buffered = new Map<number, LogRecord>();

  constructor(
    readonly id: NodeId,
    private readonly options: SearchIndexOptions,
  ) {}

  onStart(ctx: Ctx): void {
    // The index is derived data: after a restart it is rebuilt from the start of the log.
    ctx.send(this.options.leader, { type: "subscribe", afterLsn: 0 });
  }

  onMessage(ctx: Ctx, _from: NodeId, message: ReplicationLogMessage): void {
    if (message.type !== "append") return;
    for (const r of message.records) if (r.lsn > this.appliedLsn) this.buffered.set(r.lsn, r);
    const before = this.appliedLsn;
    while (this.buffered.has(this.appliedLsn + 1)) {
      const record = this.buffered.get(this.appliedLsn + 1)!;
      this.buffered.delete(record.lsn);
      if (record.method === "logical") for (const change of record.changes) this.consume(record.lsn, change);
      else ctx.note(`record ${record.lsn} is ${record.method}, not logical: a CDC consumer cannot read it`);
      this.appliedLsn = record.lsn;
    }
    if (this.appliedLsn > before) this.options.observer.applied(this.id, this.appliedLsn);
  }

  /** Keys of the rows whose indexed column contains `word` (case-insensitive), in key order. */
  search(word: string): CellValue[] {
    const w = word.toLowerCase();
    const keys: CellValue[] = [];
    for (const [key, text] of this.documents) if (wordsOf(text).includes(w)) keys.push(JSON.parse(key) as CellValue);
    return keys.sort(compareKeys);
  }

  /** Every indexed word with its row keys, for tables. */
  entries(): { word: string; keys: CellValue[] }[] {
    const words = new Set<string>();
    for (const text of this.documents.values()) for (const w of wordsOf(text)) words.add(w);
    return [...words].sort().map((word) => ({ word, keys: this.search(word) }));
  }

  private consume(lsn: number, change: RowChange): void {
    const { table, column } = this.options;
    if (change.table !== table.name) return;
    this.consumed.push({ lsn, change });
    if (change.op === "insert") this.documents.set(JSON.stringify(change.row[table.key] ?? null), change.row[column] ?? null);
    else if (change.op === "delete") this.documents.delete(JSON.stringify(change.key));
    else if (column in change.set) this.documents.set(JSON.stringify(change.key), change.set[column] ?? null);
  }
}
