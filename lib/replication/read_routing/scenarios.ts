/**
 * The standard chapter 04 workload with its lag derived from a seed: two followers with
 * different steady lag, one lag spike (load) and one follower crash and restart (recovery). The
 * session_router exercise is graded over many seeds of it.
 */
import { latency as L } from "../../sim/latency";
import { RandomStreams, type Seed } from "../../sim/random";
import type { ReadRouter } from "./router";
import { runSessionWorkload, type LagProfile, type SessionWorkloadConfig, type SessionWorkloadRun } from "./session_workload";

/** A lag profile and its one-line description. */
export interface DescribedLag {
  lag: LagProfile;
  description: string;
}

const round = (x: number) => Math.round(x);

/**
 * Derives a lag profile from `seed` (its own random stream, so the workload's draws do not move):
 * n2 and n3 each lag by a uniform range (n3 further behind), one follower has a 150-500 ms spike
 * of 200-600 ms latency, and one follower is down for 200-600 ms somewhere in the run.
 */
export function randomLagProfile(seed: Seed): DescribedLag {
  const rng = new RandomStreams(seed).stream("lag-profile");
  const n2 = [round(rng.uniform(2, 15)), round(rng.uniform(20, 60))] as const;
  const n3 = [round(rng.uniform(10, 40)), round(rng.uniform(80, 200))] as const;
  const spikeNode = rng.chance(0.5) ? "n2" : "n3";
  const spikeFrom = round(rng.uniform(200, 1200));
  const spikeLen = round(rng.uniform(150, 500));
  const spikeMs = round(rng.uniform(200, 600));
  const failNode = rng.chance(0.5) ? "n2" : "n3";
  const crashAt = round(rng.uniform(300, 1500));
  const downMs = round(rng.uniform(200, 600));
  return {
    lag: {
      steady: { n2: L.uniform(n2[0], n2[1]), n3: L.uniform(n3[0], n3[1]) },
      spikes: [{ node: spikeNode, fromMs: spikeFrom, toMs: spikeFrom + spikeLen, latency: L.constant(spikeMs) }],
      failures: [{ node: failNode, crashAtMs: crashAt, restartAtMs: crashAt + downMs }],
    },
    description:
      `n2 lag ${n2[0]}-${n2[1]} ms, n3 lag ${n3[0]}-${n3[1]} ms; ${spikeNode} spikes to ${spikeMs} ms at ` +
      `${spikeFrom}-${spikeFrom + spikeLen} ms; ${failNode} down ${crashAt}-${crashAt + downMs} ms`,
  };
}

/** The standard workload (5 users, ann on two devices, 40 operations each) over `randomLagProfile(seed)`. */
export function runStandardSessionWorkload(
  seed: Seed,
  router: ReadRouter,
  overrides: Partial<Omit<SessionWorkloadConfig, "seed" | "router">> = {},
): SessionWorkloadRun & { description: string } {
  const { lag, description } = randomLagProfile(seed);
  return { ...runSessionWorkload({ seed, router, lag, ...overrides }), description };
}
