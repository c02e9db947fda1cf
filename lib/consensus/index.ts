/** Consensus protocols run on the simulator: Raft (chapter 08). */
export * from "./raft";
