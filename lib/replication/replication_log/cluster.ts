/**
 * Builds the replication-log model on the simulator: a leader, followers (or, for the trigger
 * method, a poller and a target database), an optional CDC search index, and a client "app" that
 * sends statements. Helpers compare the replicas and measure the cost of each method.
 *
 * ```ts
 * const c = createReplicationLogCluster({ seed: 1, method: "statement", tables: [USERS] });
 * c.execute(sql.insert("users", { name: "ada", created: sql.now() }), 10);
 * c.sim.run({ untilMs: 100 });
 * c.compare("users");   // one row per node, with where it differs from the leader
 * ```
 */
import type { ClockSettings } from "../../sim/clock";
import { SimulationConfigError } from "../../sim/errors";
import type { NetworkConfig } from "../../sim/network";
import type { NodeLogic } from "../../sim/node";
import type { Seed } from "../../sim/random";
import { Simulation, type RunLimits } from "../../sim/simulation";
import type { NodeId } from "../../sim/trace";
import { SearchIndexNode } from "./cdc_consumer";
import { LogFollowerNode } from "./follower_node";
import { LogLeaderNode } from "./leader_node";
import { REPLICATION_METHODS, type ExecuteInput, type ExecuteOutput, type ReplicationLogMessage, type ReplicationMethod } from "./messages";
import type { StatementRewriter } from "./rewrite";
import { RowStore, compareKeys, validateSchemas, type Row, type RowChange } from "./row_store";
import { statementText, valueText, type Statement, type TableSchema, type CellValue } from "./statement_language";
import { requireFormatVersion, type StorageFormatVersion } from "./storage_format";
import { TicketService } from "./tickets";
import { TargetDatabaseNode, TriggerPollerNode } from "./trigger_replication";

export const LEADER_ID = "leader";
export const SEARCH_ID = "search";
export const POLLER_ID = "replicator";
export const TARGET_ID = "warehouse";
export const APP_CLIENT_ID = "app";

/** Configuration of `createReplicationLogCluster`. */
export interface ReplicationLogClusterConfig {
  seed: Seed;
  method: ReplicationMethod;
  tables: readonly TableSchema[];
  /** Followers f1..fK (default 2; the trigger method has none: it replicates to `warehouse`). */
  followers?: number;
  /** Storage format per node (default 1 everywhere), e.g. `{ f2: 2 }` for a follower already upgraded. */
  formats?: Readonly<Record<NodeId, StorageFormatVersion>>;
  /** Statement method: rewrite each statement at the leader before it is executed and logged. */
  rewrite?: StatementRewriter;
  /** Adds a search index `search` fed by the log (logical method only). */
  cdc?: { table: string; column: string };
  /** Trigger method: which tables to replicate (default all) and how often to poll (default 100 ms). */
  trigger?: { tables?: readonly string[]; pollIntervalMs?: number };
  /** Leader time per page write or log append (default 0.2 ms). */
  writeCostMs?: number;
  /** First number of the external ticket service (default 1000). */
  firstTicket?: number;
  clocks?: Readonly<Record<NodeId, ClockSettings>>;
  network?: NetworkConfig;
  limits?: RunLimits;
}

/** Any node of the model. */
export type ReplicationLogNode = LogLeaderNode | LogFollowerNode | SearchIndexNode | TriggerPollerNode | TargetDatabaseNode;

/** One row of `compare`: a node's rows of a table, and how they differ from the leader's. */
export interface ComparisonRow {
  node: NodeId;
  format: StorageFormatVersion | "-";
  appliedLsn: number;
  rows: string;
  sameAsLeader: boolean;
  differences: string;
}

/** A commit-to-applied delay of one statement at one node. */
export interface LagSample {
  node: NodeId;
  lsn: number;
  committedMs: number;
  appliedMs: number;
}

