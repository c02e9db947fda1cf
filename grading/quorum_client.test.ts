/**
 * Grading suite for the quorum_client exercise (chapter 06). It runs against the learner's
 * exercises/ folder, the reference solutions/ and the generated starter (where it must fail);
 * see grading/README.md. Test names are written for the learner: they read them in `npm run grade`.
 */
import { describe, expect, it } from "vitest";
import { decideRead, decideWrite } from "@exercise/quorum_client";
import type { ReadQuorumState, ReadReply, WriteQuorumState } from "../lib/replication/leaderless/types";
import type { StoredRecord } from "../lib/replication/leaderless/versions";
import { createLeaderlessCluster, randomQuorumScenario, type QuorumScenarioResult } from "../lib/replication/leaderless";
import { timelineText } from "../lib/viz";

const policy = { decideRead, decideWrite };

function writeState(overrides: Partial<WriteQuorumState> = {}): WriteQuorumState {
  return { key: "k", w: 2, targets: ["a", "b", "c"], acks: [], failures: [], timedOut: false, ...overrides };
}

function readState(overrides: Partial<ReadQuorumState> = {}): ReadQuorumState {
  return { key: "k", r: 2, targets: ["a", "b", "c"], replies: [], failures: [], timedOut: false, ...overrides };
}

const rec = (value: string, counter: number, node = "a"): StoredRecord => ({ value, version: { counter, node } });
const reply = (replica: string, record: StoredRecord | undefined): ReadReply => ({ replica, record });

/** Replaying one seed runs only its scenario, so the learner's console.log output is about that run. */
const replaying = process.env.REPLAY_SEED !== undefined;

describe.skipIf(replaying)("decideWrite", () => {
  it("waits while fewer than w replicas have acknowledged", () => {
    expect(decideWrite(writeState({ acks: [] })).kind).toBe("wait");
    expect(decideWrite(writeState({ acks: ["b"] })).kind).toBe("wait");
  });

  it("succeeds as soon as w replicas have acknowledged", () => {
    expect(decideWrite(writeState({ acks: ["b", "a"] })).kind).toBe("ok");
    expect(decideWrite(writeState({ w: 3, acks: ["a", "b", "c"] })).kind).toBe("ok");
    expect(decideWrite(writeState({ w: 1, acks: ["c"] })).kind).toBe("ok");
  });

  it("fails with a reason when the timeout passes without w acknowledgements", () => {
    const decision = decideWrite(writeState({ acks: ["a"], timedOut: true }));
    expect(decision.kind).toBe("fail");
    if (decision.kind === "fail") expect(decision.reason.length, "give the client a reason").toBeGreaterThan(0);
  });

  it("still succeeds at the timeout if w acknowledgements are in", () => {
    expect(decideWrite(writeState({ acks: ["a", "c"], timedOut: true })).kind).toBe("ok");
  });

  it("fails early when too few replicas are left that could acknowledge", () => {
    // w = 3 of a, b, c: b refused, so at most 2 acknowledgements can ever arrive.
    expect(decideWrite(writeState({ w: 3, acks: ["a"], failures: ["b"] })).kind).toBe("fail");
    // w = 2: one failure still leaves a and c.
    expect(decideWrite(writeState({ acks: ["a"], failures: ["b"] })).kind).toBe("wait");
  });

  it("counts substitutes of a sloppy quorum like any other target", () => {
    expect(decideWrite(writeState({ targets: ["a", "b", "c", "x"], acks: ["a", "x"] })).kind).toBe("ok");
  });

  it("does not modify the state", () => {
    const state = writeState({ acks: ["a", "b"], failures: ["c"] });
    const copy = structuredClone(state);
    decideWrite(state);
    expect(state).toEqual(copy);
  });
});

