/**
 * Raft, as the course runs it: the message types, persistence on the simulated disk, the
 * key-value state machine and its retrying client, the five-property safety checker, the
 * per-node timeline, the cluster harness and the graded fault scenarios. The Raft node itself is
 * the chapter 08 exercise (exercises/raft.ts; reference in solutions/raft.ts).
 */
export * from "./types";
export * from "./messages";
export * from "./kv";
export * from "./persistence";
export * from "./client";
export * from "./safety";
export * from "./timeline";
export * from "./cluster";
export * from "./views";
export * from "./scenarios";
