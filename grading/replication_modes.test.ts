/**
 * Grading suite for the replication_modes exercise (chapter 01). It runs against the learner's
 * exercises/ folder, the reference solutions/ and the generated starter (where it must fail);
 * see grading/README.md. Test names are written for the learner: they read them in `npm run grade`.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chooseSyncFollower, decideAck, durableOn } from "@exercise/replication_modes";
import type { AckMode, AckObservation, AckRule, FollowerAck } from "../lib/replication/ack_rule_types";
import { randomAckScenario, runAckScenario, type AckScenarioResult } from "../lib/replication/single_leader";

/** The learner's rule, as the simulated leader calls it. */
const learnerRule: AckRule = { chooseSyncFollower, decideAck };

type FollowerSpec = Partial<FollowerAck> & { id: string };

/** A write at lsn 10 on leader "a" with followers "b" and "c" (connected, nothing acknowledged yet). */
function observation(mode: AckMode, followers: FollowerSpec[] = [{ id: "b" }, { id: "c" }], extra: Partial<AckObservation> = {}): AckObservation {
  return {
    mode,
    leader: "a",
    lsn: 10,
    followers: followers.map((f) => ({ ackedLsn: 0, connected: true, ...f })),
    preferredSyncFollower: mode === "semi-sync" ? "b" : undefined,
    ...extra,
  };
}

const f = (id: string, ackedLsn: number, connected = true): FollowerSpec => ({ id, ackedLsn, connected });

/** Replaying one seed runs only its scenarios, so the learner's console.log output is about that run. */
const replaying = process.env.REPLAY_SEED !== undefined;

describe.skipIf(replaying)("durableOn", () => {
  it("is just the leader when no follower has acknowledged the write", () => {
    expect(durableOn(observation("async"))).toEqual(["a"]);
  });

  it("counts a follower whose ackedLsn reached the write's lsn (exactly equal counts)", () => {
    expect(durableOn(observation("sync", [f("b", 10), f("c", 9)]))).toEqual(["a", "b"]);
  });

  it("counts a follower that acknowledged a later position (its log holds everything before it)", () => {
    expect(durableOn(observation("sync", [f("b", 3), f("c", 12)]))).toEqual(["a", "c"]);
  });

  it("lists the leader first, then followers in the given order, connected or not", () => {
    const obs = observation("quorum", [f("e", 11), f("b", 10, false), f("d", 2), f("c", 10)]);
    expect(durableOn(obs)).toEqual(["a", "e", "b", "c"]);
  });

  it("does not modify the observation", () => {
    const obs = observation("quorum", [f("b", 10), f("c", 4)]);
    const copy = structuredClone(obs);
    durableOn(obs);
    expect(obs).toEqual(copy);
  });
});

describe.skipIf(replaying)("chooseSyncFollower", () => {
  it("returns undefined when any follower will do (no preferred follower)", () => {
    expect(chooseSyncFollower([{ id: "b", ackedLsn: 0, connected: true }], undefined)).toBeUndefined();
  });

  it("returns undefined when there are no followers", () => {
    expect(chooseSyncFollower([], "b")).toBeUndefined();
  });

  it("keeps the preferred follower while it is connected, even if others are ahead", () => {
    const followers = [
      { id: "c", ackedLsn: 50, connected: true },
      { id: "b", ackedLsn: 3, connected: true },
    ];
    expect(chooseSyncFollower(followers, "b")).toBe("b");
  });

  it("promotes the first connected follower when the preferred one is disconnected", () => {
    const followers = [
      { id: "b", ackedLsn: 9, connected: false },
      { id: "c", ackedLsn: 0, connected: false },
      { id: "d", ackedLsn: 1, connected: true },
      { id: "e", ackedLsn: 9, connected: true },
    ];
    expect(chooseSyncFollower(followers, "b")).toBe("d");
  });

  it("promotes the first connected follower when the preferred one is not a follower (e.g. it is now the leader)", () => {
    const followers = [
      { id: "c", ackedLsn: 0, connected: false },
      { id: "d", ackedLsn: 0, connected: true },
    ];
    expect(chooseSyncFollower(followers, "b")).toBe("d");
  });

  it("stays with the preferred follower when nobody is connected", () => {
    const followers = [
      { id: "c", ackedLsn: 0, connected: false },
      { id: "b", ackedLsn: 0, connected: false },
    ];
    expect(chooseSyncFollower(followers, "b")).toBe("b");
  });

  it("falls back to the first follower when nobody is connected and the preferred one is not a follower", () => {
    const followers = [
      { id: "c", ackedLsn: 0, connected: false },
      { id: "d", ackedLsn: 0, connected: false },
    ];
    expect(chooseSyncFollower(followers, "b")).toBe("c");
  });
});