describe.skipIf(replaying)("decideRead", () => {
  it("waits while fewer than r replicas have replied", () => {
    expect(decideRead(readState()).kind).toBe("wait");
    expect(decideRead(readState({ replies: [reply("a", rec("x", 5))] })).kind).toBe("wait");
  });

  it("answers with the freshest record once r replicas replied, whatever order they came in", () => {
    for (const replies of [
      [reply("a", rec("old", 5)), reply("b", rec("new", 9))],
      [reply("b", rec("new", 9)), reply("a", rec("old", 5))],
    ]) {
      const decision = decideRead(readState({ replies }));
      expect(decision.kind).toBe("ok");
      if (decision.kind === "ok") expect(decision.record?.value).toBe("new");
    }
  });

  it("lists every replier that is behind the answer for read repair, and no other", () => {
    const decision = decideRead(
      readState({ r: 3, replies: [reply("a", rec("old", 5)), reply("b", rec("new", 9)), reply("c", rec("new", 9))] }),
    );
    expect(decision.kind).toBe("ok");
    if (decision.kind === "ok") expect([...decision.repair].sort()).toEqual(["a"]);
  });

  it("treats a replica that has nothing for the key as behind any record", () => {
    const decision = decideRead(readState({ replies: [reply("a", undefined), reply("b", rec("v", 3))] }));
    expect(decision.kind).toBe("ok");
    if (decision.kind === "ok") {
      expect(decision.record?.value).toBe("v");
      expect(decision.repair).toEqual(["a"]);
    }
  });

  it("answers 'nothing' (record undefined) with no repairs when no replica has the key", () => {
    const decision = decideRead(readState({ replies: [reply("a", undefined), reply("c", undefined)] }));
    expect(decision.kind).toBe("ok");
    if (decision.kind === "ok") {
      expect(decision.record).toBeUndefined();
      expect(decision.repair).toEqual([]);
    }
  });

  it("breaks a tie between equal counters by the larger node id", () => {
    const decision = decideRead(readState({ replies: [reply("a", rec("from-n2", 7, "n2")), reply("b", rec("from-n3", 7, "n3"))] }));
    expect(decision.kind).toBe("ok");
    if (decision.kind === "ok") {
      expect(decision.record?.value).toBe("from-n3");
      expect(decision.repair).toEqual(["a"]);
    }
  });

  it("compares counters as numbers (10 is newer than 9)", () => {
    const decision = decideRead(readState({ replies: [reply("a", rec("ten", 10)), reply("b", rec("nine", 9))] }));
    if (decision.kind !== "ok") throw new Error(`expected ok, got ${decision.kind}`);
    expect(decision.record?.value).toBe("ten");
  });

  it("fails at the timeout without r replies, and early when too few replicas are left", () => {
    expect(decideRead(readState({ replies: [reply("a", rec("x", 1))], timedOut: true })).kind).toBe("fail");
    expect(decideRead(readState({ r: 3, replies: [reply("a", rec("x", 1))], failures: ["c"] })).kind).toBe("fail");
    expect(decideRead(readState({ replies: [reply("a", rec("x", 1))], failures: ["c"] })).kind).toBe("wait");
  });

  it("does not modify the state", () => {
    const state = readState({ replies: [reply("b", rec("new", 9)), reply("a", rec("old", 5))] });
    const copy = structuredClone(state);
    decideRead(state);
    expect(state).toEqual(copy);
  });
});

describe.skipIf(replaying)("your coordinator in a 5-node cluster (n = 3, w = 2, r = 2)", () => {
  it("writes and reads back while one replica of the key is down, and repairs it once it is back", () => {
    const cluster = createLeaderlessCluster({ seed: 6, nodes: 5, n: 3, w: 2, r: 2, quorum: policy });
    const [first, second, third] = cluster.homeReplicas("cart");
    cluster.sim.at(5, () => cluster.sim.crash(third!));
    cluster.put("cart", "milk", { atMs: 10, via: first });
    cluster.sim.at(300, () => cluster.sim.restart(third!));
    cluster.get("cart", { atMs: 400, via: second });
    cluster.sim.run({ untilMs: 1000 });
    const [write, read] = cluster.sim.history.ops;
    expect(write!.status, `the write with ${third} down: ${write!.error ?? ""}`).toBe("ok");
    expect(read!.status).toBe("ok");
    expect(read!.output?.value).toBe("milk");
    expect(cluster.recordOn(third!, "cart")?.value, `${third} missed the write; the read should have repaired it`).toBe("milk");
  });

  it("refuses writes and reads when two of the three replicas are down", () => {
    const cluster = createLeaderlessCluster({ seed: 7, nodes: 5, n: 3, w: 2, r: 2, quorum: policy });
    const [first, second, third] = cluster.homeReplicas("cart");
    cluster.sim.at(5, () => {
      cluster.sim.crash(second!);
      cluster.sim.crash(third!);
    });
    cluster.put("cart", "eggs", { atMs: 10, via: first });
    cluster.get("cart", { atMs: 20, via: first });
    cluster.sim.run({ untilMs: 1000 });
    const [write, read] = cluster.sim.history.ops;
    expect(write!.status, "a write that reached only 1 of w = 2 replicas must fail").toBe("fail");
    expect(read!.status, "a read that got only 1 of r = 2 replies must fail").toBe("fail");
  });
});

