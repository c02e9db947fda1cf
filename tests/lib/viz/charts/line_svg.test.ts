import { describe, expect, it } from "vitest";
import { lineChartSvg } from "../../../../lib/viz/charts/line_svg";
import { checkXml } from "../xml_check";

const count = (s: string, needle: string) => s.split(needle).length - 1;

describe("lineChartSvg", () => {
  const series = [
    { name: "a", points: [[0, 0], [100, 4], [200, 9]] as [number, number][] },
    { name: "b <fast>", points: [[0, 1], [200, 3]] as [number, number][] },
  ];
  const svg = lineChartSvg(series, { title: "commit index", xLabel: "time (ms)", yLabel: "index" });

  it("is well-formed and self-contained", () => {
    const xml = checkXml(svg);
    expect(xml.errors).toEqual([]);
    expect(xml.root).toBe("svg");
    for (const banned of ["<style", "<script", "href=", " id="]) expect(svg).not.toContain(banned);
  });

  it("draws one line per series with its own colour and dash pattern, and a legend entry for each", () => {
    expect(count(svg, "<g data-series=")).toBe(2);
    expect(svg).toContain('<g data-series="b &lt;fast&gt;">');
    const strokes = [...svg.matchAll(/<g data-series="[^"]+"><title>[^<]+<\/title><path d="[^"]+" stroke="([^"]+)" stroke-width="2"( stroke-dasharray="([^"]+)")?/g)];
    expect(strokes.length).toBe(2);
    expect(strokes[0]![1]).not.toBe(strokes[1]![1]);
    expect(strokes[0]![3]).toBeUndefined();
    expect(strokes[1]![3]).toBeDefined();
    expect(svg).toContain(">a</text>");
    expect(svg).toContain(">b &lt;fast&gt;</text>");
  });

  it("marks every point when there are few, with a tooltip giving its value", () => {
    expect(svg).toContain("<title>a: (100, 4)</title>");
    expect(count(svg, "<title>a: (")).toBe(3);
    expect(count(svg, "<title>b &lt;fast&gt;: (")).toBe(2);
    expect(lineChartSvg(series, { markers: false })).not.toContain("<title>a: (");
  });

  it("has titled axes with nice tick values covering the data", () => {
    expect(svg).toContain(">commit index</text>");
    expect(svg).toContain(">time (ms)</text>");
    expect(svg).toContain(">index</text>");
    for (const tick of ["0", "100", "200"]) expect(svg).toContain(`>${tick}</text>`);
    // y from 0 to at least 9 in nice steps
    expect(svg).toMatch(/>10<\/text>/);
  });

  it("draws steps with interpolate: step (horizontal then vertical moves)", () => {
    const step = lineChartSvg([{ name: "s", points: [[0, 0], [1, 1]] }], { interpolate: "step" });
    expect(step).toMatch(/<path d="M[\d.]+ [\d.]+ H[\d.]+ V[\d.]+"/);
  });

  it("is deterministic and handles empty input", () => {
    expect(lineChartSvg(series, { title: "commit index", xLabel: "time (ms)", yLabel: "index" })).toBe(svg);
    const empty = lineChartSvg({});
    expect(checkXml(empty).errors).toEqual([]);
    expect(empty).toContain("(no data)");
  });

  it("rejects bad sizes and ranges", () => {
    expect(() => lineChartSvg(series, { width: 50, height: 50 })).toThrow(/no room/);
    expect(() => lineChartSvg(series, { min: 5, max: 5 })).toThrow(/max \(5\) must be greater than min \(5\)/);
  });
});
