import { describe, expect, it } from "vitest";
import { lineChart } from "../../../../lib/viz/charts/line_text";

describe("lineChart", () => {
  it("draws a rising series exactly (worked out by hand from asciichart's rules)", () => {
    // Values 0..3 with height 3: one row per unit, labels 3..0; each step up is ╯ then ╭ one
    // column later; the x axis has ticks at 0 and 2 (nice step 2 for 4 columns).
    expect(lineChart({ up: [0, 1, 2, 3] }, { height: 3 })).toBe(
      ["3 ┤  ╭", "2 ┤ ╭╯", "1 ┤╭╯", "0 ┤╯", "  └─┬─", "  0 2", "legend: ── up"].join("\n"),
    );
  });

  it("tells series apart by line style and names them in the legend", () => {
    const text = lineChart({ leader: [0, 2, 4, 6], follower: [0, 1, 1, 6] }, { height: 6, title: "commit index", xLabel: "round", yLabel: "index" });
    const lines = text.split("\n");
    expect(lines[0]).toBe("commit index");
    expect(lines[1]).toBe("index");
    expect(text).toContain("━");
    expect(lines[lines.length - 1]).toBe("legend: ── leader   ━━ follower");
    expect(lines[lines.length - 2]!.trim()).toBe("round");
    // The y labels run from the maximum down to the minimum.
    expect(lines[2]!.trim().startsWith("6 ┤")).toBe(true);
    expect(lines[8]!.trim().startsWith("0 ┤")).toBe(true);
  });

  it("places a series that starts later at its own x", () => {
    const text = lineChart(
      [
        { name: "early", points: [[0, 0], [10, 0]] },
        { name: "late", points: [[5, 1], [10, 1]] },
      ],
      { height: 1 },
    );
    const rows = text.split("\n");
    // 11 integer x values → 11 columns; "late" is flat at the top row from x = 5 on.
    const top = rows[0]!;
    const axis = top.indexOf("┤");
    expect(top.slice(axis + 1)).toBe(" ".repeat(5) + "━".repeat(5));
    expect(rows[1]!.slice(axis + 1)).toBe("─".repeat(10));
  });

  it("resamples many points to the width asked for", () => {
    const ys = Array.from({ length: 500 }, (_, i) => Math.sin(i / 40));
    const text = lineChart({ wave: ys }, { width: 50, height: 8 });
    const axisLine = text.split("\n").find((l) => l.includes("└"))!;
    expect(Array.from(axisLine.trim()).length).toBe(50);
  });

  it("holds values with interpolate: step", () => {
    const points: [number, number][] = [[0, 0], [10, 1]];
    const middleRow = (text: string) => text.split("\n")[1]!.split("┤")[1];
    // 11 columns, rows for 1.0, 0.5 and 0.0. Step stays at 0 and rises in the last column;
    // linear passes the middle row from column 3 (value 0.3 rounds up) to column 8.
    expect(middleRow(lineChart([{ name: "s", points }], { width: 11, height: 2, interpolate: "step" }))).toBe(" ".repeat(9) + "│");
    expect(middleRow(lineChart([{ name: "s", points }], { width: 11, height: 2, interpolate: "linear" }))).toBe("  ╭────╯");
  });

  it("draws a series whose points all fall between two columns at the nearest column (it used to hang)", () => {
    // x = 4.5 is not integer, so the 0..10 range is resampled to 6 columns at x = 0, 2, 4, 6, 8, 10.
    // No column lands on b's only point; the nearest is x = 4, the third column.
    const text = lineChart(
      [
        { name: "a", points: [[0, 0], [10, 0]] },
        { name: "b", points: [[4.5, 1]] },
      ],
      { width: 6, height: 1 },
    );
    expect(text.split("\n")[0]).toBe("1 ┤  ━");
    expect(text).toContain("legend: ── a   ━━ b");
  });

  it("adds ANSI colours only when asked", () => {
    expect(lineChart({ a: [1, 2] })).not.toContain("\x1b[");
    expect(lineChart({ a: [1, 2] }, { colors: true })).toContain("\x1b[");
  });

  it("handles a flat series, empty input and series without points", () => {
    // One unit either side of a flat value: rows 6, 5, 4, the line on the middle one.
    expect(lineChart({ flat: [5, 5, 5] }, { height: 2 }).split("\n").slice(0, 3)).toEqual(["6 ┤", "5 ┤──", "4 ┤"]);
    expect(lineChart({}, { title: "t" })).toBe("t\n(no data)");
    expect(lineChart([{ name: "a", points: [[0, 1], [1, 2]] }, { name: "none", points: [] }])).toContain("(no points: none)");
  });

  it("rejects malformed series with a message that shows the expected shape", () => {
    expect(() => lineChart([{ name: "a", points: [[0, Number.NaN]] }])).toThrow(/point #0 must be \[x, y\] with finite numbers/);
    expect(() => lineChart(42 as never)).toThrow(/pass series as/);
    expect(() => lineChart({ a: [1] }, { height: 0 })).toThrow(/height must be/);
    // A fixed y range must be a range: before, min >= max silently drew a made-up one.
    expect(() => lineChart({ a: [1, 2] }, { min: 5, max: 3 })).toThrow(/lineChart: max \(3\) must be greater than min \(5\)/);
    expect(() => lineChart({ a: [1, 2] }, { min: Number.NaN })).toThrow(/lineChart: min must be a finite number, got NaN/);
  });
});
