import { describe, expect, it } from "vitest";
import { RaftCluster } from "../../../../lib/consensus/raft/cluster";
import { raftScenario, runRaftScenario } from "../../../../lib/consensus/raft/scenarios";
import { RaftSafetyViolation } from "../../../../lib/consensus/raft/safety";
import type { RaftNodeLogic, RaftTiming } from "../../../../lib/consensus/raft/types";
import type { RequestVote, RequestVoteReply } from "../../../../lib/consensus/raft/messages";
import { RaftNode, createRaftNode } from "../../../../solutions/raft";

/** The reference node with one deliberate bug: it grants votes without the "at least as up to date" check. */
class VotesForStaleLogs extends RaftNode {
  override handleRequestVote(ctx: Parameters<RaftNode["handleRequestVote"]>[0], from: string, m: RequestVote): void {
    const grant = m.term === this.currentTerm && (this.votedFor === null || this.votedFor === m.candidateId);
    if (grant) {
      this.votedFor = m.candidateId;
      this.persistence.saveTermAndVote(this.currentTerm, this.votedFor);
      this.resetElectionTimer(ctx);
    }
    const reply: RequestVoteReply = { type: "RequestVoteReply", term: this.currentTerm, voteGranted: grant };
    ctx.send(from, reply);
  }
}

describe("RaftCluster with the reference Raft", () => {
  it("elects a leader and agrees on a command; the same seed replays the same run", () => {
    const digests = [1, 2].map(() => {
      const c = new RaftCluster({ seed: 7, createNode: createRaftNode, trace: true });
      c.checkOneLeader();
      expect(c.one("hello", 3, false)).toBe(1);
      expect(c.nCommitted(1).command?.value).toBe("hello");
      return c.sim.digest();
    });
    expect(digests[0]).toBe(digests[1]);
  });

  it("counts Raft messages but not client traffic", () => {
    const c = new RaftCluster({ seed: 1, createNode: createRaftNode, trace: true });
    c.run(1_000);
    const raftSends = c.sim.trace.filter((e) => e.kind === "send" && !e.duplicate && (e.from.startsWith("n") && e.to.startsWith("n"))).length;
    expect(c.messagesSent).toBe(raftSends);
    expect(c.messagesSent).toBeGreaterThan(0);
  });

  it("refuses a cluster of zero nodes and an impossible timing with a message saying what to change", () => {
    expect(() => new RaftCluster({ seed: 1, createNode: createRaftNode, nodes: 0 })).toThrow(/at least one node/);
    expect(() => new RaftCluster({ seed: 1, createNode: createRaftNode, timing: { electionTimeoutMinMs: 300, electionTimeoutMaxMs: 100 } })).toThrow(/electionTimeoutMinMs/);
  });

  it("the safety checker stops a run at a deliberately broken node (no up-to-date check on votes)", () => {
    const broken = (id: string, timing: RaftTiming): RaftNodeLogic => new VotesForStaleLogs(id, timing);
    const scenario = raftScenario("follower-failure");
    let caught: RaftSafetyViolation | undefined;
    for (let seed = 1; seed <= 8 && caught === undefined; seed++) {
      const result = runRaftScenario(scenario, broken, seed);
      if (result.error instanceof RaftSafetyViolation) caught = result.error;
    }
    expect(caught?.property).toBe("leader completeness");
    // The reference passes the same seeds.
    for (let seed = 1; seed <= 8; seed++) expect(runRaftScenario(scenario, createRaftNode, seed).error).toBeUndefined();
  });
});
