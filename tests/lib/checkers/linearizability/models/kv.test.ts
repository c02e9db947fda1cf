import { describe, expect, it } from "vitest";
import { checkLinearizability, kvModel } from "../../../../../lib/checkers";
import { ok, other } from "../helpers";

/** The partition's operations as readReachability sees them. */
const get = (value: string) => ({ f: "get", input: { key: "x" }, output: value });
const append = (value: string) => ({ f: "append", input: { key: "x", value }, output: null });
const put = (value: string) => ({ f: "put", input: { key: "x", value }, output: null });

describe("kvModel.readReachability (a search hint that must never be wrong when it says no)", () => {
  it("with appends only, a get is reachable exactly while the string so far is a prefix of what it read", () => {
    const ops = [append("a"), append("b"), get("ab")];
    const stillPossible = kvModel.readReachability!(ops)!;
    const nothingPlaced = () => false;
    expect(stillPossible({}, 2, nothingPlaced)).toBe(true);
    expect(stillPossible({ x: "a" }, 2, nothingPlaced)).toBe(true);
    expect(stillPossible({ x: "ab" }, 2, nothingPlaced)).toBe(true);
    expect(stillPossible({ x: "b" }, 2, nothingPlaced)).toBe(false);
    expect(stillPossible({ x: "aba" }, 2, nothingPlaced)).toBe(false);
  });

  it("reads an output of null as the empty string, as step does", () => {
    const stillPossible = kvModel.readReachability!([append("a"), { f: "get", input: { key: "x" }, output: null }])!;
    expect(stillPossible({}, 1, () => false)).toBe(true);
    expect(stillPossible({ x: "a" }, 1, () => false)).toBe(false);
  });

  it("counts a put not yet placed as a way back, and a placed put as gone", () => {
    const ops = [append("a"), put("b"), get("bc")];
    const stillPossible = kvModel.readReachability!(ops)!;
    expect(stillPossible({ x: "a" }, 2, () => false)).toBe(true);
    expect(stillPossible({ x: "a" }, 2, (i) => i === 1)).toBe(false);
  });

  it("lets a concurrent put make a read possible that the current string cannot reach", () => {
    // After append(a) the string is "a"; the get of "b" can only be explained by the put that
    // overlaps it, so the history is linearizable (append, put, get).
    const history = [ok("c1", "append", { key: "x", value: "a" }, null, 0, 10), ok("c2", "get", { key: "x" }, "b", 20, 50), ok("c3", "put", { key: "x", value: "b" }, null, 30, 40)];
    expect(checkLinearizability(kvModel, history).verdict).toBe("linearizable");
    // An unknown put may also have taken effect.
    const unknownPut = [history[0]!, history[1]!, other("unknown", "c3", "put", { key: "x", value: "b" }, 30)];
    expect(checkLinearizability(kvModel, unknownPut).verdict).toBe("linearizable");
  });

  it("reports a get that appends can no longer explain as the operation that could not be placed", () => {
    // The get runs from 20 to 30 while the string is "a" (then maybe "ab"): it cannot read "b".
    const history = [ok("c1", "append", { key: "x", value: "a" }, null, 0, 10), ok("c2", "get", { key: "x" }, "b", 20, 30), ok("c3", "append", { key: "x", value: "b" }, null, 25, 40)];
    const result = checkLinearizability(kvModel, history);
    expect(result.verdict).toBe("not linearizable");
    expect(result.partitions[0]!.failure!.blocking.description).toBe('get("x") → "b"');
  });
});
