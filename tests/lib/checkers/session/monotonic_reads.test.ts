import { describe, expect, it } from "vitest";
import { checkMonotonicReads } from "../../../../lib/checkers/session";
import { r, w } from "./helpers";

describe("checkMonotonicReads", () => {
  it("reports a read that goes back in time, naming both positions", () => {
    const first = r("s2", "x", 57, 10, { replica: "n2" });
    const second = r("s2", "x", 41, 20, { replica: "n3" });
    const v = checkMonotonicReads([first, second]);
    expect(v).toHaveLength(1);
    expect(v[0]!.read).toBe(second);
    expect(v[0]!.because).toBe(first);
    expect(v[0]!.explanation).toBe("session s2 read x at position 41 from n3 (20 ms) after having read it at position 57 from n2 (10 ms)");
  });

  it("never flags a session's first read, nor equal or newer versions", () => {
    expect(checkMonotonicReads([r("s1", "x", 3, 0)])).toEqual([]);
    expect(checkMonotonicReads([r("s1", "x", 3, 0), r("s1", "x", 3, 5), r("s1", "x", 9, 10)])).toEqual([]);
  });

  it("flags a key that disappears after being seen, but not one that was never written", () => {
    expect(checkMonotonicReads([r("s1", "x", 4, 0), r("s1", "x", null, 5)])).toHaveLength(1);
    expect(checkMonotonicReads([r("s1", "y", null, 0), r("s1", "y", null, 5)])).toEqual([]);
  });

  it("compares with the freshest earlier read, not just the previous one", () => {
    const ops = [r("s1", "x", 9, 0), r("s1", "x", 5, 5), r("s1", "x", 7, 10)];
    const v = checkMonotonicReads(ops);
    expect(v.map((x) => x.read.seen)).toEqual([5, 7]);
    expect(v.every((x) => (x.because as { seen: number }).seen === 9)).toBe(true);
  });

  it("does not order overlapping reads, nor reads of other sessions or keys", () => {
    const a = { ...r("s1", "x", 9, 0), completeMs: 10 };
    const b = r("s1", "x", 2, 5);
    expect(checkMonotonicReads([a, b])).toEqual([]);
    expect(checkMonotonicReads([r("s1", "x", 9, 0), r("s2", "x", 2, 5), r("s1", "y", 1, 6)])).toEqual([]);
  });

  it("ignores writes: only what the session read counts", () => {
    expect(checkMonotonicReads([w("s1", "x", 9, 0), r("s1", "x", 2, 5)])).toEqual([]);
  });

  it("checks a user's devices together with by: user", () => {
    const ops = [r("phone", "x", 9, 0, { user: "ann" }), r("laptop", "x", 4, 5, { user: "ann" })];
    expect(checkMonotonicReads(ops)).toEqual([]);
    expect(checkMonotonicReads(ops, { by: "user" })[0]!.explanation).toMatch(/^user ann read x at position 4/);
  });
});
