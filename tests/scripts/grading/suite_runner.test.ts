/**
 * End-to-end: the grader's runner starts a real vitest child on the fixture suites in
 * tests/fixtures/grading/ (suites/*.suite.ts, exercises/*.ts) and the result is summarised and
 * rendered as a learner would see it.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { REPOSITORY_ROOT } from "../../../scripts/exercises/exercise_catalog";
import { gradeExercise } from "../../../scripts/grading/grade_exercise";
import { runSuite } from "../../../scripts/grading/suite_runner";
import { summariseRun } from "../../../scripts/grading/summarise";
import { EXERCISE_DETAIL, renderExercise, terminalStyle } from "../../../scripts/grading/grade_report";

const FIXTURES = path.join(REPOSITORY_ROOT, "tests", "fixtures", "grading");
const options = (timeoutMs: number, seed?: string) => ({
  timeoutMs,
  seed,
  folders: { solutionsDir: path.join(FIXTURES, "no-solutions"), exercisesDir: path.join(FIXTURES, "exercises") },
  suiteFor: (name: string) => path.join(FIXTURES, "suites", `${name}.suite.ts`),
});

/** The 1-based line of the fixture exercise that carries `marker` in a comment. */
function lineOf(file: string, marker: string): number {
  return fs.readFileSync(file, "utf8").split("\n").findIndex((l) => l.includes(marker)) + 1;
}

describe("grading a fixture exercise through a vitest child process", () => {
  it("classifies each test and points at the learner's line", async () => {
    const graded = await gradeExercise({ name: "mixed", chapter: "00", title: "fixture" }, options(60_000, "77"));
    const { summary } = graded;
    expect(summary.status).toEqual({ kind: "failing", failed: 4, total: 5 });
    const byTest = new Map(summary.failures.map((f) => [f.test, f]));
    expect(byTest.get("mixed > doubles")).toMatchObject({ kind: "assertion", message: "double(4): expected 12 to be 8" });
    expect(byTest.get("mixed > reads the first letter")).toMatchObject({
      kind: "learner-error",
      thrown: { type: "TypeError" },
      location: {
        file: "tests/fixtures/grading/exercises/mixed.ts",
        line: lineOf(path.join(FIXTURES, "exercises", "mixed.ts"), "// learner-throw"),
      },
    });
    expect(byTest.get("mixed > is finished later")).toMatchObject({ kind: "not-implemented", functionName: "later" });
    // The seed given to the grader reaches the suite as REPLAY_SEED.
    expect(byTest.get("mixed > replays a seed")?.replay).toEqual(["seed 77 failed", "replay: npm run grade mixed -- --seed 77"]);

    const text = renderExercise(graded, EXERCISE_DETAIL, terminalStyle(false)).join("\n");
    expect(text).not.toMatch(/^\s+at |node_modules/m);
  });
});

describe("the learner's console output", () => {
  it("reaches the grader, named by the test that printed it", async () => {
    // The fixture folder has no printing exercise: write one, with its suite, to a scratch folder.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "grade-console-"));
    try {
      fs.mkdirSync(path.join(dir, "exercises"));
      fs.writeFileSync(
        path.join(dir, "exercises", "printing.ts"),
        'export function shout(s: string): string {\n  console.log("learner debug:", s);\n  return s;\n}\n',
      );
      fs.writeFileSync(
        path.join(dir, "printing.suite.ts"),
        [
          'import { expect, it } from "vitest";',
          'import { shout } from "@exercise/printing";',
          'it("shouts", () => { expect(shout("a")).toBe("A!"); });',
          'it("whispers", () => { console.error("suite note"); });',
        ].join("\n"),
      );
      const graded = await gradeExercise(
        { name: "printing", chapter: "00", title: "fixture" },
        {
          timeoutMs: 60_000,
          folders: { solutionsDir: path.join(dir, "no-solutions"), exercisesDir: path.join(dir, "exercises") },
          suiteFor: () => path.join(dir, "printing.suite.ts"),
        },
      );
      expect(graded.summary.status).toEqual({ kind: "failing", failed: 1, total: 2 });
      expect(graded.console).toEqual([
        { test: "shouts", text: "learner debug: a\n" },
        { test: "whispers", text: "suite note\n" },
      ]);
      const text = renderExercise(graded, EXERCISE_DETAIL, terminalStyle(false)).join("\n");
      expect(text).toMatch(/✗ shouts\n.*\n\s+its console output:\n\s+learner debug: a/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * Processes of a process group that are still running, from /proc (Linux). Killed processes
 * whose parent died may linger as zombies until init reaps them: they run nothing, so they do
 * not count.
 */
function runningMembersOfGroup(pgid: number): number[] {
  const running: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // exited while we looked
    }
    // "pid (command) state ppid pgrp ...": the command may contain spaces, so split after ")".
    const [state, , group] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(group) === pgid && state !== "Z" && state !== "X") running.push(Number(entry));
  }
  return running;
}

describe("the hard time limit", () => {
  it("kills a suite whose exercise loops forever, leaves no process behind, and says so", async () => {
    const exerciseDir = path.join(FIXTURES, "exercises");
    const outcome = await runSuite({ suiteFile: path.join(FIXTURES, "suites", "looping.suite.ts"), exerciseDir, timeoutMs: 5_000 });
    expect(outcome.kind).toBe("timed-out");
    expect(runningMembersOfGroup(outcome.pid)).toEqual([]);

    const summary = summariseRun(outcome, { exerciseDir });
    expect(summary.status).toEqual({ kind: "timed-out", timeoutMs: 5_000, runningTests: ["terminates"] });
    const graded = {
      entry: { name: "looping", chapter: "00", title: "fixture" },
      summary,
      rawOutput: outcome.output,
      console: outcome.progress.console,
    };
    const text = renderExercise(graded, EXERCISE_DETAIL, terminalStyle(false)).join("\n");
    expect(text).toContain("looping: stopped after 5 s: your code may loop forever");
    expect(text).toContain("it was running: terminates");
  });
});

describe("stopping the grader mid-run", () => {
  it("stopAllRuns removes the runs' scratch folders, so Ctrl-C leaves nothing in the temporary folder", async () => {
    // A grader process that starts a run, then is interrupted (grade.ts calls stopAllRuns and exits).
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "grade-interrupted-"));
    try {
      const script = [
        `const { runSuite, stopAllRuns } = require("./scripts/grading/suite_runner");`,
        `runSuite({ suiteFile: ${JSON.stringify(path.join(FIXTURES, "suites", "looping.suite.ts"))},`,
        `  exerciseDir: ${JSON.stringify(path.join(FIXTURES, "exercises"))}, timeoutMs: 60000 });`,
        `setTimeout(() => { stopAllRuns(); process.exit(130); }, 1000);`,
      ].join("\n");
      const code = await new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], {
          cwd: REPOSITORY_ROOT,
          env: { ...process.env, TMPDIR: tmp },
          stdio: "ignore",
        });
        child.on("exit", resolve);
      });
      expect(code).toBe(130);
      expect(fs.readdirSync(tmp).filter((f) => f.startsWith("grade-"))).toEqual([]);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
