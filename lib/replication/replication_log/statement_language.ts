/**
 * A tiny SQL-like statement language: INSERT, UPDATE and DELETE over tables with a primary key.
 * Statements are plain data (an abstract syntax tree), so a leader can log them, a follower can
 * re-execute them, and an exercise can rewrite them. `statementText` prints them as SQL.
 *
 * Three calls are non-deterministic on purpose, because they are what breaks statement-based
 * replication: `NOW()` reads the executing node's clock, `RAND()` draws from the executing node's
 * random stream, and `TICKET()` asks an external ticket service for its next number (a side
 * effect: every execution consumes a ticket). An INSERT that leaves out the key of an
 * auto-increment table is the fourth: the executing node picks the id from its own counter.
 *
 * Semantics (the executor in `execute.ts` follows them): every call is evaluated once per
 * statement execution, not once per row, in document order (INSERT values, then UPDATE's SET,
 * then WHERE; object properties in their written order). MySQL evaluates NOW() once per
 * statement too, but RAND() once per row, which is one reason it flags such statements as unsafe
 * for statement-based logging.
 */

/** A cell value. Timestamps are numbers (ms on the executing node's clock). */
export type CellValue = string | number | null;

/** The non-deterministic calls of the language. */
export type CallName = "NOW" | "RAND" | "TICKET";

/** An expression. `column` reads the current row (UPDATE's SET and WHERE only). */
export type Expr =
  | { readonly kind: "literal"; readonly value: CellValue }
  | { readonly kind: "column"; readonly name: string }
  | { readonly kind: "call"; readonly fn: CallName }
  | { readonly kind: "binary"; readonly op: "+" | "-" | "*" | "||"; readonly left: Expr; readonly right: Expr }
  | { readonly kind: "floor"; readonly arg: Expr };

/** Comparison operators of WHERE conditions. */
export type ComparisonOp = "=" | "!=" | "<" | "<=" | ">" | ">=";

/** One WHERE condition; a statement's conditions are ANDed. */
export interface Condition {
  readonly column: string;
  readonly op: ComparisonOp;
  readonly value: Expr;
}

/** INSERT INTO table (columns) VALUES (...). Leaving out the key of an auto-increment table asks for a new id. */
export interface InsertStatement {
  readonly kind: "insert";
  readonly table: string;
  readonly values: Readonly<Record<string, Expr>>;
}

/** UPDATE table SET ... WHERE ... (no WHERE: every row). */
export interface UpdateStatement {
  readonly kind: "update";
  readonly table: string;
  readonly set: Readonly<Record<string, Expr>>;
  readonly where: readonly Condition[];
}

/** DELETE FROM table WHERE ... (no WHERE: every row). */
export interface DeleteStatement {
  readonly kind: "delete";
  readonly table: string;
  readonly where: readonly Condition[];
}

/** A write statement. */
export type Statement = InsertStatement | UpdateStatement | DeleteStatement;

/** A table's shape: its primary-key column, its other columns, whether the key is auto-increment. */
export interface TableSchema {
  readonly name: string;
  readonly key: string;
  readonly columns: readonly string[];
  readonly autoIncrement: boolean;
}

/** A bad statement or schema (unknown table or column, duplicate key...). Its message says what to fix. */
export class StatementError extends Error {
  override readonly name = "StatementError";
  constructor(message: string) {
    super(message);
  }
}

/** Shorthand for writing expressions: a number or string is a literal. */
export type ExprLike = Expr | CellValue;

function toExpr(e: ExprLike): Expr {
  return e !== null && typeof e === "object" ? e : { kind: "literal", value: e };
}

function toExprs(values: Readonly<Record<string, ExprLike>>): Record<string, Expr> {
  const out: Record<string, Expr> = {};
  for (const [k, v] of Object.entries(values)) out[k] = toExpr(v);
  return out;
}

/**
 * Builders, so notebooks can write statements compactly:
 * `sql.insert("users", { name: "ada", created: sql.now() })`,
 * `sql.update("stock", { qty: sql.minus(sql.col("qty"), 1) }, [sql.where("id", "=", 3)])`.
 */
