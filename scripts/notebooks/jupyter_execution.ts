/**
 * The second way to execute a notebook: through real Jupyter (`jupyter nbconvert --execute`)
 * with the project-local kernel spec. CI uses it to prove the route a learner takes in the
 * browser works too (kernel spec, JUPYTER_PATH, kernel start-up by Jupyter).
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { findExecutable, jupyterPathWith } from "./find_executable";
import { KERNEL_NAME, writeKernelSpec } from "./kernel_spec";
import { type Notebook, readNotebook } from "./nbformat";
import { LOCAL_JUPYTER_DIR } from "./project_paths";

/** How to install Jupyter with nbconvert, for error messages. */
export const INSTALL_JUPYTER_HINT = [
  "Install Jupyter with one of:",
  "  Debian/Ubuntu:  sudo apt-get install jupyter-notebook jupyter-nbconvert python3-nbclient",
  "  pip:            pip install notebook nbconvert",
  "  conda:          conda install -c conda-forge notebook nbconvert",
  "  Homebrew:       brew install jupyterlab",
].join("\n");

/** Jupyter or its nbconvert is not installed; the message says how to install it. */
export class JupyterMissingError extends Error {
  constructor(what: string) {
    super(`${what}\n${INSTALL_JUPYTER_HINT}`);
    this.name = "JupyterMissingError";
  }
}

/** The `jupyter` command if it is on PATH and has nbconvert; throws JupyterMissingError otherwise. */
export function requireJupyterNbconvert(): string {
  const jupyter = findExecutable("jupyter");
  if (!jupyter) throw new JupyterMissingError("The Jupyter route needs `jupyter` on PATH, and it is not there.");
  const probe = spawnSync(jupyter, ["nbconvert", "--version"], { encoding: "utf8", timeout: 60_000 });
  if (probe.status !== 0) {
    throw new JupyterMissingError(
      `\`jupyter nbconvert --version\` failed (${probe.error?.message ?? (probe.stderr || "").trim().split("\n").pop() ?? "no output"}).`,
    );
  }
  return jupyter;
}

/** The outcome of executing a notebook with nbconvert. */
export interface NbconvertRun {
  /** The executed notebook, when nbconvert succeeded. */
  notebook: Notebook | null;
  exitCode: number | null;
  timedOut: boolean;
  /** The useful part of nbconvert's stderr (the cell error block, or its last lines). */
  errorReport: string;
  durationMs: number;
}

/**
 * Executes `file` with nbconvert in the notebook's own folder (nbconvert's default), writing
 * the result to a temporary folder; the committed file is never touched. Errors are never
 * allowed, not even in cells tagged `raises-exception`.
 */
export async function executeWithNbconvert(
  file: string,
  options: { jupyter: string; cellTimeoutMs: number; overallTimeoutMs: number },
): Promise<NbconvertRun> {
  writeKernelSpec();
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "replication-course-nbconvert-"));
  const startedAt = Date.now();
  const args = [
    "nbconvert",
    "--to",
    "notebook",
    "--execute",
    `--ExecutePreprocessor.kernel_name=${KERNEL_NAME}`,
    `--ExecutePreprocessor.timeout=${Math.ceil(options.cellTimeoutMs / 1000)}`,
    "--ExecutePreprocessor.startup_timeout=120",
    "--ExecutePreprocessor.force_raise_errors=True",
    "--output-dir",
    outDir,
    "--output",
    "executed",
    path.resolve(file),
  ];
  const env: NodeJS.ProcessEnv = { ...process.env, JUPYTER_PATH: jupyterPathWith(LOCAL_JUPYTER_DIR) };
  delete env["FORCE_COLOR"];
  try {
    const { exitCode, stderr, timedOut } = await runProcessGroup(options.jupyter, args, env, options.overallTimeoutMs);
    const executedFile = path.join(outDir, "executed.ipynb");
    const ok = exitCode === 0 && fs.existsSync(executedFile);
    return {
      notebook: ok ? readNotebook(executedFile) : null,
      exitCode,
      timedOut,
      errorReport: ok ? "" : extractErrorReport(stderr, timedOut, options.overallTimeoutMs),
      durationMs: Date.now() - startedAt,
    };
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
}

/** Keeps nbconvert's cell error block (or the tail of its stderr). */
export function extractErrorReport(stderr: string, timedOut: boolean, overallTimeoutMs: number): string {
  if (timedOut) return `nbconvert did not finish within ${overallTimeoutMs} ms and was stopped.\n${tail(stderr, 20)}`;
  // The exception line is the first unindented line after the last Python "Traceback".
  const lines = stderr.split(/\r?\n/);
  const traceback = lines.map((line) => line.startsWith("Traceback")).lastIndexOf(true);
  const start = traceback < 0 ? -1 : lines.findIndex((line, index) => index > traceback && /^\S/.test(line));
  return start >= 0 ? lines.slice(start).join("\n").trim() : tail(stderr, 30);
}

function tail(text: string, lines: number): string {
  return text.trim().split(/\r?\n/).slice(-lines).join("\n");
}

/**
 * Runs a command in its own process group so that on a timeout the kernel Jupyter started is
 * stopped together with Jupyter itself.
 */
function runProcessGroup(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<{ exitCode: number | null; stderr: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "ignore", "pipe"], detached: process.platform !== "win32" });
    let stderr = "";
    let timedOut = false;
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-100_000);
    });
    const killGroup = () => {
      try {
        if (child.pid !== undefined && process.platform !== "win32") process.kill(-child.pid, "SIGKILL");
        else child.kill("SIGKILL");
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, timeoutMs);
    const onExit = () => killGroup();
    process.once("exit", onExit);
    child.on("error", (error) => {
      stderr += `\n${error.message}`;
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      process.removeListener("exit", onExit);
      resolve({ exitCode: code, stderr, timedOut });
    });
  });
}
