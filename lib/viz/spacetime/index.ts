/** The message space-time diagram: the shared model, a text renderer and an SVG renderer. */
export * from "./model";
export * from "./text";
export * from "./svg";
