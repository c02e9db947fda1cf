import { describe, expect, it } from "vitest";
import { linearScale, niceStep, niceTicks, stepDecimals } from "../../../lib/viz/scale";

describe("niceTicks", () => {
  it("covers the range with multiples of 1, 2, 2.5 or 5 times a power of ten", () => {
    expect(niceTicks(0, 10, 5)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(3, 97, 5)).toEqual([0, 20, 40, 60, 80, 100]);
    // span 0.2 in at most 2 steps: step 0.1, already on the ends.
    expect(niceTicks(0.1, 0.3, 2)).toEqual([0.1, 0.2, 0.3]);
    expect(niceTicks(0.1, 0.35, 2)).toEqual([0, 0.2, 0.4]);
    expect(niceTicks(0, 1, 4)).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });
  it("gives a flat range an axis around its value", () => {
    const ticks = niceTicks(5, 5, 4);
    expect(ticks[0]!).toBeLessThan(5);
    expect(ticks[ticks.length - 1]!).toBeGreaterThan(5);
  });
  it("never prints floating-point noise", () => {
    for (const t of niceTicks(0, 0.7, 7)) expect(String(t).length).toBeLessThanOrEqual(3);
  });
});

describe("helpers", () => {
  it("niceStep, stepDecimals and linearScale", () => {
    expect(niceStep(9, 5)).toBe(2);
    expect(stepDecimals(0.25)).toBe(2);
    expect(stepDecimals(5)).toBe(0);
    const s = linearScale(0, 10, 100, 0);
    expect(s(0)).toBe(100);
    expect(s(2.5)).toBe(75);
    expect(linearScale(3, 3, 0, 10)(3)).toBe(5);
  });
});
