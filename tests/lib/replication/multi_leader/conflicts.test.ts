import { describe, expect, it } from "vitest";
import { resolveSiblings, validateConflictPolicy } from "../../../../lib/replication/multi_leader/conflicts";
import { MultiLeaderConfigError } from "../../../../lib/replication/multi_leader/errors";
import { writeHappenedBefore, writesConcurrent, type LeaderWrite } from "../../../../lib/replication/multi_leader/write";

function w(origin: string, seq: number, value: string, timestampMs: number, deps: Record<string, number> = {}): LeaderWrite {
  return { id: `${origin}:${seq}`, origin, seq, key: "title", value, op: "set", timestampMs, deps: { [origin]: seq - 1, ...deps } };
}

const b = w("eu", 1, "B", 105);
const c = w("us", 1, "C", 100);

describe("conflict policies", () => {
  it("tells happened-before from concurrent with the writer's version vector", () => {
    const afterB = w("us", 1, "D", 90, { eu: 1 });
    expect(writeHappenedBefore(b, afterB)).toBe(true);
    expect(writesConcurrent(b, c)).toBe(true);
    expect(writesConcurrent(b, afterB)).toBe(false);
  });

  it("last write wins by timestamp, then by origin id, whatever the order", () => {
    expect(resolveSiblings({ kind: "last-write-wins" }, [b, c]).value).toBe("B");
    expect(resolveSiblings({ kind: "last-write-wins" }, [c, b]).value).toBe("B");
    const tie = w("asia", 1, "A", 105);
    expect(resolveSiblings({ kind: "last-write-wins" }, [b, tie]).value).toBe("B"); // "eu" > "asia"
  });

  it("replica priority ignores timestamps", () => {
    expect(resolveSiblings({ kind: "replica-priority", order: ["us", "eu"] }, [b, c]).value).toBe("C");
  });

  it("merge keeps every value, sorted; keep-siblings keeps every write", () => {
    expect(resolveSiblings({ kind: "merge" }, [c, b])).toMatchObject({ value: "B/C" });
    expect(resolveSiblings({ kind: "merge" }, [c, b]).writes.map((x) => x.id)).toEqual(["eu:1", "us:1"]);
    expect(resolveSiblings({ kind: "keep-siblings" }, [c, b]).writes).toHaveLength(2);
  });

  it("rejects an unknown policy and a priority list naming strangers", () => {
    expect(() => validateConflictPolicy({ kind: "newest" } as never, ["eu"])).toThrow(MultiLeaderConfigError);
    expect(() => validateConflictPolicy({ kind: "replica-priority", order: ["mars"] }, ["eu"])).toThrow(/"mars", which is not a leader/);
    expect(() => validateConflictPolicy({ kind: "on-write" } as never, ["eu"])).toThrow(/needs handler/);
  });
});
