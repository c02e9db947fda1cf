import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import GradingProgressReporter, { MAX_CONSOLE_CHARS } from "../../../scripts/grading/progress_reporter";
import { readProgress } from "../../../scripts/grading/progress_events";

describe("GradingProgressReporter", () => {
  let dir: string;
  let file: string;
  const previous = process.env.GRADING_PROGRESS_FILE;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "progress-"));
    file = path.join(dir, "progress.jsonl");
    process.env.GRADING_PROGRESS_FILE = file;
  });

  afterEach(() => {
    if (previous === undefined) delete process.env.GRADING_PROGRESS_FILE;
    else process.env.GRADING_PROGRESS_FILE = previous;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("records what a test printed and which test it was", () => {
    const reporter = new GradingProgressReporter();
    reporter.onUserConsoleLog({ content: "debug 1\n", type: "stdout", taskId: "t1" });
    reporter.onUserConsoleLog({ content: "outside\n", type: "stderr" });
    reporter.onTestCaseResult({ id: "t1", fullName: "suite > test", result: () => ({ state: "failed", errors: [] }) });
    expect(readProgress(fs.readFileSync(file, "utf8")).console).toEqual([
      { test: "suite > test", text: "debug 1\n" },
      { test: null, text: "outside\n" },
    ]);
  });

  it("stops recording console output past its limit, and says it cut some", () => {
    const reporter = new GradingProgressReporter();
    const chunk = "x".repeat(MAX_CONSOLE_CHARS / 4 + 1) + "\n";
    for (let i = 0; i < 10; i++) reporter.onUserConsoleLog({ content: chunk, type: "stdout" });
    const text = readProgress(fs.readFileSync(file, "utf8")).console.map((c) => c.text).join("");
    expect(text.length).toBeLessThan(MAX_CONSOLE_CHARS + 100);
    expect(text.startsWith(chunk.repeat(3))).toBe(true);
    expect(text.endsWith("… (the rest of the console output was cut)\n")).toBe(true);
  });
});