/** A running replication-log model. */
export interface ReplicationLogCluster {
  readonly sim: Simulation<ReplicationLogMessage, ExecuteInput, ExecuteOutput, NodeLogic<ReplicationLogMessage, ExecuteInput, ExecuteOutput>>;
  readonly method: ReplicationMethod;
  readonly followerIds: readonly NodeId[];
  readonly tickets: TicketService;
  /** Sends a statement from the client "app" to the leader at `atMs` (default now). */
  execute(statement: Statement, atMs?: number): void;
  /** Sends statements one after another, `gapMs` apart, from `startMs`. */
  executeAll(statements: readonly Statement[], options?: { startMs?: number; gapMs?: number }): void;
  leader(): LogLeaderNode;
  follower(id: NodeId): LogFollowerNode;
  searchIndex(): SearchIndexNode;
  target(): TargetDatabaseNode;
  poller(): TriggerPollerNode;
  /** A node's row store (leader, follower or target). */
  store(id: NodeId): RowStore;
  /** Every data node (leader first, then followers, then the target), one row each, for `table`. */
  compare(table: string): ComparisonRow[];
  /** True when every follower's (or the target's) dump equals the leader's, byte for byte. */
  converged(): boolean;
  /** The leader's log: LSN and statement as SQL (statement method) or record summary. */
  logTable(): { lsn: number; record: string }[];
  /** Commit (leader) to applied (elsewhere) delay of every statement at every applying node. */
  lag(): LagSample[];
  /** What each client statement cost, from the history: answer time (ms) per statement. */
  commitLatenciesMs(): number[];
}

function rowsText(rows: readonly Row[]): string {
  return rows.map((r) => Object.values(r).map((v) => (v === null ? "NULL" : String(v))).join(",")).join(" | ");
}