/** Seeds of the randomised scenarios: 1..60, or only REPLAY_SEED when replaying one. */
const SCENARIO_SEEDS: number[] = process.env.REPLAY_SEED ? [Number(process.env.REPLAY_SEED)] : Array.from({ length: 60 }, (_, i) => i + 1);

let scenarioCache: Map<number, QuorumScenarioResult> | undefined;

function scenarios(): Map<number, QuorumScenarioResult> {
  if (scenarioCache === undefined) {
    const results = new Map<number, QuorumScenarioResult>();
    for (const seed of SCENARIO_SEEDS) {
      if (!Number.isSafeInteger(seed)) throw new Error(`--seed must be a whole number (like the seeds this exercise prints), got ${process.env.REPLAY_SEED}`);
      try {
        results.set(seed, randomQuorumScenario(seed, policy));
      } catch (err) {
        const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
        if (cause instanceof Error && cause.name !== "NotImplementedError") {
          cause.message = `${cause.message}\nseed ${seed} failed\nreplay: npm run grade quorum_client -- --seed ${seed}`;
        }
        throw cause;
      }
    }
    scenarioCache = results;
  }
  return scenarioCache;
}

function explain(seed: number, result: QuorumScenarioResult, problems: string[]): string {
  return [
    `seed ${seed} failed: ${problems.join("; ")}`,
    `scenario: ${result.description}`,
    `replay: npm run grade quorum_client -- --seed ${seed}`,
    "what happened (crashes, restarts and notes):",
    timelineText(result.cluster.sim.trace, { kinds: ["crash", "restart", "note"], limit: 20 }),
  ].join("\n");
}

describe("randomised quorum runs in the simulator (w + r > n, strict quorum)", () => {
  it("never returns a stale read: a read sees every write acknowledged before it started", () => {
    for (const [seed, result] of scenarios()) {
      if (result.staleReads.length > 0) throw new Error(explain(seed, result, result.staleReads.slice(0, 3).map((s) => s.explanation)));
    }
  });

  it("answers requests while a quorum of replicas is up (most operations succeed)", () => {
    for (const [seed, result] of scenarios()) {
      const total = result.ok + result.failed + result.unknown;
      if (result.ok < total * 0.5) {
        throw new Error(explain(seed, result, [`only ${result.ok} of ${total} operations succeeded; a write with w acknowledgements or a read with r replies must answer ok`]));
      }
    }
  });

  it("answers every request before the client gives up (ok or fail, never silence)", () => {
    for (const [seed, result] of scenarios()) {
      const silent = result.cluster.sim.history.ops.filter((op) => op.status !== "ok" && op.status !== "fail" && result.cluster.sim.isUp(op.node));
      // Requests to a node that crashed while coordinating cannot be answered; all others must be.
      const crashedCoordinators = new Set(result.cluster.sim.trace.filter((e) => e.kind === "crash").map((e) => (e as { node: string }).node));
      const unexplained = silent.filter((op) => !crashedCoordinators.has(op.node));
      if (unexplained.length > 0) {
        throw new Error(explain(seed, result, [`${unexplained.length} request(s) got no answer: at the timeout a quorum that was not reached must fail`]));
      }
    }
  });
});
