/**
 * Multi-leader replication (chapter 05): leaders that each accept writes and replicate them
 * asynchronously over a topology (circular, star, tree, all-to-all), conflict detection with
 * version vectors, pluggable conflict resolution, and conflict avoidance by home leader.
 * Start with `createMultiLeaderCluster`.
 */
export * from "./errors";
export * from "./write";
export * from "./topology";
export * from "./conflicts";
export * from "./leader_node";
export * from "./home_routing";
export * from "./cluster";