describe.skipIf(replaying)("decideAck", () => {
  it("async: acknowledges at once, on the leader alone", () => {
    expect(decideAck(observation("async"))).toEqual({ acknowledge: true, durableOn: ["a"] });
  });

  it("sync: waits until every follower has the write", () => {
    expect(decideAck(observation("sync", [f("b", 10), f("c", 9)])).acknowledge, "c has only 9 of 10").toBe(false);
    expect(decideAck(observation("sync", [f("b", 10), f("c", 10)]))).toEqual({ acknowledge: true, durableOn: ["a", "b", "c"] });
  });

  it("sync: a disconnected follower still has to have the write (sync blocks while it is down)", () => {
    expect(decideAck(observation("sync", [f("b", 10), f("c", 0, false)])).acknowledge).toBe(false);
  });

  it("sync: with no followers, the leader's own write is enough", () => {
    expect(decideAck(observation("sync", [])).acknowledge).toBe(true);
  });

  it("semi-sync: waits for the preferred follower, not for any follower", () => {
    expect(decideAck(observation("semi-sync", [f("b", 9), f("c", 10)])).acknowledge, "only c has it; b is the sync follower").toBe(false);
    expect(decideAck(observation("semi-sync", [f("b", 10), f("c", 0)])).acknowledge).toBe(true);
  });

  it("semi-sync: waits for the promoted follower when the preferred one is disconnected", () => {
    const obs = observation("semi-sync", [f("b", 10, false), f("c", 9), f("d", 10)]);
    expect(decideAck(obs).acknowledge, "c was promoted to sync and has only 9").toBe(false);
    const ready = observation("semi-sync", [f("b", 0, false), f("c", 10), f("d", 0)]);
    expect(decideAck(ready)).toEqual({ acknowledge: true, durableOn: ["a", "c"] });
  });

  it("semi-sync with any one follower: one follower is enough, the leader alone is not", () => {
    const any = { preferredSyncFollower: undefined };
    expect(decideAck(observation("semi-sync", [f("b", 0), f("c", 0)], any)).acknowledge).toBe(false);
    expect(decideAck(observation("semi-sync", [f("b", 0), f("c", 10)], any)).acknowledge).toBe(true);
  });

  it("quorum: 3 nodes need 2 (the leader counts), 5 need 3, 4 need 3", () => {
    expect(decideAck(observation("quorum", [f("b", 0), f("c", 0)])).acknowledge, "3 nodes, 1 has it").toBe(false);
    expect(decideAck(observation("quorum", [f("b", 0), f("c", 10)])).acknowledge, "3 nodes, 2 have it").toBe(true);
    const five = (acked: number[]) => observation("quorum", acked.map((lsn, i) => f(`f${i}`, lsn)));
    expect(decideAck(five([10, 0, 0, 0])).acknowledge, "5 nodes, 2 have it").toBe(false);
    expect(decideAck(five([0, 10, 0, 12])).acknowledge, "5 nodes, 3 have it").toBe(true);
    const four = (acked: number[]) => observation("quorum", acked.map((lsn, i) => f(`f${i}`, lsn)));
    expect(decideAck(four([10, 0, 0])).acknowledge, "4 nodes, 2 have it: half is not a majority").toBe(false);
    expect(decideAck(four([10, 0, 11])).acknowledge, "4 nodes, 3 have it").toBe(true);
  });

  it("quorum: counts durable copies, whether the follower is connected or not", () => {
    expect(decideAck(observation("quorum", [f("b", 10, false), f("c", 0)])).acknowledge).toBe(true);
  });

  it("does not modify the observation", () => {
    for (const mode of ["async", "sync", "semi-sync", "quorum"] as const) {
      const obs = observation(mode, [f("b", 10, false), f("c", 4), f("d", 11)]);
      const copy = structuredClone(obs);
      decideAck(obs);
      expect(obs, mode).toEqual(copy);
    }
  });
});

/** Random observations: 0 to 6 followers, random acknowledgements and connections, every mode. */
const arbitraryObservation: fc.Arbitrary<AckObservation> = fc
  .record({
    mode: fc.constantFrom<AckMode>("async", "sync", "semi-sync", "quorum"),
    lsn: fc.integer({ min: 1, max: 20 }),
    followers: fc.array(fc.record({ ackedLsn: fc.integer({ min: 0, max: 25 }), connected: fc.boolean() }), { maxLength: 6 }),
    preferred: fc.integer({ min: -1, max: 6 }),
  })
  .map((r) => {
    const followers = r.followers.map((x, i) => ({ id: `f${i}`, ...x }));
    // -1: any follower will do; an index past the end names a node that is not a follower.
    const preferredSyncFollower = r.preferred < 0 ? undefined : `f${r.preferred}`;
    return { mode: r.mode, leader: "leader", lsn: r.lsn, followers, preferredSyncFollower };
  });

