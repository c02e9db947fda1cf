import { describe, expect, it } from "vitest";
import { RaftCluster } from "../../../../lib/consensus/raft/cluster";
import { createRaftNode } from "../../../../solutions/raft";

describe("raftKvClient and RaftClientHistory", () => {
  it("finds the leader through refusals and records one logical operation per request", () => {
    const c = new RaftCluster({ seed: 3, createNode: createRaftNode });
    c.addKvClients(2, { count: 5, next: (_r, i, client) => ({ op: "append", key: "k", value: `${client}${i};` }) });
    c.runUntil(() => c.kvHistory.ops.length === 10 && c.kvHistory.ops.every((o) => o.status === "ok"), 10_000);
    expect(c.kvHistory.ops.map((o) => o.status)).toEqual(Array(10).fill("ok"));
    // The first requests went to n1 before any leader existed: some needed more than one attempt.
    expect(c.kvHistory.ops.some((o) => o.attempts > 1)).toBe(true);
    const leader = c.checkOneLeader();
    expect(c.state(leader).log.length).toBeGreaterThanOrEqual(10);
    const checked = c.kvHistory.checkedOps();
    expect(checked).toHaveLength(10);
    for (const op of checked) {
      expect(op.status).toBe("ok");
      expect(op.completeMs!).toBeGreaterThanOrEqual(op.invokeMs);
      expect(op.f).toBe("append");
    }
  });

  it("applies a retried request once even when the log holds it twice", () => {
    const c = new RaftCluster({ seed: 4, createNode: createRaftNode });
    const leader = c.checkOneLeader();
    const cmd = { op: "append" as const, key: "k", value: "x;", clientId: "tester", requestId: 1 };
    c.submit(leader, cmd);
    c.submit(leader, cmd); // the same request again, as a client retry would send it
    c.runUntil(() => c.state(leader).lastApplied === 2, 2_000);
    expect(c.state(leader).log.length).toBe(2);
    const get = { op: "get" as const, key: "k", clientId: "tester", requestId: 2 };
    c.submit(leader, get);
    c.runUntil(() => c.sim.history.ops.some((o) => o.input.requestId === 2 && o.status === "ok"), 2_000);
    const read = c.sim.history.ops.find((o) => o.input.requestId === 2 && o.status === "ok");
    expect(read?.output?.value).toBe("x;");
  });
});
