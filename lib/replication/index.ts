export * from "./failover_types";
export * from "./single_leader";
