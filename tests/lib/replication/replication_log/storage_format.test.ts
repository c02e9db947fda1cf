import { describe, expect, it } from "vitest";
import { decodeRow, encodeRow, WalFormatError } from "../../../../lib/replication/replication_log/storage_format";
import { RowStore } from "../../../../lib/replication/replication_log/row_store";
import type { TableSchema } from "../../../../lib/replication/replication_log/statement_language";

const T: TableSchema = { name: "t", key: "id", columns: ["name", "n"], autoIncrement: true };

describe("storage formats", () => {
  it("round-trips rows in both formats, with different bytes per format", () => {
    const row = { id: 3, name: "a|b:c", n: null };
    for (const f of [1, 2] as const) {
      const decoded = decodeRow(encodeRow(row, T, f), T, f);
      expect(decoded).toEqual(row);
      expect(Object.keys(decoded), "columns in schema order").toEqual(["id", "name", "n"]);
    }
    expect(encodeRow(row, T, 1)).not.toBe(encodeRow(row, T, 2));
  });

  it("refuses a page write from another format with WalFormatError naming both versions", () => {
    const v1 = new RowStore([T], 1);
    const write = v1.insert("t", { id: 1, name: "x", n: 2 }).pageWrite;
    const v2 = new RowStore([T], 2);
    expect(() => v2.applyPageWrite(write)).toThrow(WalFormatError);
    expect(() => v2.applyPageWrite(write)).toThrow(/format v1.*format v2/);
    expect(v2.rows("t")).toEqual([]);
  });

  it("a same-format replica that replays the page writes holds the same pages", () => {
    const leader = new RowStore([T], 2);
    const replica = new RowStore([T], 2);
    const writes = [
      leader.insert("t", { id: 1, name: "x" }).pageWrite,
      leader.insert("t", { id: 2, name: "y" }).pageWrite,
      leader.delete("t", 1).pageWrite,
      leader.insert("t", { id: 9, name: "z" }).pageWrite,
    ];
    for (const w of writes) replica.applyPageWrite(w);
    expect(replica.pageImage()).toBe(leader.pageImage());
    expect(replica.dump()).toBe(leader.dump());
  });
});
