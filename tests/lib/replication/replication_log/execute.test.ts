import { describe, expect, it } from "vitest";
import { executeStatement, type ExecutionEnv } from "../../../../lib/replication/replication_log/execute";
import { RowStore } from "../../../../lib/replication/replication_log/row_store";
import { sql, type TableSchema } from "../../../../lib/replication/replication_log/statement_language";

const T: TableSchema = { name: "t", key: "id", columns: ["a", "b"], autoIncrement: true };

function env(now: number, randoms: number[], firstTicket = 100): ExecutionEnv & { draws: number } {
  let i = 0;
  let ticket = firstTicket;
  const e = { draws: 0, now: () => now, random: () => (e.draws++, randoms[i++ % randoms.length]!), nextTicket: () => ticket++ };
  return e;
}

describe("executeStatement", () => {
  it("evaluates each call once per statement, not once per row", () => {
    const s = new RowStore([T]);
    for (let id = 1; id <= 3; id++) executeStatement(s, sql.insert("t", { id, a: id }), env(0, [0]));
    const e = env(0, [0.5, 0.9]);
    executeStatement(s, sql.update("t", { b: sql.rand() }), e);
    expect(e.draws).toBe(1);
    expect(s.rowsByKey("t").map((r) => r["b"])).toEqual([0.5, 0.5, 0.5]);
  });

  it("takes NOW(), RAND() and TICKET() from the executing node and the counter for a missing key", () => {
    const s = new RowStore([T]);
    const r = executeStatement(s, sql.insert("t", { a: sql.plus(sql.now(), 1), b: sql.plus(sql.ticket(), sql.floor(sql.times(sql.rand(), 10))) }), env(1000, [0.25]));
    expect(r.allocatedIds).toEqual([1]);
    expect(r.callValues).toEqual([{ fn: "NOW", value: 1000 }, { fn: "TICKET", value: 100 }, { fn: "RAND", value: 0.25 }]);
    expect(s.get("t", 1)).toEqual({ id: 1, a: 1001, b: 102 });
  });

  it("updates and deletes the rows matching every WHERE condition, reading columns per row", () => {
    const s = new RowStore([T]);
    for (let id = 1; id <= 4; id++) executeStatement(s, sql.insert("t", { id, a: id * 10, b: 25 }), env(0, [0]));
    executeStatement(s, sql.update("t", { a: sql.plus(sql.col("a"), 1) }, [sql.where("a", "<", sql.col("b"))]), env(0, [0]));
    expect(s.rowsByKey("t").map((r) => r["a"])).toEqual([11, 21, 30, 40]);
    const del = executeStatement(s, sql.delete("t", [sql.where("a", ">=", 21), sql.where("id", "!=", 4)]), env(0, [0]));
    expect(del.effects.map((e) => e.change)).toEqual([{ op: "delete", table: "t", key: 2 }, { op: "delete", table: "t", key: 3 }]);
  });

  it("refuses bad statements with a StatementError that names the problem", () => {
    const s = new RowStore([T]);
    expect(() => executeStatement(s, sql.insert("nope", { a: 1 }), env(0, [0]))).toThrow(/unknown table "nope"/);
    expect(() => executeStatement(s, sql.insert("t", { c: 1 }), env(0, [0]))).toThrow(/no column c/);
    expect(() => executeStatement(s, sql.insert("t", { a: sql.col("b") }), env(0, [0]))).toThrow(/cannot be used in INSERT/);
    expect(() => executeStatement(s, sql.insert("t", { a: sql.plus("x", 1) }), env(0, [0]))).toThrow(/needs numbers/);
  });
});
