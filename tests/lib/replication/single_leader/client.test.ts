import { describe, expect, it } from "vitest";
import { createSingleLeaderCluster } from "../../../../lib/replication/single_leader/cluster";
import { formatRefusal, parseRedirect } from "../../../../lib/replication/single_leader/redirect";
import { solutionPolicy, writePlan } from "./helpers";

describe("redirect hints", () => {
  it("round-trips the leader and epoch through the error string", () => {
    const error = formatRefusal("not-leader", "n3 is a follower", "n2", 4);
    expect(error).toBe("not-leader: n3 is a follower; leader=n2 epoch=4");
    expect(parseRedirect(error)).toEqual({ kind: "not-leader", leader: "n2", epoch: 4 });
  });

  it("reports an unknown leader and unknown strings without inventing one", () => {
    expect(parseRedirect(formatRefusal("not-leader", "n3 is idle", null, 0))).toEqual({ kind: "not-leader", epoch: 0 });
    expect(parseRedirect("timed out")).toEqual({ kind: "other" });
    expect(parseRedirect(undefined)).toEqual({ kind: "other" });
  });
});

describe("singleLeaderClient", () => {
  it("follows a follower's redirect to the leader", () => {
    const cluster = createSingleLeaderCluster({ seed: 30 });
    const client = cluster.addClient("c", { ops: writePlan(3), initialLeader: "n2", coordinator: false, startMs: 20 });
    cluster.sim.run({ untilMs: 300 });
    expect(client.outcomes.map((o) => [o.status, o.attempts, o.node])).toEqual([
      ["ok", 2, "n1"],
      ["ok", 1, "n1"],
      ["ok", 1, "n1"],
    ]);
    const first = cluster.sim.history.ops.find((op) => op.client === "c")!;
    expect(first).toMatchObject({ node: "n2", status: "fail" });
    expect(parseRedirect(first.error).leader).toBe("n1");
  });

  it("after a failover, finds the new leader through the coordinator and finishes every write", () => {
    const cluster = createSingleLeaderCluster({ seed: 31, policy: solutionPolicy });
    const client = cluster.addClient("c", { ops: writePlan(120), startMs: 10, thinkTimeMs: 5, timeoutMs: 100, maxAttempts: 50 });
    cluster.sim.at(300, () => cluster.sim.crash("n1"));
    cluster.sim.run({ untilMs: 3000 });
    expect(client.outcomes).toHaveLength(120);
    expect(client.outcomes.every((o) => o.status === "ok")).toBe(true);
    const newLeader = cluster.leader();
    expect(newLeader).not.toBe("n1");
    expect(client.believedLeader).toBe(newLeader);
    expect(client.outcomes[client.outcomes.length - 1]!.node).toBe(newLeader);
    // It asked the coordinator (operation "leader") after its requests to n1 timed out.
    expect(cluster.sim.history.ops.some((op) => op.client === "c" && op.f === "leader" && op.status === "ok")).toBe(true);
  });

  it("can keep a timeout as 'unknown' instead of retrying it", () => {
    const cluster = createSingleLeaderCluster({ seed: 32 });
    const client = cluster.addClient("c", { ops: writePlan(1), startMs: 100, timeoutMs: 100, retryUnknown: false, coordinator: false });
    cluster.sim.at(50, () => cluster.sim.crash("n1"));
    cluster.sim.run({ untilMs: 400 });
    expect(client.outcomes).toMatchObject([{ status: "unknown", attempts: 1, node: "n1" }]);
  });
});