describe.skipIf(replaying)("decideAck on random observations", () => {
  it("never acknowledges with fewer durable copies than the mode promises", () => {
    fc.assert(
      fc.property(arbitraryObservation, (obs) => {
        const decision = decideAck(obs);
        const holders = obs.followers.filter((x) => x.ackedLsn >= obs.lsn);
        expect(decision.durableOn, "durableOn").toEqual(["leader", ...holders.map((x) => x.id)]);
        if (!decision.acknowledge) return;
        const n = obs.followers.length + 1;
        if (obs.mode === "sync") expect(holders.length, "sync acknowledged before every follower had it").toBe(obs.followers.length);
        if (obs.mode === "quorum") expect(2 * (holders.length + 1), "quorum acknowledged without a majority").toBeGreaterThan(n);
        if (obs.mode === "semi-sync") expect(holders.length, "semi-sync acknowledged on the leader alone").toBeGreaterThan(0);
      }),
      { seed: 20261201, numRuns: 500 },
    );
  });

  it("acknowledges as soon as the mode allows (it never waits longer than it must)", () => {
    fc.assert(
      fc.property(arbitraryObservation, (obs) => {
        const holders = obs.followers.filter((x) => x.ackedLsn >= obs.lsn).map((x) => x.id);
        const n = obs.followers.length + 1;
        let expected: boolean;
        if (obs.mode === "async") expected = true;
        else if (obs.mode === "sync") expected = holders.length === obs.followers.length;
        else if (obs.mode === "quorum") expected = 2 * (holders.length + 1) > n;
        else {
          const sync = chooseSyncFollower(obs.followers, obs.preferredSyncFollower);
          expected = sync === undefined ? holders.length > 0 : holders.includes(sync);
        }
        expect(decideAck(obs).acknowledge).toBe(expected);
      }),
      { seed: 20261202, numRuns: 500 },
    );
  });
});

/**
 * Seeds of the randomised simulator scenarios: 1..60 per mode, or only REPLAY_SEED when the
 * learner replays one (`npm run grade replication_modes -- --seed 17`).
 */
const SCENARIO_SEEDS: number[] = process.env.REPLAY_SEED
  ? [Number(process.env.REPLAY_SEED)]
  : Array.from({ length: 60 }, (_, i) => i + 1);

const MODES: readonly AckMode[] = ["async", "sync", "semi-sync", "quorum"];

/** Runs one scenario with the learner's rule, handing back the learner's own error (and line). */
function run(seed: number, scenario: () => AckScenarioResult): AckScenarioResult {
  if (!Number.isSafeInteger(seed)) {
    throw new Error(`--seed must be a whole number (like the seeds this exercise prints), got ${process.env.REPLAY_SEED}`);
  }
  try {
    return scenario();
  } catch (err) {
    const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
    if (cause instanceof Error && cause.name !== "NotImplementedError") {
      cause.message = `${cause.message}\nseed ${seed} failed\nreplay: npm run grade replication_modes -- --seed ${seed}`;
    }
    throw cause;
  }
}

/** Every scenario runs once per mode; the tests below read the results. */
const cache = new Map<AckMode, Map<number, AckScenarioResult>>();

function scenarios(mode: AckMode): Map<number, AckScenarioResult> {
  let results = cache.get(mode);
  if (results === undefined) {
    results = new Map();
    for (const seed of SCENARIO_SEEDS) results.set(seed, run(seed, () => randomAckScenario(seed, mode, learnerRule)));
    cache.set(mode, results);
  }
  return results;
}

/** A failure message the learner can act on: what broke, the run's parameters, how to replay. */
function explain(seed: number, result: AckScenarioResult, problems: string[]): string {
  return [
    `seed ${seed} failed: ${problems.slice(0, 3).join("; ")}${problems.length > 3 ? ` (and ${problems.length - 3} more)` : ""}`,
    `scenario: ${result.description}`,
    `replay: npm run grade replication_modes -- --seed ${seed}`,
  ].join("\n");
}

const at = (ms: number) => `${ms.toFixed(1)} ms`;

