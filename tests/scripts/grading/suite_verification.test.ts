import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { REPOSITORY_ROOT } from "../../../scripts/exercises/exercise_catalog";
import { layoutProblems, verifyExercise } from "../../../scripts/grading/suite_verification";

const entry = (name: string) => ({ name, chapter: "01", title: name });

describe("layoutProblems", () => {
  it("accepts exercises that each have a suite and a registry entry", () => {
    expect(layoutProblems(["a", "b"], ["a", "b"], [entry("a"), entry("b")])).toEqual([]);
  });

  it("reports an exercise without a suite, a suite without an exercise and registry mismatches", () => {
    const problems = layoutProblems(["a", "b"], ["a", "c"], [entry("a"), entry("d")]);
    expect(problems).toHaveLength(4);
    expect(problems.join("\n")).toContain("exercise b has no grading suite: write grading/b.test.ts");
    expect(problems.join("\n")).toContain("suite grading/c.test.ts has no exercise");
    expect(problems.join("\n")).toContain("exercise b is not listed in grading/exercises.json");
    expect(problems.join("\n")).toContain("lists d, which has no solutions/d.ts");
  });
});

describe("verifyExercise", () => {
  it("rejects a suite that passes on the starter", async () => {
    const starters = fs.mkdtempSync(path.join(os.tmpdir(), "starters-"));
    try {
      const suite = path.join(REPOSITORY_ROOT, "tests", "fixtures", "grading", "suites", "trivial.suite.ts");
      const problems = await verifyExercise("trivial", starters, 60_000, suite);
      expect(problems).toEqual([
        "suite trivial passes on the starter file: it cannot tell a correct implementation from a missing one " +
          "(all 1 tests pass on the generated exercises/trivial.ts)",
      ]);
    } finally {
      fs.rmSync(starters, { recursive: true, force: true });
    }
  });
});
