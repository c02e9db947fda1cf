import { describe, expect, it } from "vitest";
import { arrowheadPoints, attrs, el, num, svgDocument } from "../../../lib/viz/svg";
import { checkXml } from "./xml_check";

describe("svg helpers", () => {
  it("print coordinates with one decimal, without a trailing .0, and refuse NaN", () => {
    expect(num(12)).toBe("12");
    expect(num(12.04)).toBe("12");
    expect(num(12.25)).toBe("12.3");
    expect(num(-0.01)).toBe("0");
    expect(() => num(Number.NaN)).toThrow(/finite/);
  });
  it("escape attribute values and skip undefined ones, in the order given", () => {
    expect(attrs({ a: 1.5, b: undefined, c: 'x"<' })).toBe(' a="1.5" c="x&quot;&lt;"');
    expect(el("g", { x: 1 }, el("rect", {}))).toBe('<g x="1"><rect/></g>');
  });
  it("puts an arrowhead's tip exactly on the target point", () => {
    expect(arrowheadPoints(0, 0, 10, 0, 4, 2)).toBe("10,0 6,2 6,-2");
  });
  it("wrap a body into a well-formed document", () => {
    const doc = svgDocument(100, 50, "t & u", el("circle", { cx: 1, cy: 1, r: 1 }));
    expect(checkXml(doc).errors).toEqual([]);
    expect(doc).toContain("<title>t &amp; u</title>");
  });
});
