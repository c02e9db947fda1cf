/**
 * Sample vitest JSON reports and progress files (tests/fixtures/grading/reports/), recorded from
 * real runs and trimmed. They hold "<root>" where the repository path was, so they work from
 * any checkout.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { REPOSITORY_ROOT } from "../../../scripts/exercises/exercise_catalog";
import { type RunProgress, readProgress } from "../../../scripts/grading/progress_events";
import { type VitestJsonReport, parseVitestReport } from "../../../scripts/grading/vitest_report";

const REPORTS_DIR = path.join(REPOSITORY_ROOT, "tests", "fixtures", "grading", "reports");

function readSample(file: string): string {
  return fs.readFileSync(path.join(REPORTS_DIR, file), "utf8").split("<root>").join(REPOSITORY_ROOT);
}

export function sampleReport(name: "passed" | "failing" | "not_started" | "load_error"): VitestJsonReport {
  return parseVitestReport(readSample(`${name}.json`));
}

export function sampleProgress(name: "not_started" | null): RunProgress {
  return readProgress(name === null ? "" : readSample(`${name}.progress.jsonl`));
}

/** The learner's folder in the samples. */
export const SAMPLE_EXERCISE_DIR = path.join(REPOSITORY_ROOT, "exercises");
