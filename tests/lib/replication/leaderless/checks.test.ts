import { describe, expect, it } from "vitest";
import { findStaleReads, staleReadRate } from "../../../../lib/replication/leaderless";
import type { LeaderlessInput, LeaderlessOutput } from "../../../../lib/replication/leaderless";
import { History, type HistoryOp } from "../../../../lib/sim";

type Op = HistoryOp<LeaderlessInput, LeaderlessOutput>;

function history(ops: Omit<Op, "id" | "client" | "node">[]): History<LeaderlessInput, LeaderlessOutput> {
  const h = new History<LeaderlessInput, LeaderlessOutput>();
  ops.forEach((op, id) => h.ops.push({ id, client: "c", node: "n1", ...op }));
  return h;
}

const put = (key: string, counter: number, invokeMs: number, completeMs: number, status: Op["status"] = "ok"): Omit<Op, "id" | "client" | "node"> => ({
  f: "put", input: { key, value: counter }, status, invokeMs, completeMs, output: { value: counter, version: { counter, node: "n1" } },
});
const get = (key: string, counter: number | undefined, invokeMs: number, completeMs: number): Omit<Op, "id" | "client" | "node"> => ({
  f: "get", input: { key }, status: "ok", invokeMs, completeMs,
  output: { value: counter ?? null, version: counter === undefined ? undefined : { counter, node: "n1" } },
});

describe("findStaleReads", () => {
  it("flags a read older than a write acknowledged before the read was sent", () => {
    const stale = findStaleReads(history([put("x", 10, 0, 5), put("x", 20, 10, 15), get("x", 10, 16, 18)]));
    expect(stale).toHaveLength(1);
    expect(stale[0]!.expected.counter).toBe(20);
    expect(stale[0]!.returned?.counter).toBe(10);
  });

  it("accepts either value from a read concurrent with the write", () => {
    expect(findStaleReads(history([put("x", 10, 0, 5), put("x", 20, 10, 15), get("x", 10, 12, 14)]))).toEqual([]);
  });

  it("ignores failed writes, other keys and reads of nothing before any write", () => {
    const h = history([get("x", undefined, 0, 1), put("x", 10, 2, 5, "fail"), put("y", 30, 2, 4), get("x", undefined, 6, 7)]);
    expect(findStaleReads(h)).toEqual([]);
  });

  it("counts a read of nothing after an acknowledged write as stale, and reports the share", () => {
    const h = history([put("x", 10, 0, 5), get("x", undefined, 6, 7), get("x", 10, 8, 9)]);
    expect(findStaleReads(h)).toHaveLength(1);
    expect(staleReadRate(h)).toBe(0.5);
  });
});
