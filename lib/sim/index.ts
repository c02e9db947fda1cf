/**
 * The deterministic discrete-event simulator: nodes as I/O-free state machines (`node`), a faulty
 * network (`latency`, `network`), crashes, pauses and skewed clocks (`simulation`, `clock`,
 * `storage`), clients and their recorded history (`clients`, `history`), random faults
 * (`nemesis`), and the trace every renderer and checker reads (`trace`).
 */
export * from "./errors";
export * from "./random";
export * from "./event_queue";
export * from "./latency";
export * from "./clock";
export * from "./storage";
export * from "./network";
export * from "./trace";
export * from "./history";
export * from "./node";
export * from "./clients";
export * from "./nemesis";
export * from "./simulation";
