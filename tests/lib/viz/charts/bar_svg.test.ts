import { describe, expect, it } from "vitest";
import { barChartSvg } from "../../../../lib/viz/charts/bar_svg";
import { checkXml } from "../xml_check";

const count = (s: string, needle: string) => s.split(needle).length - 1;

describe("barChartSvg", () => {
  const data = {
    categories: [50, 100, 200, 400],
    series: [
      { name: "needless failovers", values: [9, 4, 1, 0] },
      { name: "downtime", values: [60, 110, 210, 420], axis: "right" as const, unit: "ms" },
    ],
  };
  const svg = barChartSvg(data, { title: "Timeout trade-off", xLabel: "timeout (ms)", yLabel: "failovers", yLabelRight: "downtime (ms)" });

  it("is well-formed and self-contained", () => {
    expect(checkXml(svg).errors).toEqual([]);
    expect(svg).not.toContain("<style");
  });

  it("draws one bar per category and series, each with a tooltip", () => {
    expect(count(svg, "<g data-category=")).toBe(4);
    const bars = [...svg.matchAll(/<rect [^>]*><title>([^<]+)<\/title><\/rect>/g)].map((m) => m[1]);
    expect(bars).toEqual([
      "needless failovers at 50: 9",
      "downtime at 50: 60 ms",
      "needless failovers at 100: 4",
      "downtime at 100: 110 ms",
      "needless failovers at 200: 1",
      "downtime at 200: 210 ms",
      "needless failovers at 400: 0",
      "downtime at 400: 420 ms",
    ]);
  });

  it("measures right-axis series on their own scale", () => {
    // Tallest left bar (9 of a 0–10 axis) and tallest right bar (420 of a 0–500 axis) differ in
    // height by the ratio of those fractions.
    const heights = [...svg.matchAll(/<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)"[^>]*><title>/g)].map((m) => Number(m[1]));
    expect(heights[0]! / heights[7]!).toBeCloseTo(0.9 / 0.84, 1);
    expect(svg).toContain(">downtime (ms)</text>");
    expect(svg).toContain("downtime (ms) → right axis");
    expect(svg).toContain("needless failovers ← left axis");
  });

  it("writes the values above the bars", () => {
    for (const v of ["9", "60", "420"]) expect(svg).toContain(`>${v}</text>`);
    expect(barChartSvg(data, { valueLabels: false })).not.toContain(">420</text>");
  });

  it("draws a record as one bar per key, negative values below the zero line", () => {
    const simple = barChartSvg({ a: 3, b: -2 });
    expect(checkXml(simple).errors).toEqual([]);
    expect(count(simple, "<g data-category=")).toBe(2);
    const [a, b] = [...simple.matchAll(/<rect x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)"/g)].slice(1).map((m) => ({ y: Number(m[1]), h: Number(m[2]) }));
    // b hangs from the zero line where a stands on it.
    expect(a!.y + a!.h).toBeCloseTo(b!.y, 0);
    expect(simple).not.toContain("← left axis");
  });

  it("rejects mismatched or missing data with a clear message", () => {
    expect(() => barChartSvg({ categories: [1, 2], series: [{ name: "x", values: [1] }] })).toThrow(/has 1 values for 2 categories/);
    expect(() => barChartSvg({})).toThrow(/no entries/);
    expect(() => barChartSvg({ categories: [1], series: [{ name: "x", values: [Number.NaN] }] })).toThrow(/finite numbers/);
  });
});
