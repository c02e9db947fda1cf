import { describe, expect, it } from "vitest";
import { checkLinearizability, explainLinearizability, keyedRegisterModel, type CheckedOp } from "../../../../../lib/checkers";

let id = 0;
const op = (client: string, f: string, input: object, output: unknown, invokeMs: number, completeMs: number, status: CheckedOp["status"] = "ok"): CheckedOp => ({
  id: id++,
  client,
  f,
  input,
  status,
  ...(status === "ok" ? { output } : {}),
  invokeMs,
  completeMs,
});

describe("keyedRegisterModel", () => {
  it("reads ReadResult-shaped outputs and checks keys separately", () => {
    const ops = [
      op("c1", "write", { key: "x", value: 1 }, { leader: "n1", epoch: 1, lsn: 1 }, 0, 5),
      op("c2", "read", { key: "x" }, { node: "n2", role: "follower", value: 1, appliedLsn: 1 }, 6, 7),
      op("c2", "read", { key: "y" }, { node: "n2", role: "follower", value: null, appliedLsn: 1 }, 8, 9),
    ];
    expect(checkLinearizability(keyedRegisterModel, ops).verdict).toBe("linearizable");
    // A stale read from a lagging follower: y was written and acknowledged before the read began.
    const stale = [
      op("c1", "write", { key: "y", value: 2 }, { leader: "n1", epoch: 1, lsn: 2 }, 10, 12),
      op("c2", "read", { key: "y" }, { node: "n3", role: "follower", value: null, appliedLsn: 1 }, 13, 14),
    ];
    const result = checkLinearizability(keyedRegisterModel, [...ops, ...stale]);
    expect(result.verdict).toBe("not linearizable");
    expect(result.partitions.map((p) => [p.key, p.verdict])).toEqual([
      ["x", "linearizable"],
      ["y", "not linearizable"],
    ]);
    expect(explainLinearizability(result)).toContain('client c2: "y": read() → nil, invoked at 13 ms');
  });

  it("supports delete and cas, and unknown writes", () => {
    const ops = [
      op("c1", "write", { key: "k", value: "a" }, null, 0, 1),
      op("c1", "cas", { key: "k", from: "a", to: "b" }, true, 2, 3),
      op("c2", "read", { key: "k" }, "b", 4, 5),
      op("c1", "delete", { key: "k" }, null, 6, 7),
      op("c2", "read", { key: "k" }, null, 8, 9),
      op("c3", "write", { key: "k", value: "z" }, undefined, 10, 11, "unknown"),
      op("c2", "read", { key: "k" }, "z", 30, 31),
    ];
    expect(checkLinearizability(keyedRegisterModel, ops).verdict).toBe("linearizable");
    ops[4] = op("c2", "read", { key: "k" }, "b", 8, 9);
    expect(checkLinearizability(keyedRegisterModel, ops).verdict).toBe("not linearizable");
  });
});