describe("randomised runs in the simulator, with your rule plugged into the leader", () => {
  it("async acknowledges right after the leader's own write", () => {
    for (const [seed, r] of scenarios("async")) {
      const late = r.acks.filter((a) => a.ackMs !== a.acceptedMs);
      if (late.length > 0) {
        throw new Error(explain(seed, r, late.map((a) => `lsn ${a.lsn} accepted at ${at(a.acceptedMs)} but acknowledged only at ${at(a.ackMs)}`)));
      }
      if (r.acks.length === 0) throw new Error(explain(seed, r, ["the leader acknowledged no write at all"]));
    }
  });

  it("sync never acknowledges before every follower holds the write", () => {
    for (const [seed, r] of scenarios("sync")) {
      const everyone = r.cluster.dataNodes;
      const early = r.acks.filter((a) => a.holders.length < everyone.length);
      if (early.length > 0) {
        const missing = (a: (typeof early)[number]) => everyone.filter((n) => !a.holders.includes(n)).join(", ");
        throw new Error(explain(seed, r, early.map((a) => `lsn ${a.lsn} acknowledged at ${at(a.ackMs)} while ${missing(a)} did not have it`)));
      }
    }
  });

  it("semi-sync never acknowledges before the synchronous follower (n2) holds the write", () => {
    for (const [seed, r] of scenarios("semi-sync")) {
      const early = r.acks.filter((a) => !a.holders.includes("n2"));
      if (early.length > 0) {
        throw new Error(explain(seed, r, early.map((a) => `lsn ${a.lsn} acknowledged at ${at(a.ackMs)}; only ${a.holders.join(", ")} had it`)));
      }
    }
  });

  it("quorum never acknowledges before a majority of the nodes holds the write", () => {
    for (const [seed, r] of scenarios("quorum")) {
      const n = r.cluster.dataNodes.length;
      const early = r.acks.filter((a) => 2 * a.holders.length <= n);
      if (early.length > 0) {
        throw new Error(explain(seed, r, early.map((a) => `lsn ${a.lsn} acknowledged at ${at(a.ackMs)} on ${a.holders.length} of ${n} nodes (${a.holders.join(", ")})`)));
      }
    }
  });

  it("reports durableOn truthfully: only nodes that really hold the write, the leader first", () => {
    for (const mode of MODES) {
      for (const [seed, r] of scenarios(mode)) {
        const wrong = r.acks.filter((a) => a.durableOn[0] !== "n1" || a.durableOn.some((n) => !a.holders.includes(n)));
        if (wrong.length > 0) {
          throw new Error(explain(seed, r, wrong.map((a) => `lsn ${a.lsn}: durableOn [${a.durableOn.join(", ")}] but the write was on [${a.holders.join(", ")}]`)));
        }
      }
    }
  });

  it("sync, semi-sync and quorum lose no acknowledged write when the leader crashes", () => {
    for (const mode of ["sync", "semi-sync", "quorum"] as const) {
      for (const [seed, r] of scenarios(mode)) {
        if (r.lost.length > 0) {
          const lost = r.lost.map((a) => `${mode}: lsn ${a.lsn} was acknowledged at ${at(a.ackMs)} on [${a.holders.join(", ")}] and the new leader ${r.newLeader} does not have it`);
          throw new Error(explain(seed, r, lost));
        }
      }
    }
  });

  it("every mode keeps acknowledging writes while all nodes are up (no mode blocks for ever)", () => {
    for (const mode of MODES) {
      for (const [seed, r] of scenarios(mode)) {
        if (r.acks.length === 0) throw new Error(explain(seed, r, [`${mode}: the leader acknowledged no write at all`]));
      }
    }
  });

  it("semi-sync promotes another follower to synchronous when the synchronous one goes down", () => {
    for (const seed of SCENARIO_SEEDS.slice(0, 20)) {
      const crashMs = 100 + (seed % 5) * 20;
      const r = run(seed, () =>
        runAckScenario({
          seed,
          mode: "semi-sync",
          ackRule: learnerRule,
          crashLeaderAtMs: false,
          crashFollower: { node: "n2", atMs: crashMs },
          semiSync: { disconnectAfterMs: 60 },
          durationMs: 700,
        }),
      );
      // n2 counts as disconnected 60 ms after it was last heard, so writes flow again well before 400 ms.
      const after = r.acks.filter((a) => a.ackMs > crashMs + 300);
      if (after.length === 0) {
        throw new Error(explain(seed, r, [`n2 crashed at ${crashMs} ms and no write was acknowledged after ${crashMs + 300} ms: n3 was never made the synchronous follower`]));
      }
      const single = after.filter((a) => a.holders.length < 2);
      if (single.length > 0) {
        throw new Error(explain(seed, r, single.map((a) => `lsn ${a.lsn} acknowledged at ${at(a.ackMs)} on the leader alone`)));
      }
    }
  });
});
