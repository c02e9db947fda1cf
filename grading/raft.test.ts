/**
 * Grading suite for the raft exercise (chapter 08). It runs against the learner's exercises/
 * folder, the reference solutions/ and the generated starter (where it must fail); see
 * grading/README.md.
 *
 * Every test is one fault scenario of lib/consensus/raft/scenarios.ts (the classic Raft lab tests,
 * made deterministic), run on several seeds. The cluster checks the five safety properties after
 * every simulated event, so a test fails at the first event that breaks one. A failure prints the
 * seed, the command that replays it and a per-node timeline (role, term, log length, commit index).
 */
import { describe, it } from "vitest";
import { createRaftNode } from "@exercise/raft";
import { RAFT_SCENARIOS, runRaftScenario, type RaftScenario, type RaftScenarioResult } from "../lib/consensus/raft/scenarios";
import { NodeCodeError } from "../lib/sim/errors";

/** Seeds per scenario; the heavier scenarios run fewer to keep the suite near 20 s on the reference. */
const SEEDS_PER_SCENARIO = 8;
const HEAVY: Readonly<Record<string, number>> = { "fast-backup": 4, "unreliable-agreement": 4, "churn": 6, "churn-unreliable": 4, "linearizable-kv": 6 };

/** `npm run grade raft -- --seed N` replays seed N of every scenario (REPLAY_SEED), alone. */
const replay = process.env.REPLAY_SEED;

function seedsFor(scenario: RaftScenario): number[] {
  if (replay !== undefined) {
    const seed = Number(replay);
    if (!Number.isSafeInteger(seed)) throw new Error(`--seed must be a whole number (like the seeds this exercise prints), got ${replay}`);
    return [seed];
  }
  const n = HEAVY[scenario.name] ?? SEEDS_PER_SCENARIO;
  return Array.from({ length: n }, (_, i) => i + 1);
}

/** What the learner needs to act on a failure: what broke, the seed, the replay command, the timeline. */
function explain(result: RaftScenarioResult): string {
  const error = result.error!;
  const what = error instanceof NodeCodeError ? `your node threw: ${error.message}` : error.message;
  return [
    `${result.scenario}, seed ${String(result.seed)}: ${what}`,
    `seed ${String(result.seed)} failed`,
    `replay: npm run grade raft -- --seed ${String(result.seed)}`,
    `per-node timeline, last changes (F follower, C candidate, L leader, X crashed; t term, log length, c commit index):`,
    result.cluster.timelineText({ lastChanges: 8 }),
  ].join("\n");
}

describe("fault scenarios (the five safety properties are checked after every event)", () => {
  for (const scenario of RAFT_SCENARIOS) {
    it(`${scenario.name}: ${scenario.title}`, () => {
      for (const seed of seedsFor(scenario)) {
        const result = runRaftScenario(scenario, createRaftNode, seed);
        if (result.error === undefined) continue;
        // An unfinished starter method surfaces as the cause: the grader reports "not started".
        throw new Error(explain(result), { cause: result.error instanceof NodeCodeError ? result.error.cause : result.error });
      }
    });
  }
});
