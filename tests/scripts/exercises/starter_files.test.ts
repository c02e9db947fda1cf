import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { REPOSITORY_ROOT, type ExerciseFolders } from "../../../scripts/exercises/exercise_catalog";
import { buildStarter, generateStarters, writeStartersTo } from "../../../scripts/exercises/starter_files";

const SOLUTION = [
  'import type { T } from "../lib/types";',
  '// @starter import { notImplemented } from "../lib/not_implemented";',
  "",
  "export function f(x: T): number {",
  "  // @solution-begin",
  "  return x.n;",
  "  // @solution-end",
  '  // @starter throw notImplemented("f");',
  "}",
  "",
].join("\n");
const STARTER = [
  'import type { T } from "../lib/types";',
  'import { notImplemented } from "../lib/not_implemented";',
  "",
  "export function f(x: T): number {",
  '  throw notImplemented("f");',
  "}",
  "",
].join("\n");

let root: string;
let folders: ExerciseFolders;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "starters-"));
  folders = { solutionsDir: path.join(root, "solutions"), exercisesDir: path.join(root, "exercises") };
  fs.mkdirSync(folders.solutionsDir);
  fs.writeFileSync(path.join(folders.solutionsDir, "ex.ts"), SOLUTION);
});

afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

const exercisePath = () => path.join(folders.exercisesDir, "ex.ts");

describe("generateStarters", () => {
  it("rewrites relative imports for an exercises folder that is not beside solutions/", () => {
    const elsewhere = { ...folders, exercisesDir: path.join(root, "course", "exercises") };
    generateStarters(["ex"], { force: false, folders: elsewhere });
    const written = fs.readFileSync(path.join(elsewhere.exercisesDir, "ex.ts"), "utf8");
    // solutions/../lib/types, seen from course/exercises/.
    expect(written).toContain('import type { T } from "../../lib/types";');
    expect(written).toContain('import { notImplemented } from "../../lib/not_implemented";');
  });

  it("creates a missing exercise file from the solution", () => {
    const result = generateStarters(["ex"], { force: false, folders });
    expect(result.written).toEqual([exercisePath()]);
    expect(fs.readFileSync(exercisePath(), "utf8")).toBe(STARTER);
  });

  it("leaves an up-to-date file alone", () => {
    generateStarters(["ex"], { force: false, folders });
    const again = generateStarters(["ex"], { force: false, folders });
    expect(again.unchanged).toEqual([exercisePath()]);
    expect(again.written).toEqual([]);
  });

  it("refuses to overwrite a file that differs (a learner's edits) and keeps it as it was", () => {
    generateStarters(["ex"], { force: false, folders });
    const learnerWork = STARTER.replace('throw notImplemented("f");', "return 7;");
    fs.writeFileSync(exercisePath(), learnerWork);
    const result = generateStarters(["ex"], { force: false, folders });
    expect(result.refused).toEqual([exercisePath()]);
    expect(result.written).toEqual([]);
    expect(fs.readFileSync(exercisePath(), "utf8")).toBe(learnerWork);
  });

  it("overwrites a differing file with force", () => {
    fs.mkdirSync(folders.exercisesDir);
    fs.writeFileSync(exercisePath(), "edited");
    const result = generateStarters(["ex"], { force: true, folders });
    expect(result.written).toEqual([exercisePath()]);
    expect(fs.readFileSync(exercisePath(), "utf8")).toBe(STARTER);
  });

  it("writes nothing for a solution with broken markers and reports the line", () => {
    fs.writeFileSync(path.join(folders.solutionsDir, "ex.ts"), SOLUTION.replace("  // @solution-end\n", "").replace('  // @starter throw notImplemented("f");\n', ""));
    const result = generateStarters(["ex"], { force: true, folders });
    expect(result.problems.join("\n")).toMatch(/ex\.ts:5: @solution-begin is never closed/);
    expect(fs.existsSync(exercisePath())).toBe(false);
  });
});

describe("buildStarter", () => {
  it("reports an export that only the solution has", () => {
    const source = SOLUTION + "// @solution-begin\nexport function helper(): void {}\n// @solution-end\n";
    fs.writeFileSync(path.join(folders.solutionsDir, "ex.ts"), source);
    const build = buildStarter("ex", folders);
    expect(build.problems).toHaveLength(1);
    expect(build.problems[0]).toContain("exported only by the solution");
    expect(build.problems[0]).toContain("helper");
  });

  it("accepts a starter with the same exports", () => {
    expect(buildStarter("ex", folders).problems).toEqual([]);
  });
});

describe("writeStartersTo", () => {
  it("rewrites relative imports for the target folder", () => {
    const target = path.join(root, ".grade", "starters");
    writeStartersTo(["ex"], target, folders);
    const written = fs.readFileSync(path.join(target, "ex.ts"), "utf8");
    expect(written).toContain('from "../../lib/types"');
    expect(written).toContain('from "../../lib/not_implemented"');
  });
});

describe("npm run exercises:generate", () => {
  it("exits 1 and names the file it refused to overwrite", () => {
    fs.mkdirSync(folders.exercisesDir);
    fs.writeFileSync(exercisePath(), "// my work\n");
    const run = spawnSync(
      process.execPath,
      [
        path.join(REPOSITORY_ROOT, "node_modules", "ts-node", "dist", "bin.js"),
        "--transpile-only",
        path.join(REPOSITORY_ROOT, "scripts", "exercises", "generate.ts"),
        "--solutions-dir",
        folders.solutionsDir,
        "--exercises-dir",
        folders.exercisesDir,
      ],
      { cwd: REPOSITORY_ROOT, encoding: "utf8" },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("Refused to overwrite 1 file");
    expect(run.stderr).toContain(exercisePath());
    expect(fs.readFileSync(exercisePath(), "utf8")).toBe("// my work\n");
  });
});
