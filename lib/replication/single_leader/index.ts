/**
 * The single-leader (leader/follower) replication model shared by chapters 01-03: a replicated
 * key-value store with a replication log, four acknowledgement modes, follower bootstrap,
 * heartbeats, failover through a pluggable policy, leases and fencing. Start with
 * `createSingleLeaderCluster`.
 */
export * from "./types";
export * from "./config";
export * from "./ack_rules";
export * from "./redirect";
export * from "./replica_log";
export * from "./observer";
export * from "./replica_node";
export * from "./coordinator_node";
export * from "./fenced_storage_node";
export * from "./recorder";
export * from "./invariants";
export * from "./policies";
export * from "./client";
export * from "./cluster";
export * from "./scenarios";
export * from "./ack_scenarios";
