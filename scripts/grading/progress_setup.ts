/**
 * Setup file of grading runs: records, inside the test worker and synchronously, when each test
 * starts and ends. Reporter events travel to the main vitest process in batches, and a test
 * whose code never returns blocks the worker before the batch is sent; these lines are on disk
 * already, which lets the grader name the test that was stopped.
 */
import * as fs from "node:fs";
import { afterEach, beforeEach } from "vitest";
import type { ProgressEvent } from "./progress_events";

const progressFile = process.env.GRADING_PROGRESS_FILE;

function record(event: ProgressEvent): void {
  if (progressFile) fs.appendFileSync(progressFile, JSON.stringify(event) + "\n");
}

if (progressFile) {
  beforeEach((context) => record({ event: "start", test: context.task.fullTestName ?? context.task.name }));
  afterEach((context) => record({ event: "end", test: context.task.fullTestName ?? context.task.name }));
}
