/**
 * Trigger-based replication, outside the database: a poller process reads the leader's
 * `_changes` table (filled by triggers) every `pollIntervalMs`, hands the changes to a target
 * database (which may hold only some of the tables, or be another product altogether), and then
 * asks the leader to delete what was delivered. Flexible, and it costs the leader extra writes:
 * every replicated row change is written again into `_changes` and deleted again later.
 */
import type { NodeContext, NodeLogic } from "../../sim/node";
import type { NodeId } from "../../sim/trace";
import type { ChangeRow, ExecuteInput, ExecuteOutput, ReplicationLogMessage, ReplicationLogObserver } from "./messages";
import { RowStore } from "./row_store";
import { StatementError, type TableSchema } from "./statement_language";

type Ctx = NodeContext<ReplicationLogMessage, ExecuteInput, ExecuteOutput>;

/** Settings of the trigger poller. */
export interface TriggerPollerOptions {
  readonly leader: NodeId;
  readonly target: NodeId;
  readonly pollIntervalMs: number;
}

/** The external replication process: poll, deliver, purge. */
export class TriggerPollerNode implements NodeLogic<ReplicationLogMessage, ExecuteInput, ExecuteOutput> {
  /** Highest change-table seq delivered to the target. */
  deliveredSeq = 0;
  /** Polls sent (each one is a query on the leader). */
  polls = 0;
  private inFlight = false;

  constructor(
    readonly id: NodeId,
    private readonly options: TriggerPollerOptions,
  ) {}

  onStart(ctx: Ctx): void {
    ctx.setTimer(this.options.pollIntervalMs, "poll");
  }

  onTimer(ctx: Ctx, name: string): void {
    if (name !== "poll") return;
    if (!this.inFlight) {
      this.polls++;
      ctx.send(this.options.leader, { type: "poll", afterSeq: this.deliveredSeq });
      this.inFlight = true;
    }
    ctx.setTimer(this.options.pollIntervalMs, "poll");
  }

  onMessage(ctx: Ctx, _from: NodeId, message: ReplicationLogMessage): void {
    if (message.type === "changes") {
      if (message.rows.length === 0) {
        this.inFlight = false;
        return;
      }
      ctx.send(this.options.target, { type: "applyChanges", rows: message.rows });
    } else if (message.type === "applied") {
      this.deliveredSeq = Math.max(this.deliveredSeq, message.uptoSeq);
      ctx.send(this.options.leader, { type: "purge", uptoSeq: message.uptoSeq });
      this.inFlight = false;
    }
  }
}

/** The target of trigger-based replication: another database holding a subset of the tables. */
export class TargetDatabaseNode implements NodeLogic<ReplicationLogMessage, ExecuteInput, ExecuteOutput> {
  readonly store: RowStore;
  appliedSeq = 0;
  appliedLsn = 0;
  /** Changes that could not be applied (e.g. a table the target does not have). */
  readonly skipped: ChangeRow[] = [];

  constructor(
    readonly id: NodeId,
    tables: readonly TableSchema[],
    private readonly observer: ReplicationLogObserver,
  ) {
    this.store = new RowStore(tables, 1);
  }

  onMessage(ctx: Ctx, from: NodeId, message: ReplicationLogMessage): void {
    if (message.type !== "applyChanges") return;
    for (const row of message.rows) {
      if (row.seq <= this.appliedSeq) continue;
      try {
        this.store.applyChange(row.change);
      } catch (err) {
        if (!(err instanceof StatementError)) throw err;
        this.skipped.push(row);
      }
      this.appliedSeq = row.seq;
      if (row.lsn > this.appliedLsn) {
        this.appliedLsn = row.lsn;
        this.observer.applied(this.id, row.lsn);
      }
    }
    ctx.send(from, { type: "applied", uptoSeq: this.appliedSeq });
  }
}
