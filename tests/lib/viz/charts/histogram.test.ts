import { describe, expect, it } from "vitest";
import { histogram, histogramBins, statsLine } from "../../../../lib/viz/charts/histogram";

describe("histogramBins", () => {
  it("counts values per bin with explicit edges; the last bin includes its upper edge", () => {
    const bins = histogramBins([1, 2, 2, 3, 3, 3, 10, -1, 11], { bins: [0, 5, 10] });
    expect(bins.counts).toEqual([6, 1]);
    expect(bins.below).toBe(1);
    expect(bins.above).toBe(1);
  });

  it("chooses nice edges by default", () => {
    // 7 values → 5 bins wanted; range 9 → step 2 from 0: [0,2) [2,4) [4,6) [6,8) [8,10].
    const bins = histogramBins([1, 2, 2, 3, 3, 3, 10]);
    expect(bins.edges).toEqual([0, 2, 4, 6, 8, 10]);
    expect(bins.counts).toEqual([1, 5, 0, 0, 1]);
  });

  it("puts values that sit exactly on decimal edges in the right bin", () => {
    // 0.3 / 0.1 is 2.9999999999999996 in floating point; 0.3 is the top edge and belongs to the last bin.
    const bins = histogramBins([0, 0.1, 0.2, 0.3]);
    expect(bins.edges).toEqual([0, 0.1, 0.2, 0.3]);
    expect(bins.counts).toEqual([1, 1, 2]);
    expect(histogramBins([0.3], { bins: [0, 0.1, 0.2, 0.3, 0.4] }).counts).toEqual([0, 0, 0, 1]);
  });

  it("counts every value exactly once", () => {
    const values = Array.from({ length: 1000 }, (_, i) => ((i * 7919) % 1000) / 37);
    for (const bins of [undefined, 3, 17]) {
      const b = histogramBins(values, { bins });
      expect(b.counts.reduce((a, c) => a + c, 0)).toBe(values.length);
    }
  });

  it("rejects bad input", () => {
    expect(() => histogramBins([1, Number.NaN])).toThrow(/value #1 is NaN/);
    expect(() => histogramBins([1], { bins: [3, 2] })).toThrow(/strictly increasing/);
    expect(() => histogramBins([1], { bins: 0 })).toThrow(/whole number >= 1/);
  });
});

describe("histogram", () => {
  const text = histogram([1, 2, 2, 3, 3, 3, 10], { title: "latency", unit: "ms", width: 20 });
  const lines = text.split("\n");

  it("prints the title, one line per bin with its range and count, and statistics", () => {
    expect(lines[0]).toBe("latency");
    expect(lines.slice(1, 6).map((l) => l.split("│")[0])).toEqual(["[0,  2) ms ", "[2,  4) ms ", "[4,  6) ms ", "[6,  8) ms ", "[8, 10] ms "]);
    expect(lines.slice(1, 6).map((l) => Number(l.trim().split(" ").pop()))).toEqual([1, 5, 0, 0, 1]);
    expect(lines[6]).toBe("n=7  min 1  p50 3  p90 10  p99 10  max 10  mean 3.43 ms");
  });

  it("scales bars to the largest count", () => {
    const bar = (l: string) => l.split("│")[1]!.replace(/[ \d]+$/, "");
    expect(bar(lines[2]!)).toBe("█".repeat(20));
    // 1 of 5 is a fifth of 20 characters: 4 full blocks.
    expect(bar(lines[1]!)).toBe("████");
    expect(bar(lines[3]!)).toBe("");
  });

  it("aligns the bars and counts in columns", () => {
    const bars = lines.slice(1, 6);
    expect(new Set(bars.map((l) => l.indexOf("│"))).size).toBe(1);
    expect(new Set(bars.map((l) => Array.from(l).length)).size).toBe(1);
  });

  it("reports values outside explicit edges, and handles no values", () => {
    expect(histogram([1, 50], { bins: [0, 10] })).toContain("outside the bins: 0 below 0, 1 above 10");
    expect(histogram([], { title: "t" })).toBe("t\n(no values)");
  });

  it("statsLine uses nearest-rank percentiles", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(statsLine(values)).toBe("n=100  min 1  p50 50  p90 90  p99 99  max 100  mean 50.50");
    // No values used to throw a TypeError from inside the formatter.
    expect(statsLine([])).toBe("n=0");
    expect(() => statsLine([1, Number.NaN])).toThrow(/statsLine: value #1 is NaN/);
  });
});
