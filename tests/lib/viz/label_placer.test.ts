import { describe, expect, it } from "vitest";
import { LabelPlacer } from "../../../lib/viz/label_placer";

describe("LabelPlacer", () => {
  it("takes the first free candidate and skips labels with none", () => {
    const p = new LabelPlacer();
    const box = (x: number, y: number) => ({ x, y, width: 10, height: 10 });
    expect(p.place([box(0, 0)])).toEqual(box(0, 0));
    // Overlaps the first; the second candidate touches it edge to edge, which is allowed.
    expect(p.place([box(5, 5), box(10, 0)])).toEqual(box(10, 0));
    expect(p.place([box(1, 1), box(12, 2)])).toBeUndefined();
    p.reserve(box(100, 100));
    expect(p.place([box(95, 95)])).toBeUndefined();
  });
});
