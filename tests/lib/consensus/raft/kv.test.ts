import { describe, expect, it } from "vitest";
import { RaftKvStore, type RaftCommand } from "../../../../lib/consensus/raft/kv";
import { leaderHintOf, notLeaderError } from "../../../../lib/consensus/raft/client";
import { RaftPersistence } from "../../../../lib/consensus/raft/persistence";
import { SimulatedDisk } from "../../../../lib/sim/storage";

const cmd = (op: RaftCommand["op"], value: string | undefined, requestId: number, clientId = "c1"): RaftCommand =>
  value === undefined ? { op, key: "x", clientId, requestId } : { op, key: "x", value, clientId, requestId };

describe("RaftKvStore", () => {
  it("puts, appends and gets", () => {
    const kv = new RaftKvStore();
    expect(kv.apply(cmd("get", undefined, 1)).value).toBe("");
    expect(kv.apply(cmd("put", "a", 2)).value).toBe("a");
    expect(kv.apply(cmd("append", "b", 3)).value).toBe("ab");
    expect(kv.apply(cmd("get", undefined, 4)).value).toBe("ab");
  });

  it("applies a retried request once and returns its first answer", () => {
    const kv = new RaftKvStore();
    kv.apply(cmd("append", "a", 1));
    expect(kv.apply(cmd("append", "a", 1)).value).toBe("a");
    expect(kv.read("x")).toBe("a");
    // Another client's request with the same number is a different request.
    expect(kv.apply(cmd("append", "b", 1, "c2")).value).toBe("ab");
  });
});

describe("leader hints", () => {
  it("round-trips the leader named in a refusal", () => {
    expect(leaderHintOf(notLeaderError("n2"))).toBe("n2");
    expect(leaderHintOf(notLeaderError(null))).toBeNull();
    expect(leaderHintOf("disk full")).toBeNull();
  });
});

describe("RaftPersistence", () => {
  it("survives a crash that loses unsynced writes, because every save syncs", () => {
    const disk = new SimulatedDisk();
    const p = new RaftPersistence(disk);
    const log = [{ term: 1, command: cmd("put", "a", 1) }, { term: 2, command: cmd("put", "b", 2) }];
    p.saveTermAndVote(2, "n3");
    p.saveLog(log, 1);
    disk.crash(true);
    expect(p.load()).toEqual({ currentTerm: 2, votedFor: "n3", log });
  });

  it("truncates the stored log", () => {
    const disk = new SimulatedDisk();
    const p = new RaftPersistence(disk);
    const a = { term: 1, command: cmd("put", "a", 1) };
    p.saveLog([a, a, a], 1);
    p.saveLog([a], 2);
    expect(p.load().log).toEqual([a]);
    expect(disk.keys().filter((k) => k.startsWith("raft/log/"))).toEqual(["raft/log/1"]);
  });
});
