/** Checkers that read a recorded history and explain what went wrong. */
export * from "./session";
