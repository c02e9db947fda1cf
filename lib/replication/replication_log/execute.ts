/**
 * Executes a statement against a node's RowStore. The non-deterministic parts come from the
 * executing node (`ExecutionEnv`): its clock for NOW(), its random stream for RAND(), the
 * external ticket service for TICKET(), and its own auto-increment counter for an INSERT without
 * a key. Re-executing the same statement on another node can therefore give another result,
 * which is the whole problem of statement-based replication.
 */
import { type ChangeEffect, type Row, type RowStore } from "./row_store";
import {
  StatementError,
  statementCalls,
  type CallName,
  type ComparisonOp,
  type Condition,
  type Expr,
  type Statement,
  type CellValue,
} from "./statement_language";

/** Where a node's non-deterministic values come from. */
export interface ExecutionEnv {
  /** The node's local clock, whole ms (a clock with millisecond resolution). */
  now(): number;
  /** A draw from the node's random stream, in [0, 1). */
  random(): number;
  /** The next number from the external ticket service (consumes it: a side effect). */
  nextTicket(): number;
}

/** What executing one statement did. */
export interface ExecutionResult {
  /** Each row change with its page write, in the order they happened. */
  readonly effects: readonly ChangeEffect[];
  /** The value each call of the statement returned, in evaluation order. */
  readonly callValues: readonly { readonly fn: CallName; readonly value: number }[];
  /** Ids this node's auto-increment counter handed out. */
  readonly allocatedIds: readonly number[];
}

function draw(fn: CallName, env: ExecutionEnv): number {
  return fn === "NOW" ? env.now() : fn === "RAND" ? env.random() : env.nextTicket();
}

/** Evaluates expressions, taking each call's value from the values drawn for this execution. */
class Evaluator {
  private next = 0;
  constructor(private readonly values: readonly number[]) {}

  /** Evaluates an expression that may read the current row. Calls take the next drawn value. */
  eval(e: Expr, row: Row | undefined): CellValue {
    switch (e.kind) {
      case "literal":
        return e.value;
      case "column":
        if (row === undefined) throw new StatementError(`column ${e.name} cannot be used in INSERT values.`);
        if (!(e.name in row)) throw new StatementError(`unknown column ${e.name}.`);
        return row[e.name] ?? null;
      case "call":
        return this.values[this.next++]!;
      case "floor": {
        const v = this.eval(e.arg, row);
        if (v === null) return null;
        if (typeof v !== "number") throw new StatementError(`FLOOR needs a number, got ${JSON.stringify(v)}.`);
        return Math.floor(v);
      }
      case "binary": {
        const l = this.eval(e.left, row);
        const r = this.eval(e.right, row);
        if (l === null || r === null) return null;
        if (e.op === "||") return String(l) + String(r);
        if (typeof l !== "number" || typeof r !== "number") throw new StatementError(`${e.op} needs numbers, got ${JSON.stringify(l)} and ${JSON.stringify(r)}.`);
        return e.op === "+" ? l + r : e.op === "-" ? l - r : l * r;
      }
    }
  }
}

function compare(a: CellValue, op: ComparisonOp, b: CellValue): boolean {
  if (a === null || b === null) return false;
  if (op === "=") return a === b;
  if (op === "!=") return a !== b;
  if (typeof a !== typeof b) return false;
  return op === "<" ? a < b : op === "<=" ? a <= b : op === ">" ? a > b : a >= b;
}

/**
 * Evaluates WHERE once per statement against its calls, then matches rows in physical order.
 * Condition values may read columns of the row (e.g. `qty < reorder_at`), so they are evaluated
 * per row, but calls inside them still take the statement's single draw.
 */
function matchingRows(store: RowStore, table: string, where: readonly Condition[], whereValues: readonly number[]): Row[] {
  const schema = store.schema(table)!;
  for (const c of where) {
    if (c.column !== schema.key && !schema.columns.includes(c.column)) throw new StatementError(`WHERE: table ${table} has no column ${c.column}.`);
  }
  return store.rows(table).filter((row) => {
    const perRow = new Evaluator(whereValues);
    return where.every((c) => compare(row[c.column] ?? null, c.op, perRow.eval(c.value, row)));
  });
}

/**
 * Executes `statement` on `store` with the node's `env`. Throws StatementError (and changes
 * nothing) for an unknown table or column, a duplicate key or a type error.
 */
export function executeStatement(store: RowStore, statement: Statement, env: ExecutionEnv): ExecutionResult {
  const schema = store.schema(statement.table);
  if (schema === undefined) throw new StatementError(`unknown table ${JSON.stringify(statement.table)} (tables: ${store.tableNames().join(", ")}).`);
  const calls = statementCalls(statement);
  const values = calls.map((fn) => draw(fn, env));
  const callValues = calls.map((fn, i) => ({ fn, value: values[i]! }));
  const effects: ChangeEffect[] = [];
  const allocatedIds: number[] = [];

  switch (statement.kind) {
    case "insert": {
      const ev = new Evaluator(values);
      const row: Record<string, CellValue> = {};
      for (const [column, expr] of Object.entries(statement.values)) {
        if (column !== schema.key && !schema.columns.includes(column)) throw new StatementError(`INSERT: table ${schema.name} has no column ${column}.`);
        row[column] = ev.eval(expr, undefined);
      }
      if (row[schema.key] === undefined) {
        if (!schema.autoIncrement) throw new StatementError(`INSERT into ${schema.name} needs a value for its key ${schema.key} (not auto-increment).`);
        const id = store.allocateId(schema.name);
        allocatedIds.push(id);
        row[schema.key] = id;
      }
      effects.push(store.insert(schema.name, row));
      break;
    }
    case "update": {
      const setCount = Object.values(statement.set).reduce((n, e) => n + countCalls(e), 0);
      const setValues = values.slice(0, setCount);
      const whereValues = values.slice(setCount);
      for (const column of Object.keys(statement.set)) {
        if (column === schema.key) throw new StatementError(`UPDATE ${schema.name}: changing the key ${column} is not supported; delete and insert instead.`);
        if (!schema.columns.includes(column)) throw new StatementError(`UPDATE: table ${schema.name} has no column ${column}.`);
      }
      const rows = matchingRows(store, schema.name, statement.where, whereValues);
      for (const row of rows) {
        const ev = new Evaluator(setValues);
        const set: Record<string, CellValue> = {};
        for (const [column, expr] of Object.entries(statement.set)) set[column] = ev.eval(expr, row);
        effects.push(store.update(schema.name, row[schema.key] ?? null, set));
      }
      break;
    }
    case "delete": {
      const rows = matchingRows(store, schema.name, statement.where, values);
      for (const row of rows) effects.push(store.delete(schema.name, row[schema.key] ?? null));
      break;
    }
  }
  return { effects, callValues, allocatedIds };
}

function countCalls(e: Expr): number {
  return e.kind === "call" ? 1 : e.kind === "binary" ? countCalls(e.left) + countCalls(e.right) : e.kind === "floor" ? countCalls(e.arg) : 0;
}
