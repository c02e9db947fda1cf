import { describe, expect, it } from "vitest";
import type { TraceEvent } from "../../../lib/sim";
import { timelineText } from "../../../lib/viz/timeline";
import { faultySim } from "./scenario";

/** n notes by node "a" at 1, 2, ..., n ms. */
function notes(n: number): TraceEvent[] {
  return Array.from({ length: n }, (_, i) => ({ kind: "note" as const, timeMs: i + 1, node: "a", text: `step ${i + 1}` }));
}

describe("timelineText", () => {
  const sim = faultySim();

  it("prints one line per event with its time, in trace order", () => {
    const text = timelineText(sim.trace);
    const lines = text.split("\n");
    expect(lines.length).toBe(sim.trace.filter((e) => e.kind !== "send" && e.kind !== "timer").length);
    const times = lines.map((l) => Number(l.trim().split(" ")[0]));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(text).toContain("15.00 ms  ═ partition {a} | {b,c}");
    expect(text).toContain("28.00 ms  ✖ c crashed");
    expect(text).toMatch(/20\.00 ms {2}a ──ping──✗ b {2}dropped: partition \(sent 20\.00\)/);
    expect(text).toContain("○ client1 invokes op0 write 5 on a");
  });

  it("aligns the times on their decimal point", () => {
    const lines = timelineText(sim.trace).split("\n");
    const msColumn = new Set(lines.map((l) => l.indexOf(" ms  ")));
    expect(msColumn.size).toBe(1);
  });

  it("filters by window, by aroundMs, by nodes and by kind", () => {
    const window = timelineText(sim.trace, { fromMs: 27, toMs: 36 }).split("\n");
    for (const l of window) expect(Number(l.trim().split(" ")[0])).toBeGreaterThanOrEqual(27);
    expect(timelineText(sim.trace, { aroundMs: 30, windowMs: 5 })).toContain("✖ c crashed");
    expect(timelineText(sim.trace, { aroundMs: 30, windowMs: 1 })).toBe("(no events between 29.00 ms and 31.00 ms)");
    const onlyC = timelineText(sim.trace, { nodes: ["c"] }).split("\n");
    // Every line involves c, except network-wide partition and heal lines.
    for (const l of onlyC) expect(/\bc\b|partition|heal/.test(l), l).toBe(true);
    const crashes = timelineText(sim.trace, { kinds: ["crash", "restart"] });
    // Times are padded to the widest shown time, here 5 characters.
    expect(crashes).toBe("28.00 ms  ✖ c crashed\n35.00 ms  ↻ c restarted");
  });

  it("leaves out every line of the messages the filter rejects, and nothing else", () => {
    const kinds = ["send", "deliver", "drop", "partition", "heal", "crash", "note"] as const;
    const all = timelineText(sim.trace, { kinds, limit: 1000 }).split("\n");
    const noPings = timelineText(sim.trace, { kinds, limit: 1000, messages: (label) => label !== "ping" }).split("\n");
    expect(all.some((l) => l.includes("──ping──"))).toBe(true);
    expect(noPings).toEqual(all.filter((l) => !l.includes("──ping──")));
    expect(() => timelineText(sim.trace, { messages: "ping" as never })).toThrow(/timelineText: messages must be a function/);
  });

  it("keeps both ends when over the limit, with an ellipsis line counting what was left out", () => {
    const text = timelineText(notes(30), { limit: 10 });
    const lines = text.split("\n");
    expect(lines.length).toBe(11);
    expect(lines[0]).toBe(" 1.00 ms  ◆ a: step 1");
    expect(lines[4]).toBe(" 5.00 ms  ◆ a: step 5");
    expect(lines[5]).toContain("… 20 events omitted (6.00–25.00 ms)");
    expect(lines[6]).toBe("26.00 ms  ◆ a: step 26");
    expect(lines[10]).toBe("30.00 ms  ◆ a: step 30");
  });

  it("keeps only the head or only the tail when asked", () => {
    const head = timelineText(notes(30), { limit: 3, keep: "head" }).split("\n");
    expect(head.length).toBe(4);
    expect(head[2]).toContain("step 3");
    expect(head[3]).toContain("… 27 events omitted (4.00–30.00 ms)");
    const tail = timelineText(notes(30), { limit: 3, keep: "tail" }).split("\n");
    expect(tail[0]).toContain("… 27 events omitted (1.00–27.00 ms)");
    expect(tail[3]).toContain("step 30");
  });

  it("prints no ellipsis when everything fits", () => {
    expect(timelineText(notes(10), { limit: 10 })).not.toContain("…");
  });

  it("says so when nothing matches, and rejects bad options", () => {
    expect(timelineText([])).toBe("(no events)");
    expect(() => timelineText(sim.trace, { limit: 0 })).toThrow(/limit must be/);
    expect(() => timelineText(sim.trace, { fromMs: 5, toMs: 1 })).toThrow(/fromMs \(5\) is after toMs \(1\)/);
    expect(() => timelineText(sim.trace, { keep: "middle" as never })).toThrow(/keep must be/);
  });
});
