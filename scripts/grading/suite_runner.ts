/**
 * Runs one grading suite against one folder of implementations, in a child vitest process with a
 * hard wall-clock limit.
 *
 * The limit matters because a learner's synchronous infinite loop blocks the test worker's event
 * loop, so vitest's own per-test timeout never fires. The child runs in its own process group
 * and the whole group (vitest and its fork workers) is killed when the limit is reached.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPOSITORY_ROOT } from "../exercises/exercise_catalog";
import { type RunProgress, readProgress } from "./progress_events";
import { type VitestJsonReport, ReportFormatError, parseVitestReport } from "./vitest_report";

/** Default wall-clock limit for one exercise's suite. */
export const DEFAULT_TIMEOUT_MS = 120_000;

const VITEST_CLI = path.join(REPOSITORY_ROOT, "node_modules", "vitest", "vitest.mjs");
const GRADING_CONFIG = path.join(__dirname, "vitest.grading.config.ts");
const PROGRESS_REPORTER = path.join(__dirname, "progress_reporter.ts");
/** Keep at most this much of vitest's own console output (for --verbose and diagnostics). */
const MAX_OUTPUT_CHARS = 200_000;

/** Which suite to run against which folder, with what limits. */
export interface SuiteRunRequest {
  /** The suite to run (absolute path, inside the repository). */
  suiteFile: string;
  /** The folder `@exercise/<name>` resolves to (absolute path). */
  exerciseDir: string;
  /** Wall-clock limit for the whole run, in ms. */
  timeoutMs: number;
  /** Run only this seed in randomised scenarios (REPLAY_SEED). */
  seed?: string | undefined;
}

interface RunCommon {
  /** vitest's own stdout and stderr, interleaved (for diagnostics only: may hold stack traces). */
  output: string;
  /** What the progress reporter recorded. */
  progress: RunProgress;
  /** The child's process id, which was also its process group id. */
  pid: number;
}

/** How a suite run ended: with a report, at the time limit, or without a report. */
export type SuiteRunOutcome =
  | ({ kind: "completed"; report: VitestJsonReport; exitCode: number | null } & RunCommon)
  | ({ kind: "timed-out"; timeoutMs: number } & RunCommon)
  /** vitest ended without writing a report (it crashed, or the configuration is broken). */
  | ({ kind: "no-report"; exitCode: number | null; signal: string | null; problem: string } & RunCommon);

/** Process groups of runs still in progress, with their scratch folders, so an interrupted grader can stop them. */
const liveGroups = new Map<number, string>();

/** Kills a child's whole process group (vitest and its workers); falls back to the child alone. */
function killGroup(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
}

/** Stops every grading run still in progress and removes its scratch folder. Call before exiting on Ctrl-C. */
export function stopAllRuns(): void {
  for (const [pid, scratch] of liveGroups) {
    killGroup(pid);
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  liveGroups.clear();
}

/** Runs the suite and collects its JSON report, or says why there is none. */
export function runSuite(request: SuiteRunRequest): Promise<SuiteRunOutcome> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "grade-"));
  const reportFile = path.join(scratch, "report.json");
  const progressFile = path.join(scratch, "progress.jsonl");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    EXERCISE_DIR: request.exerciseDir,
    GRADING_SUITE: path.relative(REPOSITORY_ROOT, request.suiteFile).split(path.sep).join("/"),
    GRADING_PROGRESS_FILE: progressFile,
    NO_COLOR: "1",
    FORCE_COLOR: "0",
  };
  delete env.REPLAY_SEED;
  if (request.seed !== undefined) env.REPLAY_SEED = request.seed;
  const args = [
    VITEST_CLI,
    "run",
    "--config",
    GRADING_CONFIG,
    "--root",
    REPOSITORY_ROOT,
    "--reporter=json",
    `--reporter=${PROGRESS_REPORTER}`,
    `--outputFile.json=${reportFile}`,
  ];

  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: REPOSITORY_ROOT,
      env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const collect = (chunk: Buffer): void => {
      if (output.length < MAX_OUTPUT_CHARS) output += chunk.toString("utf8");
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);

    const pid = child.pid;
    if (pid === undefined) {
      child.on("error", (err) => {
        fs.rmSync(scratch, { recursive: true, force: true });
        reject(new Error(`could not start vitest: ${err.message}`));
      });
      return;
    }
    liveGroups.set(pid, scratch);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(pid);
    }, request.timeoutMs);

    child.on("error", (err) => {
      clearTimeout(timer);
      liveGroups.delete(pid);
      reject(new Error(`could not start vitest: ${err.message}`));
    });
    child.on("close", (exitCode, signal) => {
      clearTimeout(timer);
      // Fork workers may outlive a vitest that crashed; never leave them running.
      killGroup(pid);
      liveGroups.delete(pid);
      const progress = readProgress(readIfExists(progressFile) ?? "");
      const reportText = readIfExists(reportFile);
      fs.rmSync(scratch, { recursive: true, force: true });
      const common: RunCommon = { output, progress, pid };
      if (timedOut) {
        resolve({ kind: "timed-out", timeoutMs: request.timeoutMs, ...common });
        return;
      }
      if (reportText === undefined) {
        resolve({ kind: "no-report", exitCode, signal, problem: "vitest wrote no report", ...common });
        return;
      }
      try {
        resolve({ kind: "completed", report: parseVitestReport(reportText), exitCode, ...common });
      } catch (err) {
        const problem = err instanceof ReportFormatError ? err.message : `unreadable vitest report: ${String(err)}`;
        resolve({ kind: "no-report", exitCode, signal, problem, ...common });
      }
    });
  });
}

function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}
