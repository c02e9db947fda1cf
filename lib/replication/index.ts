/** Replication protocols run on the simulator, and the failover vocabulary their exercises share. */
export * from "./failover_types";
export * from "./single_leader";
export * from "./multi_leader";
