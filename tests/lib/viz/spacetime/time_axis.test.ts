import { describe, expect, it } from "vitest";
import type { TraceEvent } from "../../../../lib/sim";
import { buildSpaceTimeModel } from "../../../../lib/viz/spacetime/model";
import { BREAK_PX, buildTimeAxis } from "../../../../lib/viz/spacetime/time_axis";

const note = (timeMs: number): TraceEvent => ({ kind: "note", timeMs, node: "a", text: "x" });
const message = (sentMs: number, timeMs: number, msgId: number): TraceEvent[] => [
  { kind: "send", timeMs: sentMs, from: "a", to: "b", msgId, label: "m" },
  { kind: "deliver", timeMs, from: "a", to: "b", msgId, label: "m", sentMs },
];

describe("buildTimeAxis", () => {
  // Activity in [0, 4] and [100, 104], silence between.
  const trace = [note(0), ...message(1, 4, 1), note(100), ...message(101, 104, 2)];
  const model = buildSpaceTimeModel(trace, { nodes: ["a", "b"] }, "t");

  it("squeezes a long quiet stretch into a short break and keeps the rest linear", () => {
    const axis = buildTimeAxis(model, 0, 400, true);
    expect(axis.breaks).toEqual([{ fromMs: 4, toMs: 100, y1: axis.y(4), y2: axis.y(100) }]);
    expect(axis.y(100) - axis.y(4)).toBeCloseTo(BREAK_PX, 6);
    // The two busy stretches are 4 ms each and share the remaining height equally.
    const pxPerMs = (400 - BREAK_PX) / 8;
    expect(axis.y(2)).toBeCloseTo(2 * pxPerMs, 6);
    expect(axis.y(102)).toBeCloseTo(4 * pxPerMs + BREAK_PX + 2 * pxPerMs, 6);
    expect(axis.y(104)).toBe(400);
  });

  it("does not squeeze a stretch while a message is in flight", () => {
    const inFlightAcross = buildSpaceTimeModel([note(0), ...message(2, 98, 1), note(100)], { nodes: ["a", "b"] }, "t");
    expect(buildTimeAxis(inFlightAcross, 0, 400, true).breaks).toEqual([]);
  });

  it("is linear when squeezing is off, and monotone either way", () => {
    const linear = buildTimeAxis(model, 0, 416, false);
    expect(linear.breaks).toEqual([]);
    expect(linear.y(52)).toBeCloseTo(208, 6);
    for (const axis of [linear, buildTimeAxis(model, 0, 400, true)]) {
      let last = -1;
      for (let t = 0; t <= 104; t += 0.5) {
        expect(axis.y(t)).toBeGreaterThanOrEqual(last);
        last = axis.y(t);
      }
      const tickYs = axis.ticks.map((k) => k.y);
      for (let i = 1; i < tickYs.length; i++) expect(tickYs[i]! - tickYs[i - 1]!).toBeGreaterThanOrEqual(16);
      for (const k of axis.ticks) expect(axis.y(k.t)).toBeCloseTo(k.y, 6);
    }
  });

  it("puts no tick inside a squeezed stretch", () => {
    const axis = buildTimeAxis(model, 0, 400, true);
    for (const k of axis.ticks) expect(k.t <= 4 || k.t >= 100).toBe(true);
  });

  it("copes with an empty or zero-length window", () => {
    const empty = buildTimeAxis(buildSpaceTimeModel([], { nodes: ["a"] }, "t"), 10, 30, true);
    expect(empty.y(123)).toBe(20);
    expect(empty.breaks).toEqual([]);
  });
});
