import { describe, expect, it } from "vitest";
import { VizInputError } from "../../../../lib/viz";
import { checkLinearizability, historyTimelineSvg, historyTimelineText, registerModel, type CheckedOp } from "../../../../lib/checkers";
import { ok, other } from "./helpers";

const ops: CheckedOp[] = [
  ok("a", "write", 1, null, 0, 100),
  ok("b", "read", null, 1, 10, 20),
  ok("c", "read", null, null, 30, 40),
  other("unknown", "d", "write", 5, 5, 50),
  other("fail", "d", "write", 6, 60, 70),
];

describe("historyTimelineText", () => {
  it("draws one lane per client, marks the stuck operation and numbers the prefix", () => {
    const result = checkLinearizability(registerModel, ops);
    const text = historyTimelineText(ops, { result, width: 60 });
    const lines = text.split("\n");
    expect(lines[0]).toMatch(/^\s+0\s+100$/);
    expect(lines.filter((l) => /^\s*[abcd]  /.test(l)).map((l) => l.trim()[0])).toEqual(["a", "b", "c", "d"]);
    expect(text).toContain("!read() → nil");
    expect(text).toContain("1:write(1)");
    // The unknown write runs to the right edge and ends with "?"; the failed one ends with ✗.
    expect(lines.find((l) => l.includes("write(5)"))!.trimEnd().endsWith("?")).toBe(true);
    expect(text).toContain("✗");
  });

  it("filters by time window and says when nothing is left", () => {
    expect(historyTimelineText(ops, { toMs: -1 })).toBe("(no operations)");
    // An unknown outcome is still running long after: it stays in a late window.
    expect(historyTimelineText(ops, { fromMs: 1000 })).toContain("write(5) ?");
    const windowed = historyTimelineText(ops, { fromMs: 25, toMs: 45 });
    expect(windowed).not.toContain("read() → 1");
  });

  it("rejects nonsense options with the viz error type", () => {
    expect(() => historyTimelineText(ops, { width: 3 })).toThrow(VizInputError);
    expect(() => historyTimelineText("nope" as unknown as CheckedOp[])).toThrow(VizInputError);
  });
});

describe("historyTimelineSvg", () => {
  it("is a deterministic SVG with a tooltip per operation and the stuck one highlighted", () => {
    const result = checkLinearizability(registerModel, ops);
    const svg = historyTimelineSvg(ops, { result, title: "new-then-old" });
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toBe(historyTimelineSvg(ops, { result, title: "new-then-old" }));
    // One bar per operation, plus the white background.
    expect(svg.match(/<rect x=/g)!.length).toBe(ops.length + 1);
    expect(svg).toContain("returned before it could be placed");
    expect(svg).toContain("gave up at 50; may take effect later");
  });
});
