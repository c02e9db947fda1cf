import { describe, expect, it } from "vitest";
import { RaftSafetyChecker, RaftSafetyViolation, type ObservedNode } from "../../../../lib/consensus/raft/safety";
import type { RaftLogEntry, RaftNodeState, RaftRole } from "../../../../lib/consensus/raft/types";

/** An entry of `term` carrying request `req` of client "c". */
const e = (term: number, req: number): RaftLogEntry => ({ term, command: { op: "put", key: "k", value: `${req}`, clientId: "c", requestId: req } });

function node(id: string, role: RaftRole, term: number, log: RaftLogEntry[], commitIndex = 0, lastApplied = 0, incarnation = 0): ObservedNode {
  const state: RaftNodeState = { role, currentTerm: term, votedFor: null, log, commitIndex, lastApplied };
  return { id, up: true, incarnation, state };
}

function violation(checker: RaftSafetyChecker, nodes: ObservedNode[]): RaftSafetyViolation | undefined {
  return checker.check(nodes, 0);
}

describe("RaftSafetyChecker", () => {
  it("accepts a healthy history: one leader per term, logs that grow and agree", () => {
    const c = new RaftSafetyChecker();
    expect(violation(c, [node("a", "leader", 1, [e(1, 1)]), node("b", "follower", 1, [])])).toBeUndefined();
    expect(violation(c, [node("a", "leader", 1, [e(1, 1), e(1, 2)], 1, 1), node("b", "follower", 1, [e(1, 1)], 1, 1)])).toBeUndefined();
    // A new leader in term 2 that has the committed entry, and overwrites b's uncommitted one.
    expect(violation(c, [node("a", "follower", 2, [e(1, 1), e(1, 2)], 1, 1), node("b", "leader", 2, [e(1, 1), e(2, 3)], 1, 1)])).toBeUndefined();
    expect(violation(c, [node("a", "follower", 2, [e(1, 1), e(2, 3)], 2, 2), node("b", "leader", 2, [e(1, 1), e(2, 3)], 2, 2)])).toBeUndefined();
  });

  it("election safety: two leaders of one term", () => {
    const c = new RaftSafetyChecker();
    expect(violation(c, [node("a", "leader", 3, [])])).toBeUndefined();
    // b becomes leader of term 3 later, after a is gone: still two leaders of term 3.
    const v = violation(c, [node("a", "follower", 4, []), node("b", "leader", 3, [])]);
    expect(v?.property).toBe("election safety");
    expect(v?.nodes).toEqual(["a", "b"]);
    expect(v?.terms).toEqual([3]);
  });

  it("election safety allows one leader per term across terms", () => {
    const c = new RaftSafetyChecker();
    expect(violation(c, [node("a", "leader", 1, [])])).toBeUndefined();
    expect(violation(c, [node("a", "follower", 2, []), node("b", "leader", 2, [])])).toBeUndefined();
  });

  it("leader append-only: a leader that removes or overwrites its own entry", () => {
    const c = new RaftSafetyChecker();
    expect(violation(c, [node("a", "leader", 2, [e(1, 1), e(2, 2)])])).toBeUndefined();
    const v = violation(c, [node("a", "leader", 2, [e(1, 1), e(2, 9)])]);
    expect(v?.property).toBe("leader append-only");
    expect(v?.indexes).toEqual([2]);
    const c2 = new RaftSafetyChecker();
    violation(c2, [node("a", "leader", 2, [e(1, 1), e(2, 2)])]);
    expect(violation(c2, [node("a", "leader", 2, [e(1, 1)])])?.property).toBe("leader append-only");
  });

  it("leader append-only does not apply across terms or restarts", () => {
    const c = new RaftSafetyChecker();
    violation(c, [node("a", "leader", 2, [e(1, 1), e(2, 2)])]);
    // As a follower of term 3 it may lose its uncommitted entry.
    expect(violation(c, [node("a", "follower", 3, [e(1, 1)])])).toBeUndefined();
  });

  it("log matching: same index and term, different command", () => {
    const c = new RaftSafetyChecker();
    const v = violation(c, [node("a", "follower", 2, [e(1, 1), e(2, 2)]), node("b", "follower", 2, [e(1, 1), e(2, 3)])]);
    expect(v?.property).toBe("log matching");
    expect(v?.indexes).toEqual([2]);
    expect(v?.terms).toEqual([2]);
  });

  it("log matching: same entry at an index but different entries before it", () => {
    const c = new RaftSafetyChecker();
    const shared = e(3, 7);
    const v = violation(c, [node("a", "follower", 3, [e(1, 1), shared]), node("b", "follower", 3, [e(2, 2), shared])]);
    expect(v?.property).toBe("log matching");
    expect(v?.detail).toContain("different entries before it");
  });

  it("leader completeness: a leader of a later term lacks a committed entry", () => {
    const c = new RaftSafetyChecker();
    expect(violation(c, [node("a", "leader", 1, [e(1, 1)], 1, 0), node("b", "follower", 1, [e(1, 1)])])).toBeUndefined();
    const v = violation(c, [node("a", "follower", 2, [e(1, 1)], 1, 0), node("c", "leader", 2, [])]);
    expect(v?.property).toBe("leader completeness");
    expect(v?.nodes).toEqual(["c", "a"]);
    expect(v?.indexes).toEqual([1]);
  });

  it("state machine safety: two nodes apply different entries at one index", () => {
    const c = new RaftSafetyChecker();
    expect(violation(c, [node("a", "follower", 1, [e(1, 1)], 0, 1)])).toBeUndefined();
    const v = violation(c, [node("b", "follower", 2, [e(2, 5)], 0, 1)]);
    expect(v?.property).toBe("state machine safety");
    expect(v?.nodes).toEqual(["a", "b"]);
    expect(v?.indexes).toEqual([1]);
  });

  it("state machine safety: a committed entry replaced later", () => {
    const c = new RaftSafetyChecker();
    expect(violation(c, [node("a", "follower", 1, [e(1, 1)], 1, 0)])).toBeUndefined();
    const v = violation(c, [node("a", "follower", 2, [e(2, 4)], 1, 0)]);
    expect(v?.property).toBe("state machine safety");
  });

  it("re-applying after a restart is not a violation; applying past the log end is", () => {
    const c = new RaftSafetyChecker();
    expect(violation(c, [node("a", "follower", 1, [e(1, 1)], 1, 1, 0)])).toBeUndefined();
    expect(violation(c, [node("a", "follower", 1, [e(1, 1)], 1, 1, 1)])).toBeUndefined();
    expect(violation(c, [node("a", "follower", 1, [e(1, 1)], 1, 3, 1)])?.property).toBe("state machine safety");
  });

  it("notices an entry changed in place (same array, new content)", () => {
    const c = new RaftSafetyChecker();
    const log = [e(1, 1), e(2, 2)];
    expect(violation(c, [node("a", "leader", 2, log)])).toBeUndefined();
    log[1] = e(2, 3);
    expect(violation(c, [node("a", "leader", 2, log)])?.property).toBe("leader append-only");
  });
});
