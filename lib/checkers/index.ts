/**
 * Checkers that read a recorded history of client operations and explain each violation.
 *
 * - `session`: read-your-writes, monotonic reads and consistent prefix (chapter 04)
 * - `linearizability`: is there a legal order of the operations consistent with real time? (chapter 08)
 */
export * from "./session";
export * from "./linearizability";
