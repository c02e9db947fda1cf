import { describe, expect, it } from "vitest";
import { htmlTable, table } from "../../../lib/viz/table";
import { checkXml } from "./xml_check";

const rows = [
  { node: "a", role: "leader", log: [1, 2, 3], commit: 3, lag: 0.5 },
  { node: "b", role: "follower", log: [1, 2], commit: 2, lag: 12.25 },
  { node: "c", role: "follower", log: [], lag: 1234.56, extra: { x: 1 } },
];

describe("table", () => {
  it("draws a box table with every key as a column, in order of first appearance", () => {
    expect(table(rows, { title: "replicas" })).toBe(
      [
        "replicas",
        "┌──────┬──────────┬───────────┬────────┬────────┬────────┐",
        "│ node │ role     │ log       │ commit │    lag │ extra  │",
        "├──────┼──────────┼───────────┼────────┼────────┼────────┤",
        "│ a    │ leader   │ [1, 2, 3] │      3 │   0.50 │ -      │",
        "│ b    │ follower │ [1, 2]    │      2 │  12.25 │ -      │",
        "│ c    │ follower │ []        │      - │ 1234.6 │ {x: 1} │",
        "└──────┴──────────┴───────────┴────────┴────────┴────────┘",
      ].join("\n"),
    );
  });

  it("gives every line the same width, so columns line up", () => {
    const lines = table(rows).split("\n");
    expect(new Set(lines.map((l) => Array.from(l).length)).size).toBe(1);
    const borders = lines.map((l) => [...Array.from(l).entries()].filter(([, c]) => "│┼┬┴├┤┌┐└┘".includes(c)).map(([i]) => i).join(","));
    expect(new Set(borders).size).toBe(1);
  });

  it("takes columns, headers, alignment and formatters from the options", () => {
    const text = table(rows, {
      columns: ["node", { key: "commit", header: "commit idx", align: "center" }, { key: "log", format: (v) => `${(v as unknown[]).length} entries` }],
      style: "pipes",
    });
    expect(text).toBe(
      [
        "| node | commit idx | log       |",
        "|------|:----------:|-----------|",
        "| a    |     3      | 3 entries |",
        "| b    |     2      | 2 entries |",
        "| c    |     -      | 0 entries |",
      ].join("\n"),
    );
    expect(table([{ n: 1 }], { align: { n: "left" }, style: "pipes" })).toBe("| n |\n|---|\n| 1 |");
  });

  it("right-aligns numeric columns in pipes style with markdown's marker", () => {
    expect(table([{ k: "x", v: 10 }, { k: "yy", v: 2 }], { style: "pipes" })).toBe("| k  |  v |\n|----|---:|\n| x  | 10 |\n| yy |  2 |");
  });

  it("cuts long cells and keeps multi-line strings on one line", () => {
    const text = table([{ s: "abcdefghij", t: "one\ntwo" }], { maxColumnWidth: 5, style: "pipes" });
    expect(text).toContain("| abcd… | one⏎… |");
  });

  it("handles no rows and rejects rows that are not objects", () => {
    expect(table([], { title: "t" })).toBe("t\n(no rows)");
    expect(table([], { columns: ["a", "b"] })).toContain("(no rows)");
    expect(() => table([1] as never)).toThrow(/row #0 must be an object/);
  });
});

describe("htmlTable", () => {
  it("is a well-formed table with a header cell per column and escaped text", () => {
    const html = htmlTable([{ name: "<b>x</b>", n: 2 }, { name: "y & z", n: 10.5 }], { title: "T & U" });
    expect(checkXml(html).errors).toEqual([]);
    expect(html).toContain("<caption");
    expect(html).toContain(">T &amp; U</caption>");
    expect(html.split("<th ").length - 1).toBe(2);
    expect(html.split("<tr").length - 1).toBe(3);
    expect(html).toContain(">&lt;b&gt;x&lt;/b&gt;</td>");
    expect(html).toContain('text-align:right;padding:2px 8px;border-bottom:1px solid #e4e4e4;white-space:pre">10.50</td>');
    expect(html).not.toContain("<style");
  });

  it("applies the row style hook", () => {
    const html = htmlTable(rows, { rowStyle: (r) => (r.role === "leader" ? "font-weight:bold" : undefined) });
    expect(html.split('style="font-weight:bold"').length - 1).toBe(1);
    expect(html).toContain('<tr style="background:#f8f8f8">');
  });

  it("says so when there are no rows", () => {
    expect(htmlTable([])).toContain("(no rows)");
    expect(checkXml(htmlTable([], { columns: ["a"] })).errors).toEqual([]);
  });
});
