/**
 * Raft scenario benchmark: `npm run bench:raft [-- --seeds N] [-- --scenario NAME]`.
 *
 * Runs every graded Raft scenario (lib/consensus/raft/scenarios.ts) against the reference Raft
 * (solutions/raft.ts), with the safety checker after every event, on seeds 1..N, and prints per
 * scenario and in total the simulated cluster time, the wall time and the speed-up over real
 * time. The aim: the whole set in at most 30 s of wall time while simulating at least 30 minutes
 * of cluster time. Real time is fine here: this is a benchmark, not simulation code.
 */
import { Command, InvalidArgumentError } from "commander";
import { performance } from "node:perf_hooks";
import { RAFT_SCENARIOS, runRaftScenario, type RaftScenario } from "../lib/consensus/raft/scenarios";
import { createRaftNode } from "../solutions/raft";

const TARGET_WALL_S = 30;
const TARGET_SIMULATED_MIN = 30;

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError("expected a whole number >= 1");
  return n;
}

function main(): void {
  const program = new Command("bench:raft")
    .description("Runs every graded Raft scenario against the reference Raft and reports simulated vs wall time.")
    .option("--seeds <n>", "seeds per scenario (1..n)", positiveInt, 24)
    .option("--scenario <name>", "only this scenario")
    .parse(process.argv);
  const opts = program.opts<{ seeds: number; scenario?: string }>();
  const scenarios: readonly RaftScenario[] = opts.scenario === undefined ? RAFT_SCENARIOS : RAFT_SCENARIOS.filter((s) => s.name === opts.scenario);
  if (scenarios.length === 0) {
    console.error(`no scenario "${opts.scenario}"; known: ${RAFT_SCENARIOS.map((s) => s.name).join(", ")}`);
    process.exitCode = 2;
    return;
  }
  let totalSimMs = 0;
  let totalWallMs = 0;
  let failures = 0;
  let events = 0;
  console.log(`scenario                        seeds  simulated    wall   speed-up  events`);
  for (const scenario of scenarios) {
    let simMs = 0;
    let wallMs = 0;
    let ev = 0;
    for (let seed = 1; seed <= opts.seeds; seed++) {
      const t0 = performance.now();
      const result = runRaftScenario(scenario, createRaftNode, seed);
      wallMs += performance.now() - t0;
      simMs += result.simulatedMs;
      ev += result.cluster.sim.events;
      if (result.error !== undefined) {
        failures++;
        console.log(`  FAILED ${scenario.name} seed ${seed}: ${result.error.message}`);
      }
    }
    totalSimMs += simMs;
    totalWallMs += wallMs;
    events += ev;
    console.log(
      `${scenario.name.padEnd(30)} ${String(opts.seeds).padStart(6)} ${(simMs / 1000).toFixed(1).padStart(9)} s ${(wallMs / 1000).toFixed(2).padStart(6)} s ${(simMs / wallMs).toFixed(0).padStart(7)}x ${String(ev).padStart(8)}`,
    );
  }
  const simMin = totalSimMs / 60_000;
  console.log(
    `\ntotal: ${(totalSimMs / 1000).toFixed(1)} s (${simMin.toFixed(1)} min) of cluster time in ${(totalWallMs / 1000).toFixed(2)} s of wall time: ` +
      `${(totalSimMs / totalWallMs).toFixed(0)}x real time, ${events} events, ${failures} failure(s)`,
  );
  console.log(
    `aim: <= ${TARGET_WALL_S} s wall for >= ${TARGET_SIMULATED_MIN} min simulated: ` +
      `${totalWallMs / 1000 <= TARGET_WALL_S ? "wall ok" : "wall OVER"}, ${simMin >= TARGET_SIMULATED_MIN ? "simulated ok" : "simulated UNDER (raise --seeds)"}`,
  );
  if (failures > 0) process.exitCode = 1;
}

main();
