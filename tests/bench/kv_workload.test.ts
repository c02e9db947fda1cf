import { describe, expect, it } from "vitest";
import { checkLinearizability, kvModel, parseKvHistory } from "../../lib/checkers";
import { linearizableKvHistory, staleReadKvHistory, toKvFile } from "../../bench/kv_workload";

const options = { operations: 400, keys: 5, clients: 6, seed: "test" };

describe("the benchmark's kv workload", () => {
  it("is linearizable by construction, and overlapping", () => {
    const ops = linearizableKvHistory(options);
    expect(ops).toHaveLength(400);
    expect(checkLinearizability(kvModel, ops).verdict).toBe("linearizable");
    // Some operations overlap in time (otherwise the check would be trivial).
    const sorted = [...ops].sort((a, b) => a.invokeMs - b.invokeMs);
    expect(sorted.some((op, i) => i > 0 && op.invokeMs < sorted[i - 1]!.completeMs!)).toBe(true);
    expect(ops.some((op) => op.status === "unknown")).toBe(true);
  });

  it("replays byte for byte from its seed", () => {
    expect(toKvFile(linearizableKvHistory(options))).toBe(toKvFile(linearizableKvHistory(options)));
    expect(toKvFile(linearizableKvHistory({ ...options, seed: "other" }))).not.toBe(toKvFile(linearizableKvHistory(options)));
  });

  it("with one stale read is not linearizable, and the checker blames that get", () => {
    const { ops, staleGetId } = staleReadKvHistory(options);
    const result = checkLinearizability(kvModel, ops);
    expect(result.verdict).toBe("not linearizable");
    const failing = result.partitions.find((p) => p.verdict === "not linearizable")!;
    expect(failing.ops.some((r) => r.op.id === staleGetId)).toBe(true);
  });

  it("writes a kv file the parser reads back to the same verdict", () => {
    const parsed = parseKvHistory(toKvFile(linearizableKvHistory(options)));
    expect(parsed.ops).toHaveLength(400);
    expect(checkLinearizability(parsed.model, parsed.ops).verdict).toBe("linearizable");
  });
});
