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

/**
 * Rows declared with an interface have no index signature, so a `Record<string, unknown>[]`
 * parameter rejected them ("Index signature for type 'string' is missing"). These calls are
 * checked by `npm run typecheck`, which covers tests/: the file stops compiling if that returns.
 */
interface Candidate {
  id: string;
  lastLsn: number;
  reachable: boolean;
}

/** A second row shape, to build a union of interfaces. */
interface Gap {
  id: string;
  missingFrom: number;
}

describe("rows of interface and class types", () => {
  const candidates: readonly Candidate[] = [
    { id: "n2", lastLsn: 41, reachable: true },
    { id: "n3", lastLsn: 7, reachable: false },
  ];

  it("prints them like object literals, with keys and formatters typed by the row", () => {
    expect(table(candidates, { style: "pipes" })).toBe(
      ["| id | lastLsn | reachable |", "|----|--------:|-----------|", "| n2 |      41 | true      |", "| n3 |       7 | false     |"].join("\n"),
    );
    // `row` is a Candidate here: row.reachable type-checks without a cast.
    const text = table(candidates, {
      columns: ["id", { key: "lastLsn", header: "LSN", format: (v, row) => `${String(v)}${row.reachable ? "" : " (unreachable)"}` }],
      align: { id: "right" },
      style: "pipes",
    });
    // The column's values are numbers, so it stays right-aligned although its cells are formatted.
    expect(text).toBe(["| id |             LSN |", "|---:|----------------:|", "| n2 |              41 |", "| n3 | 7 (unreachable) |"].join("\n"));
    const html = htmlTable(candidates, { rowStyle: (row) => (row.reachable ? undefined : "color:#999") });
    // Only n3 (the second row, so also zebra-striped) is greyed out.
    expect(html.split("color:#999").length - 1).toBe(1);
    expect(html).toContain('<tr style="background:#f8f8f8;color:#999"><td style="text-align:left;padding:2px 8px;border-bottom:1px solid #e4e4e4;white-space:pre">n3</td>');
  });

  it("still rejects column keys the row type does not have", () => {
    // @ts-expect-error "lsn" is not a key of Candidate: a typo in a column is a type error.
    const text = table(candidates, { columns: ["lsn"], style: "pipes" });
    expect(text).toBe("| lsn |\n|-----|\n| -   |\n| -   |");
  });

  it("accepts unions of row shapes (any member's key names a column) and class instances", () => {
    const mixed: (Candidate | Gap)[] = [...candidates, { id: "n4", missingFrom: 12 }];
    expect(table(mixed, { columns: ["id", "missingFrom"], style: "pipes" })).toBe(
      ["| id | missingFrom |", "|----|------------:|", "| n2 |           - |", "| n3 |           - |", "| n4 |          12 |"].join("\n"),
    );
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
    }
    expect(table([new Point(1, 2)], { style: "pipes" })).toBe("| x | y |\n|--:|--:|\n| 1 | 2 |");
  });
});
