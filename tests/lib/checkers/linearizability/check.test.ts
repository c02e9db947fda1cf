import { describe, expect, it } from "vitest";
import {
  HistoryInputError,
  checkLinearizability,
  explainLinearizability,
  kvModel,
  registerModel,
  type CheckedOp,
  type Model,
} from "../../../../lib/checkers";
import { History } from "../../../../lib/sim/history";
import { ok, other } from "./helpers";

const verdict = (ops: CheckedOp[]) => checkLinearizability(registerModel, ops).verdict;

describe("checkLinearizability with the register model", () => {
  it("accepts the empty history", () => {
    expect(verdict([])).toBe("linearizable");
  });

  it("accepts a sequential write then read of the same value, rejects a stale read", () => {
    expect(verdict([ok("a", "write", 1, null, 0, 1), ok("b", "read", null, 1, 2, 3)])).toBe("linearizable");
    expect(verdict([ok("a", "write", 1, null, 0, 1), ok("b", "read", null, null, 2, 3)])).toBe("not linearizable");
  });

  it("lets a read concurrent with a write see either value", () => {
    const write = ok("a", "write", 1, null, 0, 10);
    expect(verdict([write, ok("b", "read", null, null, 2, 3)])).toBe("linearizable");
    expect(verdict([write, ok("b", "read", null, 1, 2, 3)])).toBe("linearizable");
    expect(verdict([write, ok("b", "read", null, 2, 2, 3)])).toBe("not linearizable");
  });

  it("rejects a new-then-old read pair (the classic violation)", () => {
    // The write is in flight throughout; b reads the new value, then c (after b) reads the old one.
    const ops = [ok("a", "write", 1, null, 0, 100), ok("b", "read", null, 1, 10, 20), ok("c", "read", null, null, 30, 40)];
    expect(verdict(ops)).toBe("not linearizable");
  });

  it("applies cas only when the value matches, and a cas answering false must see another value", () => {
    const w = ok("a", "write", 1, null, 0, 1);
    expect(verdict([w, ok("a", "cas", [1, 2], true, 2, 3), ok("b", "read", null, 2, 4, 5)])).toBe("linearizable");
    expect(verdict([w, ok("a", "cas", [3, 2], true, 2, 3)])).toBe("not linearizable");
    expect(verdict([w, ok("a", "cas", { from: 3, to: 2 }, false, 2, 3), ok("b", "read", null, 1, 4, 5)])).toBe("linearizable");
    expect(verdict([w, ok("a", "cas", [1, 2], false, 2, 3)])).toBe("not linearizable");
  });

  it("ignores failed operations entirely", () => {
    const ops = [ok("a", "write", 1, null, 0, 1), other("fail", "b", "write", 2, 2, 3), ok("c", "read", null, 1, 4, 5)];
    expect(verdict(ops)).toBe("linearizable");
    // The same write with an ok answer would have to be seen.
    const okWrite = [ok("a", "write", 1, null, 0, 1), ok("b", "write", 2, null, 2, 3), ok("c", "read", null, 1, 4, 5)];
    expect(verdict(okWrite)).toBe("not linearizable");
  });

  it("lets an unknown write take effect long after its timeout, or never", () => {
    const timedOut = other("unknown", "a", "write", 7, 0, 5);
    expect(verdict([timedOut, ok("b", "read", null, null, 10, 11), ok("b", "read", null, 7, 50, 51)])).toBe("linearizable");
    expect(verdict([timedOut, ok("b", "read", null, null, 10, 11), ok("b", "read", null, null, 50, 51)])).toBe("linearizable");
    // But not before it was invoked.
    const late = other("unknown", "a", "write", 7, 20);
    expect(verdict([late, ok("b", "read", null, 7, 10, 11)])).toBe("not linearizable");
    // And once seen, it cannot be undone.
    expect(verdict([timedOut, ok("b", "read", null, 7, 10, 11), ok("b", "read", null, null, 50, 51)])).toBe("not linearizable");
  });

  it("treats pending operations like unknown ones, and an unknown cas as applied only if it matches", () => {
    expect(verdict([other("pending", "a", "write", 3, 0), ok("b", "read", null, 3, 1, 2)])).toBe("linearizable");
    const w = ok("a", "write", 1, null, 0, 1);
    expect(verdict([w, other("unknown", "b", "cas", [1, 5], 2, 3), ok("c", "read", null, 5, 10, 11)])).toBe("linearizable");
    expect(verdict([w, other("unknown", "b", "cas", [2, 5], 2, 3), ok("c", "read", null, 5, 10, 11)])).toBe("not linearizable");
  });

  it("drops reads whose answer never came, and counts what it ignored", () => {
    const result = checkLinearizability(registerModel, [
      ok("a", "write", 1, null, 0, 1),
      other("unknown", "b", "read", null, 2, 3),
      other("fail", "c", "write", 9, 2, 3),
    ]);
    expect(result.verdict).toBe("linearizable");
    expect(result.counts).toEqual({ total: 3, checked: 1, failed: 1, unknownReadsDropped: 1 });
  });

  it("treats operations that touch at the same instant as concurrent", () => {
    expect(verdict([ok("a", "write", 1, null, 0, 5), ok("b", "read", null, null, 5, 6)])).toBe("linearizable");
  });

  it("returns a valid order when linearizable", () => {
    const ops = [ok("a", "write", 1, null, 0, 10), ok("b", "write", 2, null, 0, 10), ok("c", "read", null, 1, 11, 12)];
    const result = checkLinearizability(registerModel, ops);
    const order = result.partitions[0]!.order!.map((i) => result.partitions[0]!.ops[i]!.description);
    expect(order).toEqual(["write(2)", "write(1)", "read() → 1"]);
  });

  it("rejects malformed operations with a typed error", () => {
    const bad = { id: 0, client: "a", f: "read", input: null, status: "ok", output: 1, invokeMs: 5 } as CheckedOp;
    expect(() => checkLinearizability(registerModel, [bad])).toThrow(HistoryInputError);
    expect(() => checkLinearizability(registerModel, [ok("a", "read", null, 1, 5, 4)])).toThrow(/before invokeMs/);
    expect(() => checkLinearizability(registerModel, [], { maxSteps: 0 })).toThrow(HistoryInputError);
  });
});

