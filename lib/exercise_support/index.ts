/** Helpers for notebooks and starters: load the learner's exercise files, report unfinished ones. */
export * from "./not_implemented";
export * from "./load_exercise";