/** Builds the model. Bad settings throw SimulationConfigError saying what to change. */
export function createReplicationLogCluster(config: ReplicationLogClusterConfig): ReplicationLogCluster {
  const method = config.method;
  if (!REPLICATION_METHODS.includes(method)) {
    throw new SimulationConfigError(`method must be one of ${REPLICATION_METHODS.join(", ")}; got ${JSON.stringify(method)}.`);
  }
  if (config.tables.length === 0) throw new SimulationConfigError(`give at least one table schema in tables.`);
  validateSchemas(config.tables);
  const followerCount = method === "trigger" ? 0 : (config.followers ?? 2);
  if (!Number.isInteger(followerCount) || followerCount < 0 || followerCount > 20) {
    throw new SimulationConfigError(`followers must be a whole number from 0 to 20, got ${config.followers}.`);
  }
  if (method === "trigger" && config.followers !== undefined && config.followers > 0) {
    throw new SimulationConfigError(`the trigger method replicates to the "${TARGET_ID}" database through a poller, not to followers: leave out followers.`);
  }
  if (config.rewrite !== undefined && method !== "statement") {
    throw new SimulationConfigError(`rewrite only applies to the statement method (method is ${method}).`);
  }
  if (config.cdc !== undefined) {
    if (method !== "logical") throw new SimulationConfigError(`a CDC consumer reads row changes: use method "logical" (got ${method}).`);
    const t = config.tables.find((s) => s.name === config.cdc!.table);
    if (t === undefined || !t.columns.includes(config.cdc.column)) {
      throw new SimulationConfigError(`cdc: table ${config.cdc.table} with column ${config.cdc.column} is not among the tables.`);
    }
  }
  const writeCostMs = config.writeCostMs ?? 0.2;
  if (!Number.isFinite(writeCostMs) || writeCostMs < 0) throw new SimulationConfigError(`writeCostMs must be a number >= 0, got ${writeCostMs}.`);
  const pollIntervalMs = config.trigger?.pollIntervalMs ?? 100;
  if (!Number.isFinite(pollIntervalMs) || pollIntervalMs <= 0) throw new SimulationConfigError(`trigger.pollIntervalMs must be > 0, got ${pollIntervalMs}.`);
  const triggerTables = config.trigger?.tables ?? config.tables.map((t) => t.name);
  for (const t of triggerTables) {
    if (!config.tables.some((s) => s.name === t)) throw new SimulationConfigError(`trigger.tables: unknown table ${t}.`);
  }

  const followerIds = Array.from({ length: followerCount }, (_, i) => `f${i + 1}`);
  const nodes: NodeId[] = [LEADER_ID, ...followerIds];
  if (config.cdc) nodes.push(SEARCH_ID);
  if (method === "trigger") nodes.push(POLLER_ID, TARGET_ID);
  for (const [id, f] of Object.entries(config.formats ?? {})) {
    if (!nodes.includes(id) || id === SEARCH_ID || id === POLLER_ID) throw new SimulationConfigError(`formats: ${id} is not a data node (data nodes: ${[LEADER_ID, ...followerIds].join(", ")}).`);
    requireFormatVersion(f);
  }
  const formatOf = (id: NodeId): StorageFormatVersion => config.formats?.[id] ?? 1;
  const tickets = new TicketService(config.firstTicket ?? 1000);
  const committed = new Map<number, number>();
  const applied: { node: NodeId; lsn: number; timeMs: number }[] = [];
  const observer = {
    committed: (_node: NodeId, lsn: number) => void committed.set(lsn, sim.now),
    applied: (node: NodeId, lsn: number) => void applied.push({ node, lsn, timeMs: sim.now }),
  };
  const subscribers = config.cdc ? [...followerIds, SEARCH_ID] : followerIds;

  const createNode = (id: NodeId): NodeLogic<ReplicationLogMessage, ExecuteInput, ExecuteOutput> => {
    if (id === LEADER_ID) {
      return new LogLeaderNode(id, {
        method,
        tables: config.tables,
        format: formatOf(id),
        subscribers,
        tickets,
        observer,
        ...(config.rewrite ? { rewrite: config.rewrite } : {}),
        triggerTables,
        writeCostMs,
      });
    }
    if (id === SEARCH_ID) {
      return new SearchIndexNode(id, { leader: LEADER_ID, table: config.tables.find((t) => t.name === config.cdc!.table)!, column: config.cdc!.column, observer });
    }
    if (id === POLLER_ID) return new TriggerPollerNode(id, { leader: LEADER_ID, target: TARGET_ID, pollIntervalMs });
    if (id === TARGET_ID) return new TargetDatabaseNode(id, config.tables.filter((t) => triggerTables.includes(t.name)), observer);
    return new LogFollowerNode(id, { leader: LEADER_ID, tables: config.tables, format: formatOf(id), tickets, observer, resubscribeMs: 100 });
  };

  const sim: ReplicationLogCluster["sim"] = new Simulation({
    seed: config.seed,
    nodes,
    createNode,
    clients: [APP_CLIENT_ID],
    ...(config.network ? { network: config.network } : {}),
    ...(config.clocks ? { clocks: config.clocks } : {}),
    ...(config.limits ? { limits: config.limits } : {}),
    describeMessage: (m) => (m.type === "append" ? `append ${m.records.map((r) => r.lsn).join(",")}` : m.type),
  });

  const logicOf = <T>(id: NodeId, cls: abstract new (...args: never[]) => T, what: string): T => {
    const logic = sim.logic(id) as unknown;
    if (!(logic instanceof cls)) throw new SimulationConfigError(`${id} is not a ${what} in this cluster (method ${method}); run the simulation first if it has not started.`);
    return logic as T;
  };
  const dataNodes = (): NodeId[] => (method === "trigger" ? [LEADER_ID, TARGET_ID] : [LEADER_ID, ...followerIds]);

  const cluster: ReplicationLogCluster = {
    sim,
    method,
    followerIds,
    tickets,
    execute(statement, atMs) {
      sim.invoke(APP_CLIENT_ID, LEADER_ID, "execute", statement, atMs === undefined ? {} : { atMs });
    },
    executeAll(statements, options = {}) {
      const start = options.startMs ?? 10;
      const gap = options.gapMs ?? 5;
      statements.forEach((s, i) => cluster.execute(s, start + i * gap));
    },
    leader: () => logicOf(LEADER_ID, LogLeaderNode, "leader"),
    follower: (id) => logicOf(id, LogFollowerNode, "follower"),
    searchIndex: () => logicOf(SEARCH_ID, SearchIndexNode, "search index (give cdc: { table, column })"),
    target: () => logicOf(TARGET_ID, TargetDatabaseNode, "target database (method trigger)"),
    poller: () => logicOf(POLLER_ID, TriggerPollerNode, "trigger poller (method trigger)"),
    store(id) {
      if (id === LEADER_ID) return cluster.leader().store;
      if (id === TARGET_ID) return cluster.target().store;
      return cluster.follower(id).store;
    },
    compare(table) {
      const leaderRows = cluster.store(LEADER_ID).rowsByKey(table);
      const key = cluster.store(LEADER_ID).schema(table)!.key;
      return dataNodes().map((id) => {
        const store = cluster.store(id);
        const rows = store.rowsByKey(table);
        const logic = sim.logic(id) as ReplicationLogNode;
        return {
          node: id,
          format: id === TARGET_ID ? "-" : formatOf(id),
          appliedLsn: logic instanceof LogLeaderNode ? logic.committedLsn : "appliedLsn" in logic ? logic.appliedLsn : 0,
          rows: rowsText(rows),
          sameAsLeader: JSON.stringify(rows) === JSON.stringify(leaderRows),
          differences: describeDifferences(leaderRows, rows, key),
        };
      });
    },
    converged() {
      const leaderDump = cluster.store(LEADER_ID).dump();
      if (method === "trigger") {
        const target = cluster.store(TARGET_ID);
        return target.tableNames().every((t) => JSON.stringify(target.rowsByKey(t)) === JSON.stringify(cluster.store(LEADER_ID).rowsByKey(t)));
      }
      return followerIds.every((id) => cluster.store(id).dump() === leaderDump);
    },
    logTable() {
      return cluster.leader().log.map((r) => ({
        lsn: r.lsn,
        record:
          r.method === "statement"
            ? statementText(r.statement)
            : r.method === "wal"
              ? r.writes.map((w) => `${w.table}[${w.slot}] v${w.format} ${w.bytes === null ? "(free)" : w.bytes.slice(0, 24) + (w.bytes.length > 24 ? "…" : "")}`).join("; ")
              : r.changes.map(changeText).join("; "),
      }));
    },
    lag() {
      const out: LagSample[] = [];
      for (const [lsn, committedMs] of [...committed].sort((a, b) => a[0] - b[0])) {
        for (const node of [...new Set(applied.map((a) => a.node))].sort()) {
          const first = applied.find((a) => a.node === node && a.lsn >= lsn);
          if (first) out.push({ node, lsn, committedMs, appliedMs: first.timeMs });
        }
      }
      return out;
    },
    commitLatenciesMs() {
      return sim.history.ops.filter((op) => op.client === APP_CLIENT_ID && op.status === "ok" && op.completeMs !== undefined).map((op) => op.completeMs! - op.invokeMs);
    },
  };
  return cluster;
}

