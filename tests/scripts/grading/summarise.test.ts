import { describe, expect, it } from "vitest";
import { readProgress } from "../../../scripts/grading/progress_events";
import { statusLabel, summariseRun } from "../../../scripts/grading/summarise";
import { SAMPLE_EXERCISE_DIR, sampleProgress, sampleReport } from "./sample_reports";

const context = { exerciseDir: SAMPLE_EXERCISE_DIR };

describe("summariseRun on sample vitest reports", () => {
  it("passed: every test that ran passed (skipped tests do not count)", () => {
    const summary = summariseRun({ kind: "completed", report: sampleReport("passed"), progress: sampleProgress(null) }, context);
    expect(summary.status).toEqual({ kind: "passed", total: 2 });
    expect(statusLabel(summary.status)).toBe("passed");
  });

  it("failing: counts failed tests and explains each one", () => {
    const summary = summariseRun({ kind: "completed", report: sampleReport("failing"), progress: sampleProgress(null) }, context);
    expect(summary.status).toEqual({ kind: "failing", failed: 3, total: 4 });
    expect(statusLabel(summary.status)).toBe("failing (3 of 4 tests)");
    const [assertion, thrown, randomised] = summary.failures;
    expect(assertion).toMatchObject({ kind: "assertion", test: "validateSafeFailover > counts the old leader in the cluster size", message: "expected true to be false" });
    expect(thrown).toMatchObject({
      kind: "learner-error",
      thrown: { type: "TypeError" },
      location: { file: "exercises/failover_coordinator.ts", line: 81 },
    });
    expect(randomised?.replay).toEqual(["seed 20261124 failed", "replay: npm run grade failover_coordinator -- --seed 20261124"]);
    expect(randomised?.message).not.toContain("Enable verbose mode");
  });

  it("not started: every failure is a NotImplementedError, including one wrapped by fast-check", () => {
    const summary = summariseRun({ kind: "completed", report: sampleReport("not_started"), progress: sampleProgress("not_started") }, context);
    expect(summary.status).toEqual({ kind: "not-started", total: 3 });
    expect(summary.failures.map((f) => f.functionName)).toEqual(["validateSafeFailover", "electNewLeader", "electNewLeader"]);
    expect(statusLabel(summary.status)).toBe("not started");
  });

  it("without the progress file the fast-check wrapper hides the cause, so the run counts as failing", () => {
    const summary = summariseRun({ kind: "completed", report: sampleReport("not_started"), progress: sampleProgress(null) }, context);
    expect(summary.status).toEqual({ kind: "failing", failed: 3, total: 3 });
  });

  it("an unchanged starter is not started even when some failures are not NotImplementedErrors", () => {
    const summary = summariseRun(
      { kind: "completed", report: sampleReport("failing"), progress: sampleProgress(null) },
      { ...context, starterUnchanged: true },
    );
    expect(summary.status.kind).toBe("not-started");
  });

  it("a file that does not load: the parse error and the learner's line", () => {
    const summary = summariseRun({ kind: "completed", report: sampleReport("load_error"), progress: sampleProgress(null) }, context);
    expect(summary.status).toMatchObject({ kind: "load-error", location: { file: "exercises/failover_coordinator.ts", line: 44 } });
    if (summary.status.kind === "load-error") {
      expect(summary.status.message).toContain("[PARSE_ERROR] Unexpected token");
      expect(summary.status.message).not.toContain("\u001b[");
    }
  });

  it("a run stopped at the time limit names the test that was running", () => {
    const progress = readProgress(
      ['{"event":"start","test":"a"}', '{"event":"end","test":"a"}', '{"event":"start","test":"b"}', '{"event":"sta'].join("\n"),
    );
    const summary = summariseRun({ kind: "timed-out", timeoutMs: 120_000, progress }, context);
    expect(summary.status).toEqual({ kind: "timed-out", timeoutMs: 120_000, runningTests: ["b"] });
    expect(statusLabel(summary.status)).toBe("stopped after 120 s");
  });

  it("a run without a report is the grader's problem", () => {
    const summary = summariseRun({ kind: "no-report", problem: "vitest wrote no report", exitCode: 1 }, context);
    expect(summary.status).toEqual({ kind: "grader-error", problem: "vitest wrote no report" });
  });
});
