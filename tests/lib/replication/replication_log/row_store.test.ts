import { describe, expect, it } from "vitest";
import { RowStore } from "../../../../lib/replication/replication_log/row_store";
import { StatementError, type TableSchema } from "../../../../lib/replication/replication_log/statement_language";

const USERS: TableSchema = { name: "users", key: "id", columns: ["name"], autoIncrement: true };

describe("RowStore", () => {
  it("reuses the first free slot, so physical order differs from key order", () => {
    const s = new RowStore([USERS]);
    s.insert("users", { id: 1, name: "a" });
    s.insert("users", { id: 2, name: "b" });
    s.delete("users", 1);
    s.insert("users", { id: 3, name: "c" });
    expect(s.rows("users").map((r) => r["id"])).toEqual([3, 2]);
    expect(s.rowsByKey("users").map((r) => r["id"])).toEqual([2, 3]);
  });

  it("describes each change as a row change and as a page write", () => {
    const s = new RowStore([USERS]);
    const ins = s.insert("users", { id: 1, name: "a" });
    expect(ins.change).toEqual({ op: "insert", table: "users", row: { id: 1, name: "a" } });
    expect(ins.pageWrite).toMatchObject({ table: "users", slot: 0, format: 1 });
    expect(s.update("users", 1, { name: "b" }).change).toEqual({ op: "update", table: "users", key: 1, set: { name: "b" } });
    expect(s.delete("users", 1)).toMatchObject({ change: { op: "delete", key: 1 }, pageWrite: { slot: 0, bytes: null } });
  });

  it("rebuilds the auto-increment counter as largest key + 1 after a reload, but clone keeps it", () => {
    const s = new RowStore([USERS]);
    for (let i = 0; i < 3; i++) s.insert("users", { id: s.allocateId("users"), name: `u${i}` });
    s.delete("users", 3);
    expect(s.peekNextId("users")).toBe(4);
    expect(s.clone().peekNextId("users")).toBe(4);
    expect(RowStore.fromStored(s.toStored()).peekNextId("users")).toBe(3);
  });

  it("refuses duplicate keys, unknown columns, key updates and unknown tables", () => {
    const s = new RowStore([USERS]);
    s.insert("users", { id: 1, name: "a" });
    expect(() => s.insert("users", { id: 1, name: "b" })).toThrow(/duplicate key/);
    expect(() => s.insert("users", { id: 2, nick: "b" })).toThrow(StatementError);
    expect(() => s.update("users", 1, { id: 5 })).toThrow(/key column/);
    expect(() => s.rows("nope")).toThrow(/unknown table "nope"/);
    expect(() => new RowStore([USERS, USERS])).toThrow(/unique/);
  });

  it("dumps canonically: equal data gives equal text whatever the physical order", () => {
    const a = new RowStore([USERS]);
    const b = new RowStore([USERS]);
    a.insert("users", { id: 1, name: "x" });
    a.insert("users", { id: 2, name: "y" });
    b.insert("users", { id: 2, name: "y" });
    b.insert("users", { id: 1, name: "x" });
    expect(a.dump()).toBe(b.dump());
    b.update("users", 1, { name: "z" });
    expect(a.dump()).not.toBe(b.dump());
  });
});
