export * from "./not_implemented";
export * from "./load_exercise";