describe("explanations", () => {
  it("names the longest prefix, the state and the operation that could not be placed", () => {
    const ops = [ok("a", "write", 1, null, 0, 100), ok("b", "read", null, 1, 10, 20), ok("c", "read", null, null, 30, 40)];
    const result = checkLinearizability(registerModel, ops);
    const text = explainLinearizability(result);
    expect(result.partitions[0]!.failure!.prefix.map((r) => r.description)).toEqual(["write(1)", "read() → 1"]);
    expect(text).toContain("the state is 1");
    expect(text).toContain("client c: read() → nil, invoked at 30 ms, returned at 40 ms");
    expect(text).toContain("Not linearizable");
  });

  it("reports an explicit unknown verdict when the step limit runs out, never hangs", () => {
    // Many concurrent writes and a final impossible read: exhaustive search needs many steps.
    const ops: CheckedOp[] = [];
    for (let i = 0; i < 14; i++) ops.push(ok(`c${i}`, "write", i, null, 0, 100));
    ops.push(ok("r", "read", null, 99, 200, 201));
    const result = checkLinearizability(registerModel, ops, { maxSteps: 50 });
    expect(result.verdict).toBe("unknown");
    expect(result.limitReason).toBe("the step limit was reached");
    expect(explainLinearizability(result)).toContain("Unknown: the step limit was reached");
  });

  it("stops at the time limit measured with the given clock", () => {
    const ops: CheckedOp[] = [];
    for (let i = 0; i < 16; i++) ops.push(ok(`c${i}`, "write", i % 3, null, 0, 100));
    for (let i = 0; i < 16; i++) ops.push(ok(`r${i}`, "read", null, 5, 0, 100));
    let fakeNow = 0;
    const result = checkLinearizability(registerModel, ops, {
      timeLimitMs: 10,
      now: () => (fakeNow += 1),
    });
    expect(result.verdict).toBe("unknown");
    expect(result.limitReason).toBe("the time limit was reached");
  });
});

