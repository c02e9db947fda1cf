/**
 * A follower of the replication-log model. It subscribes to the leader, buffers records until
 * they are contiguous, and applies them in LSN order according to the method:
 *
 * - statement: re-executes the statement with its *own* clock, random stream, ticket calls and
 *   auto-increment counter (a statement that fails here is recorded in `applyErrors`);
 * - wal: copies the page bytes, refusing (and stalling: `stalled`) at the first record written in
 *   another storage format;
 * - logical: applies the row changes, whatever its own storage format.
 */
import type { NodeContext, NodeLogic } from "../../sim/node";
import type { NodeId } from "../../sim/trace";
import { executeStatement } from "./execute";
import type { ExecuteInput, ExecuteOutput, LogRecord, ReplicationLogMessage, ReplicationLogObserver } from "./messages";
import { RowStore, type StoredTables } from "./row_store";
import { StatementError, type TableSchema } from "./statement_language";
import { WalFormatError, type StorageFormatVersion } from "./storage_format";
import type { TicketService } from "./tickets";

type Ctx = NodeContext<ReplicationLogMessage, ExecuteInput, ExecuteOutput>;

/** Settings of a follower. */
export interface FollowerOptions {
  readonly leader: NodeId;
  readonly tables: readonly TableSchema[];
  readonly format: StorageFormatVersion;
  readonly tickets: TicketService;
  readonly observer: ReplicationLogObserver;
  /** How often a follower with a gap in its log asks the leader again (ms). */
  readonly resubscribeMs: number;
}

/** A record this follower could not apply. */
export interface ApplyFailure {
  readonly lsn: number;
  readonly message: string;
}

/** A follower: applies the leader's log. */
export class LogFollowerNode implements NodeLogic<ReplicationLogMessage, ExecuteInput, ExecuteOutput> {
  store: RowStore;
  appliedLsn = 0;
  /** Statement method: statements that failed here (they succeeded on the leader). */
  readonly applyErrors: ApplyFailure[] = [];
  /** WAL method: the record that stopped replication, if any. Nothing after it is applied. */
  stalled: (ApplyFailure & { readonly error: WalFormatError }) | undefined;
  private readonly buffered = new Map<number, LogRecord>();

  constructor(
    readonly id: NodeId,
    private readonly options: FollowerOptions,
  ) {
    this.store = new RowStore(options.tables, options.format);
  }

  onStart(ctx: Ctx): void {
    const stored = ctx.storage.get<StoredTables>("tables");
    if (stored !== undefined) this.store = RowStore.fromStored(stored);
    this.appliedLsn = ctx.storage.get<number>("appliedLsn") ?? 0;
    ctx.send(this.options.leader, { type: "subscribe", afterLsn: this.appliedLsn });
    ctx.setTimer(this.options.resubscribeMs, "gap-check");
  }

  onMessage(ctx: Ctx, _from: NodeId, message: ReplicationLogMessage): void {
    if (message.type !== "append") return;
    for (const r of message.records) if (r.lsn > this.appliedLsn) this.buffered.set(r.lsn, r);
    const before = this.appliedLsn;
    while (this.stalled === undefined && this.buffered.has(this.appliedLsn + 1)) {
      const record = this.buffered.get(this.appliedLsn + 1)!;
      this.buffered.delete(record.lsn);
      if (!this.apply(ctx, record)) break;
      this.appliedLsn = record.lsn;
    }
    if (this.appliedLsn > before) {
      ctx.storage.put("tables", this.store.toStored());
      ctx.storage.put("appliedLsn", this.appliedLsn);
      ctx.storage.sync();
      this.options.observer.applied(this.id, this.appliedLsn);
      ctx.send(this.options.leader, { type: "ack", lsn: this.appliedLsn });
    }
  }

  onTimer(ctx: Ctx, name: string): void {
    if (name !== "gap-check") return;
    if (this.stalled === undefined && this.buffered.size > 0) ctx.send(this.options.leader, { type: "subscribe", afterLsn: this.appliedLsn });
    ctx.setTimer(this.options.resubscribeMs, "gap-check");
  }

  /** Applies one record; false when replication must stop here. */
  private apply(ctx: Ctx, record: LogRecord): boolean {
    const draft = this.store.clone();
    try {
      switch (record.method) {
        case "statement":
          executeStatement(draft, record.statement, {
            now: () => Math.floor(ctx.now()),
            random: () => ctx.random.float(),
            nextTicket: () => this.options.tickets.take(this.id),
          });
          break;
        case "wal":
          for (const w of record.writes) draft.applyPageWrite(w);
          break;
        case "logical":
          for (const c of record.changes) draft.applyChange(c);
          break;
      }
    } catch (err) {
      if (err instanceof WalFormatError) {
        this.stalled = { lsn: record.lsn, message: err.message, error: err };
        ctx.note(`refused WAL record ${record.lsn}: format v${err.recordFormat} on a v${err.engineFormat} engine`);
        return false;
      }
      if (!(err instanceof StatementError)) throw err;
      // MySQL would stop its SQL thread here; the model records the failure and moves on so the divergence stays visible.
      this.applyErrors.push({ lsn: record.lsn, message: err.message });
      ctx.note(`record ${record.lsn} failed here: ${err.message}`);
      return true;
    }
    this.store = draft;
    return true;
  }
}
