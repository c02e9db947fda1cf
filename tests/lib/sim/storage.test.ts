import { describe, expect, it } from "vitest";
import { SimulatedDisk } from "../../../lib/sim";

describe("SimulatedDisk", () => {
  it("makes writes visible at once and durable only after sync", () => {
    const disk = new SimulatedDisk();
    disk.put("x", 1);
    expect(disk.get("x")).toBe(1);
    expect(disk.dirty).toBe(true);
    disk.sync();
    expect(disk.dirty).toBe(false);
    expect(disk.syncCount).toBe(1);
  });

  it("a crash that loses unsynced writes keeps exactly what was synced (deletes included)", () => {
    const disk = new SimulatedDisk();
    disk.put("kept", "v1");
    disk.put("deleted-later", 1);
    disk.sync();
    disk.put("kept", "v2"); // overwrite after the sync
    disk.put("new", true);
    disk.delete("deleted-later");
    disk.crash(true);
    expect(disk.snapshot()).toEqual({ "deleted-later": 1, kept: "v1" });
    expect(disk.dirty).toBe(false);
  });

  it("a crash that keeps writes makes them all durable", () => {
    const disk = new SimulatedDisk();
    disk.put("a", 1);
    disk.sync();
    disk.put("b", 2);
    disk.delete("a");
    disk.crash(false);
    expect(disk.snapshot()).toEqual({ b: 2 });
    disk.crash(true); // nothing unsynced is left to lose
    expect(disk.snapshot()).toEqual({ b: 2 });
    // syncCount counts the node's own sync() calls; the crash flushed without one.
    expect(disk.syncCount).toBe(1);
  });

  it("deep-copies values in and out, so later in-memory edits do not leak onto the disk", () => {
    const disk = new SimulatedDisk();
    const value = { log: [1, 2] };
    disk.put("state", value);
    value.log.push(3);
    const read = disk.get<{ log: number[] }>("state")!;
    read.log.push(4);
    expect(disk.get("state")).toEqual({ log: [1, 2] });
  });

  it("lists keys in sorted order and reports has/delete consistently", () => {
    const disk = new SimulatedDisk();
    for (const k of ["b", "c", "a"]) disk.put(k, k);
    disk.sync();
    disk.delete("c");
    expect(disk.keys()).toEqual(["a", "b"]);
    expect(disk.has("c")).toBe(false);
    expect(disk.get("c")).toBeUndefined();
    expect(disk.has("a")).toBe(true);
  });
});
