/**
 * The replication log, four ways (chapter 03): statement-based, write-ahead log shipping,
 * logical (row-based) and trigger-based replication of a small row store, on the simulator.
 */
export * from "./statement_language";
export * from "./storage_format";
export * from "./row_store";
export * from "./execute";
export * from "./tickets";
export * from "./rewrite";
export * from "./messages";
export * from "./leader_node";
export * from "./follower_node";
export * from "./cdc_consumer";
export * from "./trigger_replication";
export * from "./cluster";
export * from "./workload";
