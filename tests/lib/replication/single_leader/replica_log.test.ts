import { describe, expect, it } from "vitest";
import { SimulatedDisk } from "../../../../lib/sim/storage";
import { ReplicaLog } from "../../../../lib/replication/single_leader/replica_log";
import type { LogEntry, LogOp } from "../../../../lib/replication/single_leader/types";

function entry(lsn: number, epoch: number, op: LogOp, origin = "n1"): LogEntry {
  return { lsn, epoch, origin, op };
}

const set = (key: string, value: number): LogOp => ({ kind: "set", key, value });
const insert = (table: string, id: number, value: string): LogOp => ({ kind: "insert", table, id, key: `${table}:${id}`, value });

describe("ReplicaLog", () => {
  it("applies set, delete and insert in order and survives a reload from disk", () => {
    const disk = new SimulatedDisk();
    const log = new ReplicaLog(disk);
    log.append([entry(1, 1, set("x", 1)), entry(2, 1, set("y", 2)), entry(3, 1, { kind: "delete", key: "x" }), entry(4, 1, insert("t", 1, "a"))]);
    expect(Object.fromEntries(log.kv)).toEqual({ y: 2, "t:1": "a" });
    expect(log.sequences.get("t")).toBe(1);
    expect(log.lastPosition).toEqual({ lsn: 4, epoch: 1 });
    expect(log.appliedLsn).toBe(4);

    const reloaded = new ReplicaLog(disk);
    expect(Object.fromEntries(reloaded.kv)).toEqual({ y: 2, "t:1": "a" });
    expect(reloaded.retainedKeys()).toEqual(["n1/1/1", "n1/1/2", "n1/1/3", "n1/1/4"]);
    expect(reloaded.sequences.get("t")).toBe(1);
  });

  it("refuses an append that does not continue the log", () => {
    const log = new ReplicaLog(new SimulatedDisk());
    expect(() => log.append([entry(2, 1, set("x", 1))])).toThrow(/out of order/);
  });

  it("rolls back a truncated suffix: overwritten values, deleted keys and counters come back", () => {
    const log = new ReplicaLog(new SimulatedDisk());
    log.append([entry(1, 1, set("x", 1)), entry(2, 1, insert("t", 1, "a"))]);
    log.append([entry(3, 1, set("x", 9)), entry(4, 1, { kind: "delete", key: "t:1" }), entry(5, 1, insert("t", 2, "b")), entry(6, 1, set("z", 3))]);
    expect(log.truncateAfter(2)).toBe(true);
    expect(Object.fromEntries(log.kv)).toEqual({ x: 1, "t:1": "a" });
    expect(log.sequences.get("t")).toBe(1);
    expect(log.lastPosition).toEqual({ lsn: 2, epoch: 1 });
    // The next insert reuses id 2, exactly as a new leader missing the lost insert would.
    log.append([entry(3, 2, insert("t", 2, "c"), "n2")]);
    expect(log.kv.get("t:2")).toBe("c");
  });

  it("folds old entries away in batches and cannot roll back below the fold", () => {
    const log = new ReplicaLog(new SimulatedDisk());
    for (let lsn = 1; lsn <= 25; lsn++) log.append([entry(lsn, lsn <= 10 ? 1 : 2, set(`k${lsn % 3}`, lsn))]);
    // More than 20 kept: fold down to 18 (90% of 20).
    expect(log.compact(20)).toBe(7);
    expect(log.retained).toBe(18);
    expect(log.base).toEqual({ lsn: 7, epoch: 1 });
    expect(log.epochAt(7)).toBe(1);
    expect(log.epochAt(6)).toBeUndefined();
    expect(log.entriesFrom(1, 2).map((e) => e.lsn)).toEqual([8, 9]);
    expect(log.truncateAfter(6)).toBe(false);
    expect(log.lastLsn).toBe(25);
    // The store still reflects every entry.
    expect(Object.fromEntries(log.kv)).toEqual({ k0: 24, k1: 25, k2: 23 });
  });

  it("finds where another log ending in a given epoch can still agree with it", () => {
    const log = new ReplicaLog(new SimulatedDisk());
    const epochs = [1, 1, 2, 2, 4];
    epochs.forEach((epoch, i) => log.append([entry(i + 1, epoch, set("x", i))]));
    expect(log.endOfEpochAtMost(0)).toBe(0);
    expect(log.endOfEpochAtMost(1)).toBe(2);
    expect(log.endOfEpochAtMost(3)).toBe(4);
    expect(log.endOfEpochAtMost(4)).toBe(5);
    // A follower whose entry at 4 (epoch 2) disagrees restarts before the run of epoch-2 entries.
    expect(log.positionBeforeRun(4)).toEqual({ lsn: 2, epoch: 1 });
    expect(log.positionBeforeRun(9)).toEqual({ lsn: 5, epoch: 4 });
  });

  it("installs a snapshot: same store, empty log based at the snapshot position", () => {
    const source = new ReplicaLog(new SimulatedDisk());
    source.append([entry(1, 1, set("a", 1)), entry(2, 1, insert("t", 1, "r")), entry(3, 2, set("b", 2))]);
    const snap = source.snapshot("s1");
    expect(snap).toMatchObject({ lsn: 3, lsnEpoch: 2 });

    const disk = new SimulatedDisk();
    const target = new ReplicaLog(disk);
    target.append([entry(1, 1, set("stale", 0))]);
    target.installSnapshot(snap);
    expect(Object.fromEntries(target.kv)).toEqual(Object.fromEntries(source.kv));
    expect(target.base).toEqual({ lsn: 3, epoch: 2 });
    expect(target.retained).toBe(0);
    const reloaded = new ReplicaLog(disk);
    expect(Object.fromEntries(reloaded.kv)).toEqual({ a: 1, b: 2, "t:1": "r" });
    expect(reloaded.sequences.get("t")).toBe(1);
  });

  it("after a crash that loses unsynced writes, reloads the last synced state consistently", () => {
    const disk = new SimulatedDisk();
    const log = new ReplicaLog(disk);
    log.append([entry(1, 1, set("x", 1))]);
    disk.sync();
    log.append([entry(2, 1, set("x", 2)), entry(3, 1, set("y", 3))]);
    disk.crash(true);
    const reloaded = new ReplicaLog(disk);
    expect(reloaded.lastLsn).toBe(1);
    expect(Object.fromEntries(reloaded.kv)).toEqual({ x: 1 });
  });
});
