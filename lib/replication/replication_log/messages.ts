/**
 * The four replication methods, their log records and the messages the nodes exchange.
 */
import type { NodeId } from "../../sim/trace";
import type { PageWrite, RowChange } from "./row_store";
import type { Statement, TableSchema, CellValue } from "./statement_language";

/** How the leader tells others about its writes. */
export type ReplicationMethod = "statement" | "wal" | "logical" | "trigger";

/** The replication methods, in the order the chapter introduces them. */
export const REPLICATION_METHODS: readonly ReplicationMethod[] = ["statement", "wal", "logical", "trigger"];

/** One entry of the leader's replication log, numbered by `lsn` (1, 2, ...). */
export type LogRecord =
  /** Statement-based: the statement itself, re-executed by every follower. */
  | { readonly lsn: number; readonly method: "statement"; readonly statement: Statement }
  /** Write-ahead log shipping: the page bytes the statement wrote, in the leader's storage format. */
  | { readonly lsn: number; readonly method: "wal"; readonly writes: readonly PageWrite[] }
  /** Logical (row-based): insert = the whole row, update = key + new values, delete = key. */
  | { readonly lsn: number; readonly method: "logical"; readonly changes: readonly RowChange[] };

/**
 * A row of the trigger-maintained change table `_changes`: what a trigger wrote when a user
 * statement changed a row of a replicated table.
 */
export interface ChangeRow {
  readonly seq: number;
  /** The leader's statement number that caused it (for lag measurements). */
  readonly lsn: number;
  readonly change: RowChange;
}

/** The name of the change table triggers write to. */
export const CHANGE_TABLE = "_changes";

/** Schema of the change table (rows hold the change as JSON text). */
export const CHANGE_TABLE_SCHEMA: TableSchema = { name: CHANGE_TABLE, key: "seq", columns: ["lsn", "tbl", "op", "row_key", "data"], autoIncrement: true };

/** Messages between leader, followers, the CDC consumer, the trigger poller and the target database. */
export type ReplicationLogMessage =
  /** Leader to follower or consumer: log records, in LSN order. */
  | { readonly type: "append"; readonly records: readonly LogRecord[] }
  /** Follower or consumer to leader: "send me every record after this LSN" (at start, or after a gap). */
  | { readonly type: "subscribe"; readonly afterLsn: number }
  /** Follower to leader: everything up to `lsn` is applied. */
  | { readonly type: "ack"; readonly lsn: number }
  /** Trigger poller to leader: change rows after `afterSeq`, please. */
  | { readonly type: "poll"; readonly afterSeq: number }
  /** Leader to poller: the change rows found. */
  | { readonly type: "changes"; readonly rows: readonly ChangeRow[] }
  /** Poller to target database: apply these changes. */
  | { readonly type: "applyChanges"; readonly rows: readonly ChangeRow[] }
  /** Target database to poller: applied up to `uptoSeq`. */
  | { readonly type: "applied"; readonly uptoSeq: number }
  /** Poller to leader: the change rows up to `uptoSeq` are delivered; delete them. */
  | { readonly type: "purge"; readonly uptoSeq: number };

/** The client operation: `f: "execute"`, input a Statement. */
export type ExecuteInput = Statement;

/** What the leader answers for an executed statement. */
export interface ExecuteOutput {
  readonly lsn: number;
  /** Rows the statement changed. */
  readonly rowsChanged: number;
  /** Ids the statement's INSERT was given (auto-increment), if any. */
  readonly ids: readonly CellValue[];
}

/** Callbacks the nodes report progress to; the cluster stamps them with true simulated time. */
export interface ReplicationLogObserver {
  /** The leader committed (and answered) the statement at `lsn`. */
  committed(node: NodeId, lsn: number): void;
  /** A follower, consumer or target applied everything up to `lsn`. */
  applied(node: NodeId, lsn: number): void;
}
