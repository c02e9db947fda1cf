/**
 * The leader of the replication-log model. It executes client statements on its RowStore, writes
 * one log record per statement in the language of its replication method, and ships committed
 * records to its followers and consumers. With the trigger method it ships nothing: triggers copy
 * every change of the replicated tables into the `_changes` table, which an external poller reads.
 *
 * Cost model: every page write and every log append costs `writeCostMs` of the leader's time, and
 * the leader does one thing at a time, so extra writes (triggers, purges) delay the answers.
 */
import type { ClientRequest, NodeContext, NodeLogic, TimerId } from "../../sim/node";
import type { NodeId } from "../../sim/trace";
import { executeStatement, type ExecutionEnv } from "./execute";
import {
  CHANGE_TABLE,
  CHANGE_TABLE_SCHEMA,
  type ChangeRow,
  type ExecuteInput,
  type ExecuteOutput,
  type LogRecord,
  type ReplicationLogMessage,
  type ReplicationLogObserver,
  type ReplicationMethod,
} from "./messages";
import type { LeaderFacts, StatementRewriter } from "./rewrite";
import { RowStore, type ChangeEffect, type RowChange, type StoredTables } from "./row_store";
import { StatementError, type Statement, type TableSchema, type CellValue } from "./statement_language";
import type { StorageFormatVersion } from "./storage_format";
import type { TicketService } from "./tickets";

type Ctx = NodeContext<ReplicationLogMessage, ExecuteInput, ExecuteOutput>;

/** Settings of a leader. */
export interface LeaderOptions {
  readonly method: ReplicationMethod;
  readonly tables: readonly TableSchema[];
  readonly format: StorageFormatVersion;
  /** Followers and consumers that receive the log (none with the trigger method). */
  readonly subscribers: readonly NodeId[];
  readonly tickets: TicketService;
  readonly observer: ReplicationLogObserver;
  /** Statement method only: rewrites each statement before it is executed and logged. */
  readonly rewrite?: StatementRewriter;
  /** Trigger method only: the tables whose changes triggers copy into `_changes`. */
  readonly triggerTables?: readonly string[];
  /** Leader time per page write or log append (ms). */
  readonly writeCostMs: number;
}

/** Counters of the leader's work, for the overhead comparison. */
export interface LeaderWork {
  /** Statements committed for clients. */
  statements: number;
  /** Rows of user tables changed by client statements. */
  userRowChanges: number;
  /** Page writes to user tables. */
  userPageWrites: number;
  /** Page writes to the trigger change table (inserts by triggers, deletes by purges). */
  changeTablePageWrites: number;
  /** Records appended to the leader's log (one per statement, one per purge). */
  logAppends: number;
  /** Statements refused (StatementError). */
  refused: number;
}

interface PendingCommit {
  readonly request: ClientRequest<ExecuteInput>;
  readonly output: ExecuteOutput;
}

/** The leader: executes, logs and ships. */
export class LogLeaderNode implements NodeLogic<ReplicationLogMessage, ExecuteInput, ExecuteOutput> {
  store: RowStore;
  /** Every record, LSN 1 first. */
  readonly log: LogRecord[] = [];
  /** Highest LSN committed (answered and shipped). */
  committedLsn = 0;
  readonly work: LeaderWork = { statements: 0, userRowChanges: 0, userPageWrites: 0, changeTablePageWrites: 0, logAppends: 0, refused: 0 };
  /** The statement as logged, per LSN (after the rewrite, if any), for tables. */
  readonly logged: { lsn: number; statement: Statement }[] = [];
  /** Trigger method: highest change-table seq whose statement committed. */
  private committedSeq = 0;
  private readonly seqLsn = new Map<number, number>();
  private busyUntilMs = Number.NEGATIVE_INFINITY;
  private readonly pending = new Map<number, PendingCommit>();

  constructor(
    readonly id: NodeId,
    private readonly options: LeaderOptions,
  ) {
    const tables = options.method === "trigger" ? [...options.tables, CHANGE_TABLE_SCHEMA] : options.tables;
    this.store = new RowStore(tables, options.format);
  }

  onStart(ctx: Ctx): void {
    const stored = ctx.storage.get<StoredTables>("tables");
    if (stored !== undefined) this.store = RowStore.fromStored(stored);
    const log = ctx.storage.get<LogRecord[]>("log");
    if (log !== undefined) {
      this.log.push(...log);
      this.committedLsn = log.length;
    }
    if (this.options.method === "trigger") {
      // After a restart every change row on disk belongs to a committed statement.
      for (const r of this.store.rows(CHANGE_TABLE)) this.committedSeq = Math.max(this.committedSeq, Number(r["seq"]));
    }
  }

