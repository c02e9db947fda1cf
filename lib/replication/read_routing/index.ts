/** Chapter 04: routing reads over a lagging single-leader cluster, and the workloads that show the anomalies. */
export * from "./router";
export * from "./routers";
export * from "./session_workload";
export * from "./scenarios";
export * from "./conversation";
