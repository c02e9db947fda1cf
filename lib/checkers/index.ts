/**
 * Checkers that judge a recorded history of client operations.
 *
 * - `linearizability`: is there a legal order of the operations consistent with real time?
 */
export * from "./linearizability";
