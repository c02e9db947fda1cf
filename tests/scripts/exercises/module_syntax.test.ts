import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { exportedNames, relocateRelativeImports } from "../../../scripts/exercises/module_syntax";

describe("exportedNames", () => {
  it("lists values, types, re-exports and defaults, sorted", () => {
    const source = [
      "export function f() {}",
      "export const a = 1, { b, c: [d] } = obj;",
      "export class K {}",
      "export interface I {}",
      "export type T = number;",
      "export enum E { X }",
      "export { g, h as hh };",
      "export type { U } from './u';",
      "export * from './all';",
      "export default 3;",
      "function notExported() {}",
      "// export const commented = 1;",
    ].join("\n");
    expect(exportedNames(source)).toEqual(
      ["* from \"./all\"", "E", "I", "K", "T", "U", "a", "b", "d", "default", "f", "g", "hh"].sort(),
    );
  });
});

describe("relocateRelativeImports", () => {
  const root = path.resolve("/repo");
  it("rewrites relative specifiers so they point at the same files from another folder", () => {
    const source = [
      'import { a } from "../lib/a";',
      "import type { T } from '../lib/types';",
      'export * from "./sibling";',
      'import * as fs from "node:fs";',
      'const later = import("../lib/lazy");',
      'type X = import("../lib/x").X;',
    ].join("\n");
    const moved = relocateRelativeImports(source, path.join(root, "exercises"), path.join(root, ".grade", "starters"));
    expect(moved.split("\n")).toEqual([
      'import { a } from "../../lib/a";',
      "import type { T } from '../../lib/types';",
      'export * from "../../exercises/sibling";',
      'import * as fs from "node:fs";',
      'const later = import("../../lib/lazy");',
      'type X = import("../../lib/x").X;',
    ]);
  });

  it("leaves a file unchanged when the folder does not change", () => {
    const source = 'import { a } from "../lib/a";\n';
    expect(relocateRelativeImports(source, path.join(root, "x"), path.join(root, "x"))).toBe(source);
  });
});
