/**
 * The course library. Notebooks import the compiled form: `import * as course from "../dist/lib"`.
 */
export * from "./sim";