describe("the kv model and partitioning", () => {
  const kv = (client: string, f: string, key: string, value: string | undefined, output: unknown, a: number, b: number) =>
    ok(client, f, value === undefined ? { key } : { key, value }, output, a, b);

  it("reads absent keys as the empty string and appends in order", () => {
    const ops = [
      kv("a", "get", "x", undefined, "", 0, 1),
      kv("a", "append", "x", "1", null, 2, 3),
      kv("b", "append", "x", "2", null, 4, 5),
      kv("c", "get", "x", undefined, "12", 6, 7),
    ];
    expect(checkLinearizability(kvModel, ops).verdict).toBe("linearizable");
    ops[3] = kv("c", "get", "x", undefined, "21", 6, 7);
    expect(checkLinearizability(kvModel, ops).verdict).toBe("not linearizable");
  });

  it("checks each key on its own and names the key that fails", () => {
    const ops = [
      kv("a", "put", "x", "1", null, 0, 1),
      kv("b", "put", "y", "2", null, 0, 1),
      kv("a", "get", "x", undefined, "1", 2, 3),
      kv("b", "get", "y", undefined, "", 2, 3),
    ];
    const result = checkLinearizability(kvModel, ops);
    expect(result.verdict).toBe("not linearizable");
    expect(result.partitions.map((p) => [p.key, p.verdict])).toEqual([
      ["x", "linearizable"],
      ["y", "not linearizable"],
    ]);
    expect(explainLinearizability(result)).toContain('key "y"');
  });

  it("accepts a custom model (a counter) through the Model interface", () => {
    const counter: Model<number, number, number> = {
      name: "counter",
      init: () => 0,
      step: (s, f, input, output) => (f === "add" ? { ok: true, state: s + input } : { ok: output === undefined || output === s, state: s }),
      readOnly: (f) => f === "get",
    };
    const ops: CheckedOp<number, number>[] = [
      { id: 0, client: "a", f: "add", input: 2, status: "ok", invokeMs: 0, completeMs: 5 },
      { id: 1, client: "b", f: "add", input: 3, status: "ok", invokeMs: 0, completeMs: 5 },
      { id: 2, client: "c", f: "get", input: 0, status: "ok", output: 3, invokeMs: 1, completeMs: 2 },
    ];
    expect(checkLinearizability(counter, ops).verdict).toBe("linearizable");
    expect(checkLinearizability(counter, [...ops, { id: 3, client: "c", f: "get", input: 0, status: "ok", output: 2, invokeMs: 6, completeMs: 7 }]).verdict).toBe(
      "not linearizable",
    );
  });
});

describe("the simulator's recorded history", () => {
  it("is accepted as is (HistoryOp has the checker's shape); a missing ok output reads as null", () => {
    const history = new History<unknown, unknown>();
    history.ops.push({ id: 0, client: "c1", node: "n1", f: "write", input: 1, status: "ok", invokeMs: 0, completeMs: 5 });
    history.ops.push({ id: 1, client: "c2", node: "n2", f: "read", input: undefined, status: "ok", invokeMs: 1, completeMs: 2 });
    history.ops.push({ id: 2, client: "c2", node: "n2", f: "read", input: undefined, status: "ok", output: 1, invokeMs: 3, completeMs: 4 });
    expect(checkLinearizability(registerModel, history.ops).verdict).toBe("linearizable");
    history.ops.push({ id: 3, client: "c1", node: "n1", f: "read", input: undefined, status: "ok", invokeMs: 6, completeMs: 7 });
    expect(checkLinearizability(registerModel, history.ops).verdict).toBe("not linearizable");
  });
});
