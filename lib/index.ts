/**
 * The course library. Notebooks import its compiled form (tslab only compiles TypeScript under
 * chapters/): `import { Simulation, latency, spaceTimeSvg } from "../dist/lib"`.
 *
 * - `sim`: the deterministic simulator (nodes, network, faults, clients, trace, history)
 * - `viz`: message diagrams, charts and tables, rendered to text, SVG or HTML
 * - `replication`: the protocols (single-leader replication with failover, ...)
 * - `consensus`: Raft, its safety checker, cluster harness and graded scenarios
 * - `exercise_support`: loading the learner's exercise files from a notebook
 * - `checkers`: read a recorded history and explain each violation (session guarantees, linearizability)
 */
export * from "./sim";
export * from "./viz";
export * from "./replication";
export * from "./consensus";
export * from "./exercise_support";
export * from "./checkers";
