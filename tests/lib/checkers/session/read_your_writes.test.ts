import { describe, expect, it } from "vitest";
import { checkReadYourWrites } from "../../../../lib/checkers/session";
import { r, w } from "./helpers";

describe("checkReadYourWrites", () => {
  it("reports a read that misses the session's own earlier write, in plain words", () => {
    const write = w("s1", "x", 41, 10);
    const read = r("s1", "x", 40, 20, { replica: "n3" });
    const v = checkReadYourWrites([write, read]);
    expect(v).toHaveLength(1);
    expect(v[0]!.read).toBe(read);
    expect(v[0]!.because).toBe(write);
    expect(v[0]!.explanation).toBe("session s1 wrote x at position 41 (done at 11 ms), then read it from n3 at 20 ms and got position 40");
  });

  it("accepts the own write or a newer one by someone else (concurrent writers)", () => {
    const ops = [w("s1", "x", 5, 10), w("s2", "x", 6, 10), r("s1", "x", 5, 20), r("s1", "x", 6, 30)];
    expect(checkReadYourWrites(ops)).toEqual([]);
  });

  it("does not require a write that was still in flight when the read began", () => {
    const write = { ...w("s1", "x", 5, 10), completeMs: 25 };
    expect(checkReadYourWrites([write, r("s1", "x", null, 20)])).toEqual([]);
    expect(checkReadYourWrites([write, r("s1", "x", null, 25)])).toHaveLength(1);
  });

  it("treats a read of a missing key as older than any write, and a never-written key as fine", () => {
    const v = checkReadYourWrites([w("s1", "x", 3, 0), r("s1", "x", null, 5), r("s1", "y", null, 6)]);
    expect(v.map((x) => x.read.key)).toEqual(["x"]);
    expect(v[0]!.explanation).toContain("got nothing (the key was absent)");
  });

  it("ignores other sessions' writes and other keys", () => {
    expect(checkReadYourWrites([w("s2", "x", 9, 0), w("s1", "y", 4, 0), r("s1", "x", null, 5)])).toEqual([]);
  });

  it("holds the read to the newest own write when there were several", () => {
    const ops = [w("s1", "x", 3, 0), w("s1", "x", 8, 2), r("s1", "x", 3, 10)];
    const v = checkReadYourWrites(ops);
    expect(v).toHaveLength(1);
    expect((v[0]!.because as { position: number }).position).toBe(8);
  });

  it("checks across devices only when asked (by: user)", () => {
    const ops = [w("laptop", "x", 7, 0, { user: "ann" }), r("phone", "x", 6, 10, { user: "ann" })];
    expect(checkReadYourWrites(ops)).toEqual([]);
    const v = checkReadYourWrites(ops, { by: "user" });
    expect(v).toHaveLength(1);
    expect(v[0]!.explanation).toContain("user ann wrote x");
    expect(v[0]!.explanation).toContain("(written from laptop, read from phone)");
  });

  it("compares positions only within the key's partition", () => {
    const ops = [w("s1", "x", 9, 0, { partition: "p1" }), r("s1", "x", 2, 5, { partition: "p2" })];
    expect(checkReadYourWrites(ops)).toEqual([]);
  });

  it("rejects a malformed history with a message saying what is wrong", () => {
    const bad = { ...w("s1", "x", 0, 0) };
    expect(() => checkReadYourWrites([bad])).toThrow(/positions are integers >= 1/);
    const twice = w("s1", "x", 1, 0);
    expect(() => checkReadYourWrites([twice, twice])).toThrow(/two operations with id/);
  });
});

describe("history validation", () => {
  it("rejects a read that saw a position that is not a log position", () => {
    expect(() => checkReadYourWrites([r("s1", "x", 0, 0)])).toThrow(/null for a missing key/);
    expect(() => checkReadYourWrites([r("s1", "x", 1.5, 0)])).toThrow(/integer >= 1/);
  });
});
