import { describe, expect, it } from "vitest";
import { NotImplementedError, isNotImplemented, notImplemented } from "../../../lib/exercise_support/not_implemented";
import { whenImplemented } from "../../../lib/exercise_support/load_exercise";
import { NodeCodeError } from "../../../lib/sim/errors";

describe("NotImplementedError", () => {
  it("names the function, and is recognised by name so a second copy of the module still counts", () => {
    const err = notImplemented("electNewLeader");
    expect(err).toBeInstanceOf(NotImplementedError);
    expect(err.message).toBe("not implemented yet: electNewLeader");
    expect(err.functionName).toBe("electNewLeader");
    const fromOtherCopy = Object.assign(new Error("not implemented yet: x"), { name: "NotImplementedError" });
    expect(isNotImplemented(fromOtherCopy)).toBe(true);
    expect(isNotImplemented(new Error("boom"))).toBe(false);
    expect(isNotImplemented("NotImplementedError")).toBe(false);
  });
});

describe("whenImplemented", () => {
  it("returns the result when the exercise works", () => {
    expect(whenImplemented(() => 42, () => {})).toBe(42);
  });

  it("prints where to work instead of failing, also when the simulator wrapped the error", () => {
    const lines: string[] = [];
    expect(whenImplemented(() => { throw notImplemented("electNewLeader"); }, (l) => lines.push(l))).toBeUndefined();
    const wrapped = new NodeCodeError("node threw", "1", 5, notImplemented("validateSafeFailover"));
    expect(whenImplemented(() => { throw wrapped; }, (l) => lines.push(l))).toBeUndefined();
    expect(lines).toEqual([
      "not implemented yet: electNewLeader: write it in its file under exercises/ (it still throws notImplemented), save, and run this cell again.",
      "not implemented yet: validateSafeFailover: write it in its file under exercises/ (it still throws notImplemented), save, and run this cell again.",
    ]);
  });

  it("rethrows every other error", () => {
    expect(() => whenImplemented(() => { throw new RangeError("a real bug"); }, () => {})).toThrow(RangeError);
  });
});
