/** Replication protocols run on the simulator, and the failover vocabulary their exercises share. */
export * from "./failover_types";
export * from "./ack_rule_types";
export * from "./majority";
export * from "./single_leader";
export * from "./read_routing";
export * from "./replication_log";
export * from "./leaderless";
export * from "./multi_leader";
