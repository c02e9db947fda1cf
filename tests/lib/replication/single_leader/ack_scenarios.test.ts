import { describe, expect, it } from "vitest";
import { runAckScenario } from "../../../../lib/replication/single_leader/ack_scenarios";

describe("ack scenarios", () => {
  it("records the holders of each acknowledged write: sync has all three, async only the leader at first", () => {
    const sync = runAckScenario({ seed: 5, mode: "sync", slowFollowerExtraMs: 10 });
    expect(sync.acks.length).toBeGreaterThan(0);
    for (const a of sync.acks) expect(a.holders).toEqual(["n1", "n2", "n3"]);
    expect(sync.lost).toEqual([]);
    const async = runAckScenario({ seed: 5, mode: "async", slowFollowerExtraMs: 10 });
    for (const a of async.acks) expect(a.ackMs).toBe(a.acceptedMs);
    expect(async.acks.every((a) => a.durableOn.length >= 1 && a.durableOn[0] === "n1")).toBe(true);
  });

  it("async with a shipping period loses the last acknowledged writes when the leader crashes", () => {
    const r = runAckScenario({ seed: 2, mode: "async", shipIntervalMs: 20, crashLeaderAtMs: 205 });
    expect(r.newLeader).toBeDefined();
    expect(r.lost.length).toBeGreaterThan(0);
    // Every lost write was acknowledged after the new leader's last shipment could have left.
    for (const a of r.lost) expect(a.holders).not.toContain(r.newLeader);
  });

  it("semi-sync with a disconnect timeout moves on to n3 when n2 crashes", () => {
    const r = runAckScenario({ seed: 3, mode: "semi-sync", crashLeaderAtMs: false, crashFollower: { node: "n2", atMs: 200 }, semiSync: { disconnectAfterMs: 60 } });
    const after = r.acks.filter((a) => a.ackMs > 320);
    expect(after.length).toBeGreaterThan(0);
    for (const a of after) expect(a.holders).toContain("n3");
    const blocked = runAckScenario({ seed: 3, mode: "semi-sync", crashLeaderAtMs: false, crashFollower: { node: "n2", atMs: 200 } });
    expect(blocked.acks.filter((a) => a.ackMs > 320)).toEqual([]);
  });

  it("replays byte for byte from its seed", () => {
    const a = runAckScenario({ seed: 9, mode: "quorum", followers: 4 });
    const b = runAckScenario({ seed: 9, mode: "quorum", followers: 4 });
    expect(JSON.stringify(a.acks)).toBe(JSON.stringify(b.acks));
  });
});