export const sql = {
  lit: (value: CellValue): Expr => ({ kind: "literal", value }),
  col: (name: string): Expr => ({ kind: "column", name }),
  now: (): Expr => ({ kind: "call", fn: "NOW" }),
  rand: (): Expr => ({ kind: "call", fn: "RAND" }),
  ticket: (): Expr => ({ kind: "call", fn: "TICKET" }),
  plus: (left: ExprLike, right: ExprLike): Expr => ({ kind: "binary", op: "+", left: toExpr(left), right: toExpr(right) }),
  minus: (left: ExprLike, right: ExprLike): Expr => ({ kind: "binary", op: "-", left: toExpr(left), right: toExpr(right) }),
  times: (left: ExprLike, right: ExprLike): Expr => ({ kind: "binary", op: "*", left: toExpr(left), right: toExpr(right) }),
  concat: (left: ExprLike, right: ExprLike): Expr => ({ kind: "binary", op: "||", left: toExpr(left), right: toExpr(right) }),
  floor: (arg: ExprLike): Expr => ({ kind: "floor", arg: toExpr(arg) }),
  where: (column: string, op: ComparisonOp, value: ExprLike): Condition => ({ column, op, value: toExpr(value) }),
  insert: (table: string, values: Readonly<Record<string, ExprLike>>): InsertStatement => ({ kind: "insert", table, values: toExprs(values) }),
  update: (table: string, set: Readonly<Record<string, ExprLike>>, where: readonly Condition[] = []): UpdateStatement => ({
    kind: "update",
    table,
    set: toExprs(set),
    where,
  }),
  delete: (table: string, where: readonly Condition[] = []): DeleteStatement => ({ kind: "delete", table, where }),
};

/** A value as SQL text: strings quoted, numbers as JavaScript prints them (shortest exact form). */
export function valueText(v: CellValue): string {
  if (v === null) return "NULL";
  if (typeof v === "number") return String(v);
  return `'${v.replace(/'/g, "''")}'`;
}

/** An expression as SQL text. */
export function exprText(e: Expr): string {
  switch (e.kind) {
    case "literal":
      return valueText(e.value);
    case "column":
      return e.name;
    case "call":
      return `${e.fn}()`;
    case "binary":
      return `${wrap(e.left)} ${e.op} ${wrap(e.right)}`;
    case "floor":
      return `FLOOR(${exprText(e.arg)})`;
  }
}

function wrap(e: Expr): string {
  return e.kind === "binary" ? `(${exprText(e)})` : exprText(e);
}

function whereText(where: readonly Condition[]): string {
  return where.length === 0 ? "" : " WHERE " + where.map((c) => `${c.column} ${c.op} ${exprText(c.value)}`).join(" AND ");
}

/** A statement as one line of SQL, e.g. `INSERT INTO users (name, created) VALUES ('ada', NOW())`. */
export function statementText(s: Statement): string {
  switch (s.kind) {
    case "insert": {
      const cols = Object.keys(s.values);
      return `INSERT INTO ${s.table} (${cols.join(", ")}) VALUES (${cols.map((c) => exprText(s.values[c]!)).join(", ")})`;
    }
    case "update":
      return `UPDATE ${s.table} SET ${Object.entries(s.set).map(([c, e]) => `${c} = ${exprText(e)}`).join(", ")}${whereText(s.where)}`;
    case "delete":
      return `DELETE FROM ${s.table}${whereText(s.where)}`;
  }
}

/** Every expression of a statement in evaluation order (INSERT values; SET then WHERE). */
export function statementExprs(s: Statement): Expr[] {
  switch (s.kind) {
    case "insert":
      return Object.values(s.values);
    case "update":
      return [...Object.values(s.set), ...s.where.map((c) => c.value)];
    case "delete":
      return s.where.map((c) => c.value);
  }
}

/** The calls inside an expression, depth first, left to right (the order they are evaluated in). */
export function callsIn(e: Expr): CallName[] {
  switch (e.kind) {
    case "call":
      return [e.fn];
    case "binary":
      return [...callsIn(e.left), ...callsIn(e.right)];
    case "floor":
      return callsIn(e.arg);
    default:
      return [];
  }
}

/** The non-deterministic calls of a statement in evaluation order. */
export function statementCalls(s: Statement): CallName[] {
  return statementExprs(s).flatMap(callsIn);
}