/** A row change as one short line: `insert users (id=1, name='ada')`, `update users key 1 set score=5`, `delete users key 3`. */
export function changeText(c: RowChange): string {
  const pairs = (row: Row) => Object.entries(row).map(([k, v]) => `${k}=${valueText(v)}`).join(", ");
  if (c.op === "insert") return `insert ${c.table} (${pairs(c.row)})`;
  if (c.op === "update") return `update ${c.table} key ${valueText(c.key)} set ${pairs(c.set)}`;
  return `delete ${c.table} key ${valueText(c.key)}`;
}

/** "id 3: name 'a' vs 'b'; id 4 missing; id 9 extra", at most five items. */
function describeDifferences(expected: readonly Row[], actual: readonly Row[], key: string): string {
  const byKey = (rows: readonly Row[]) => new Map(rows.map((r) => [JSON.stringify(r[key] ?? null), r]));
  const e = byKey(expected);
  const a = byKey(actual);
  const items: string[] = [];
  const keys = [...new Set([...e.keys(), ...a.keys()])].sort((x, y) => compareKeys(JSON.parse(x) as CellValue, JSON.parse(y) as CellValue));
  for (const k of keys) {
    const er = e.get(k);
    const ar = a.get(k);
    if (er === undefined) items.push(`${key} ${k} extra`);
    else if (ar === undefined) items.push(`${key} ${k} missing`);
    else {
      const cols = Object.keys(er).filter((c) => er[c] !== ar[c]);
      if (cols.length > 0) items.push(`${key} ${k}: ${cols.map((c) => `${c} ${JSON.stringify(ar[c])} (leader ${JSON.stringify(er[c])})`).join(", ")}`);
    }
  }
  if (items.length === 0) return "";
  return items.length > 5 ? items.slice(0, 5).join("; ") + `; +${items.length - 5} more` : items.join("; ");
}
