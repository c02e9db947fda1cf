import { describe, expect, it } from "vitest";
import type { GradedExercise } from "../../../scripts/grading/grade_exercise";
import { EXERCISE_DETAIL, OVERVIEW_DETAIL, renderExercise, renderTable, terminalStyle } from "../../../scripts/grading/grade_report";
import { type ExerciseSummary, summariseRun } from "../../../scripts/grading/summarise";
import { unwrittenFunctions } from "../../../scripts/grading/unwritten_functions";
import { SAMPLE_EXERCISE_DIR, sampleProgress, sampleReport } from "./sample_reports";

const plain = terminalStyle(false);
const entry = { name: "failover_coordinator", chapter: "02", title: "Failover coordinator" };

function graded(summary: ExerciseSummary): GradedExercise {
  return { entry, summary, rawOutput: "", console: [] };
}

const failing = graded(
  summariseRun({ kind: "completed", report: sampleReport("failing"), progress: sampleProgress(null) }, { exerciseDir: SAMPLE_EXERCISE_DIR }),
);
const notStarted = graded(
  summariseRun({ kind: "completed", report: sampleReport("not_started"), progress: sampleProgress("not_started") }, { exerciseDir: SAMPLE_EXERCISE_DIR }),
);

/** Anything that looks like a stack frame or a path into the grader's or vitest's code. */
const GRADER_TRACE = /^\s+at |node_modules|grading\/.*\.test\.ts:\d+|chunk-artifact/m;

describe("renderTable", () => {
  it("shows chapter, name and status of each exercise, and the count passed", () => {
    const table = renderTable([failing, notStarted], plain);
    const rows = table.split("\n");
    expect(rows[1]).toMatch(/^02\s+failover_coordinator\s+failing \(3 of 4 tests\)\s+Failover coordinator$/);
    expect(rows[2]).toMatch(/^02\s+failover_coordinator\s+not started\s+/);
    expect(table).toContain("0 of 2 exercises passed.");
  });

  it("uses no escape codes without a terminal and colours with one", () => {
    expect(renderTable([failing], plain)).not.toContain("\u001b[");
    expect(renderTable([failing], terminalStyle(true))).toContain("\u001b[33m");
  });
});

describe("renderExercise", () => {
  it("overview: the first failure only, in plain words, never a stack trace", () => {
    const text = renderExercise(failing, OVERVIEW_DETAIL, plain).join("\n");
    expect(text).toContain("✗ validateSafeFailover > counts the old leader in the cluster size");
    expect(text).toContain("expected true to be false");
    expect(text).toContain("… and 2 more failing tests: npm run grade failover_coordinator");
    expect(text).not.toMatch(GRADER_TRACE);
  });

  it("one exercise: every failure, where the learner's code threw, and the replay command", () => {
    const text = renderExercise(failing, EXERCISE_DETAIL, plain).join("\n");
    expect(text).toContain("your code threw TypeError: Cannot read properties of undefined (reading 'lastLsn') at exercises/failover_coordinator.ts:81");
    expect(text).toContain("seed 20261124 failed");
    expect(text).toContain("replay: npm run grade failover_coordinator -- --seed 20261124");
    expect(text).toContain("1 of 4 tests pass.");
    expect(text).not.toMatch(GRADER_TRACE);
  });

  it("not started: where to begin and what is left", () => {
    const text = renderExercise(notStarted, EXERCISE_DETAIL, plain).join("\n");
    expect(text).toContain("Start with validateSafeFailover (exercises/failover_coordinator.ts:37).");
    expect(text).toContain("Still to write: validateSafeFailover, electNewLeader.");
    expect(renderExercise(notStarted, OVERVIEW_DETAIL, plain)).toEqual([]);
  });

  it("not started: also lists the functions the tests did not reach but that still throw notImplemented", () => {
    const text = renderExercise({ ...notStarted, unwritten: ["validateSafeFailover", "electNewLeader", "fenceOldLeader"] }, EXERCISE_DETAIL, plain).join("\n");
    expect(text).toContain("Still to write: validateSafeFailover, electNewLeader, fenceOldLeader.");
  });

  it("finds every notImplemented name in a source file, in order, ignoring comment lines", () => {
    const source = [
      "// throw notImplemented(\"inComment\")",
      " * see notImplemented(\"inDocComment\")",
      "function a() { throw notImplemented(\"a\"); }",
      "function b() {",
      "  throw notImplemented('B.method');",
      "}",
      "function c() { throw notImplemented(\"a\"); }",
    ].join("\n");
    expect(unwrittenFunctions(source)).toEqual(["a", "B.method"]);
  });

  it("a run stopped at the time limit says the code may loop forever", () => {
    const stopped = graded({
      status: { kind: "timed-out", timeoutMs: 120_000, runningTests: ["electNewLeader > promotes"] },
      failures: [],
      passed: 0,
      total: 0,
    });
    const text = renderExercise(stopped, OVERVIEW_DETAIL, plain).join("\n");
    expect(text).toContain("stopped after 120 s: your code may loop forever");
    expect(text).toContain("it was running: electNewLeader > promotes");
  });
});

describe("renderExercise and the tests' console output", () => {
  const failedTest = failing.summary.failures[0]!.test;
  const printing: GradedExercise = {
    ...failing,
    console: [
      { test: failedTest, text: "my debug line\n" },
      { test: "some > passing test", text: "from a passing test\n" },
      { test: null, text: "while loading\n" },
    ],
  };

  it("one exercise: what a failed test printed under it, the rest after everything", () => {
    const lines = renderExercise(printing, EXERCISE_DETAIL, plain);
    const text = lines.join("\n");
    const failure = lines.findIndex((l) => l.includes(`✗ ${failedTest}`));
    const own = lines.findIndex((l) => l.includes("its console output:"));
    const nextFailure = lines.findIndex((l, i) => i > failure && l.includes("✗ "));
    expect(failure).toBeGreaterThanOrEqual(0);
    expect(own).toBeGreaterThan(failure);
    expect(own).toBeLessThan(nextFailure);
    expect(lines[own + 1]?.trim()).toBe("my debug line");
    expect(text).toMatch(/console output of the other tests:\n\s+from a passing test\n\s+while loading$/);
  });

  it("overview: no console output", () => {
    expect(renderExercise(printing, OVERVIEW_DETAIL, plain).join("\n")).not.toContain("debug line");
  });

  it("an exercise that is not failing shows all of it, cut to the line limit", () => {
    const many = Array.from({ length: EXERCISE_DETAIL.maxConsoleLines + 5 }, (_, i) => `line ${i + 1}\n`).join("");
    const passed = graded({ status: { kind: "passed", total: 1 }, failures: [], passed: 1, total: 1 });
    const text = renderExercise({ ...passed, console: [{ test: "t", text: many }] }, EXERCISE_DETAIL, plain).join("\n");
    expect(text).toContain(`console output while the tests ran (first ${EXERCISE_DETAIL.maxConsoleLines} of ${EXERCISE_DETAIL.maxConsoleLines + 5} lines):`);
    expect(text).toContain(`line ${EXERCISE_DETAIL.maxConsoleLines}\n`);
    expect(text).not.toContain(`line ${EXERCISE_DETAIL.maxConsoleLines + 1}\n`);
    expect(text).toContain("… 5 more lines not shown");
  });
});