  onClientRequest(ctx: Ctx, request: ClientRequest<ExecuteInput>): void {
    if (request.f !== "execute") {
      ctx.reply(request, { ok: false, error: `unknown operation ${request.f}: the leader only takes "execute" with a statement` });
      return;
    }
    const env = this.env(ctx);
    let statement = request.input;
    const draft = this.store.clone();
    let effects: readonly ChangeEffect[];
    let ids: readonly CellValue[];
    try {
      if (this.options.method === "statement" && this.options.rewrite) statement = this.options.rewrite(statement, this.facts(env, draft));
      const result = executeStatement(draft, statement, env);
      effects = result.effects;
      ids = effects.filter((e) => e.change.op === "insert").map((e) => (e.change.op === "insert" ? (e.change.row[draft.schema(e.change.table)!.key] ?? null) : null));
    } catch (err) {
      if (!(err instanceof StatementError)) throw err;
      this.work.refused++;
      ctx.reply(request, { ok: false, error: err.message });
      return;
    }
    const lsn = this.log.length + 1;
    let pageWrites = effects.length;
    this.work.userRowChanges += effects.length;
    this.work.userPageWrites += effects.length;
    if (this.options.method === "trigger") pageWrites += this.fireTriggers(draft, effects, lsn);
    this.store = draft;
    const record = this.recordFor(lsn, statement, effects);
    this.log.push(record);
    this.logged.push({ lsn, statement });
    this.work.statements++;
    this.work.logAppends++;
    this.persist(ctx);
    this.pending.set(lsn, { request, output: { lsn, rowsChanged: effects.length, ids } });
    this.afterWork(ctx, pageWrites + 1, "commit", lsn);
  }

  onMessage(ctx: Ctx, from: NodeId, message: ReplicationLogMessage): void {
    switch (message.type) {
      case "subscribe":
        ctx.send(from, { type: "append", records: this.log.slice(message.afterLsn, this.committedLsn) });
        return;
      case "poll": {
        // In seq order: after purges, new change rows reuse freed slots, so physical order is not seq order.
        const rows = this.store
          .rowsByKey(CHANGE_TABLE)
          .filter((r) => Number(r["seq"]) > message.afterSeq && Number(r["seq"]) <= this.committedSeq)
          .map(toChangeRow);
        ctx.send(from, { type: "changes", rows });
        return;
      }
      case "purge": {
        const draft = this.store.clone();
        const doomed = draft.rows(CHANGE_TABLE).filter((r) => Number(r["seq"]) <= message.uptoSeq);
        for (const r of doomed) draft.delete(CHANGE_TABLE, r["seq"] ?? null);
        if (doomed.length === 0) return;
        this.store = draft;
        this.work.changeTablePageWrites += doomed.length;
        this.work.logAppends++;
        this.persist(ctx);
        this.afterWork(ctx, doomed.length + 1, "purged", message.uptoSeq);
        return;
      }
      default:
        return; // acks: the leader does not wait for followers in this model (asynchronous replication)
    }
  }

  onTimer(ctx: Ctx, name: string, data: unknown): void {
    if (name !== "commit") return;
    const lsn = data as number;
    const pending = this.pending.get(lsn);
    this.pending.delete(lsn);
    this.committedLsn = Math.max(this.committedLsn, lsn);
    for (const [seq, l] of this.seqLsn) if (l <= this.committedLsn && seq > this.committedSeq) this.committedSeq = seq;
    this.options.observer.committed(this.id, lsn);
    if (pending) ctx.reply(pending.request, { ok: true, value: pending.output });
    const record = this.log[lsn - 1]!;
    for (const s of this.options.subscribers) ctx.send(s, { type: "append", records: [record] });
  }

  /** Occupies the leader for `writes` writes after whatever it is already doing, then fires `timer`. */
  private afterWork(ctx: Ctx, writes: number, timer: string, data: number): TimerId {
    const now = ctx.now();
    const done = Math.max(now, this.busyUntilMs) + writes * this.options.writeCostMs;
    this.busyUntilMs = done;
    return ctx.setTimer(done - now, timer, data);
  }

  /** Trigger method: one `_changes` row per change of a replicated table. Returns the page writes. */
  private fireTriggers(draft: RowStore, effects: readonly ChangeEffect[], lsn: number): number {
    const tracked = this.options.triggerTables ?? this.options.tables.map((t) => t.name);
    let writes = 0;
    for (const { change } of effects) {
      if (!tracked.includes(change.table)) continue;
      const key = change.op === "insert" ? (change.row[draft.schema(change.table)!.key] ?? null) : change.key;
      const seq = draft.allocateId(CHANGE_TABLE);
      draft.insert(CHANGE_TABLE, { seq, lsn, tbl: change.table, op: change.op, row_key: JSON.stringify(key), data: JSON.stringify(change) });
      this.seqLsn.set(seq, lsn);
      writes++;
    }
    this.work.changeTablePageWrites += writes;
    return writes;
  }

  private recordFor(lsn: number, statement: Statement, effects: readonly ChangeEffect[]): LogRecord {
    switch (this.options.method) {
      case "statement":
        return { lsn, method: "statement", statement };
      case "wal":
        return { lsn, method: "wal", writes: effects.map((e) => e.pageWrite) };
      default:
        // The trigger method keeps a logical record too, as its own crash-recovery log; nobody ships it.
        return { lsn, method: "logical", changes: effects.map((e) => e.change) };
    }
  }

  private env(ctx: Ctx): ExecutionEnv {
    return { now: () => Math.floor(ctx.now()), random: () => ctx.random.float(), nextTicket: () => this.options.tickets.take(this.id) };
  }

  private facts(env: ExecutionEnv, draft: RowStore): LeaderFacts {
    return {
      now: env.now,
      random: env.random,
      nextTicket: env.nextTicket,
      nextId: (table) => draft.allocateId(table),
      schema: (table) => draft.schema(table),
    };
  }

  private persist(ctx: Ctx): void {
    ctx.storage.put("tables", this.store.toStored());
    ctx.storage.put("log", this.log);
    ctx.storage.sync();
  }
}

function toChangeRow(r: Readonly<Record<string, CellValue>>): ChangeRow {
  return { seq: Number(r["seq"]), lsn: Number(r["lsn"]), change: JSON.parse(String(r["data"])) as RowChange };
}
