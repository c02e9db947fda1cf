import { describe, expect, it } from "vitest";
import type { AckObservation, AckRule } from "../../../../lib/replication/ack_rule_types";
import { majorityOf } from "../../../../lib/replication/majority";
import { standardAckRule, validateAckRule } from "../../../../lib/replication/single_leader/ack_rules";
import { createSingleLeaderCluster } from "../../../../lib/replication/single_leader/cluster";
import { SingleLeaderConfigError } from "../../../../lib/replication/single_leader/config";

const obs = (mode: AckObservation["mode"], acked: number[], extra: Partial<AckObservation> = {}): AckObservation => ({
  mode,
  leader: "n1",
  lsn: 5,
  followers: acked.map((ackedLsn, i) => ({ id: `n${i + 2}`, ackedLsn, connected: true })),
  preferredSyncFollower: mode === "semi-sync" ? "n2" : undefined,
  ...extra,
});

describe("standardAckRule", () => {
  it("majorityOf is more than half", () => {
    expect([1, 2, 3, 4, 5, 6].map(majorityOf)).toEqual([1, 2, 2, 3, 3, 4]);
  });

  it("decides per mode and lists durable nodes leader first", () => {
    expect(standardAckRule.decideAck(obs("async", [0, 0]))).toEqual({ acknowledge: true, durableOn: ["n1"] });
    expect(standardAckRule.decideAck(obs("sync", [5, 4])).acknowledge).toBe(false);
    expect(standardAckRule.decideAck(obs("sync", [5, 6]))).toEqual({ acknowledge: true, durableOn: ["n1", "n2", "n3"] });
    expect(standardAckRule.decideAck(obs("semi-sync", [4, 5])).acknowledge).toBe(false);
    expect(standardAckRule.decideAck(obs("semi-sync", [5, 0])).acknowledge).toBe(true);
    expect(standardAckRule.decideAck(obs("quorum", [5, 0, 0])).acknowledge).toBe(false); // 2 of 4
    expect(standardAckRule.decideAck(obs("quorum", [5, 0, 9])).acknowledge).toBe(true); // 3 of 4
  });

  it("chooses the preferred follower while connected, else the first connected one", () => {
    const followers = [
      { id: "n2", ackedLsn: 0, connected: false },
      { id: "n3", ackedLsn: 0, connected: true },
    ];
    expect(standardAckRule.chooseSyncFollower(followers, "n2")).toBe("n3");
    expect(standardAckRule.chooseSyncFollower(followers.map((f) => ({ ...f, connected: true })), "n2")).toBe("n2");
    expect(standardAckRule.chooseSyncFollower(followers, undefined)).toBeUndefined();
  });

  it("rejects a rule without both functions", () => {
    expect(() => validateAckRule({ decideAck: () => ({ acknowledge: true, durableOn: [] }) })).toThrow(SingleLeaderConfigError);
    expect(() => createSingleLeaderCluster({ seed: 1, ackRule: {} as AckRule })).toThrow(/chooseSyncFollower/);
  });

  it("a plugged-in rule decides the acknowledgements", () => {
    // A rule that never acknowledges: every write times out, though all followers have it.
    const never: AckRule = { chooseSyncFollower: () => undefined, decideAck: (o) => ({ acknowledge: false, durableOn: [o.leader] }) };
    const cluster = createSingleLeaderCluster({ seed: 3, mode: "async", ackRule: never });
    const w = cluster.write("x", 1, { atMs: 20, timeoutMs: 100 });
    cluster.sim.run({ untilMs: 200 });
    expect(w.op!.status).toBe("unknown");
    expect(cluster.stateOf("n3").lastLsn).toBe(1);
    expect(cluster.recorder.acknowledged).toEqual([]);
  });

  it("rejects a non-positive semiSync.disconnectAfterMs", () => {
    expect(() => createSingleLeaderCluster({ seed: 1, mode: "semi-sync", semiSync: { disconnectAfterMs: 0 } })).toThrow(/disconnectAfterMs/);
  });
});
