/**
 * A minimal Jupyter client for the tslab kernel, in Node: it starts the project's tslab as a
 * child process, connects over ZeroMQ (shell and control DEALER, IOPub SUB) and executes
 * cells, returning their outputs as nbformat objects. The notebook check, `npm run
 * notebooks:update` and `npm run chapter` all run notebooks through it, so none of them needs
 * Python or Jupyter.
 *
 *   const kernel = await KernelClient.start({ cwd: CHAPTERS_DIR });
 *   const cell = await kernel.execute('console.log(1 + 1)', { timeoutMs: 60_000 });
 *   await kernel.shutdown();
 *
 * It never hangs: startup and every execution have time limits, and a kernel that times out or
 * dies is killed and reported with what it wrote to its own stdout/stderr.
 *
 * tslab specifics worth knowing (tslab 1.0.22, src/jupyter.ts and src/executor.ts):
 * - it reports compile and runtime errors as text on the cell's stderr stream; the
 *   execute_reply says `status: "error"` but carries no ename/evalue/traceback;
 * - after an error it cancels every request that arrives within 200 ms: those come back with
 *   `status: "abort"` and no output. Callers must treat "abort" as a failure;
 * - it prints the value of a cell's last expression to stdout (no execute_result message).
 */
import { type ChildProcess, spawn } from "node:child_process";
import * as zmq from "zeromq";
import { type ConnectionFile, endpoint, writeConnectionFile } from "./connection_file";
import { type JupyterMessage, decodeMessage, encodeMessage, newMessage } from "./jupyter_wire";
import { KERNEL_NAME } from "./kernel_spec";
import type { NotebookOutput } from "./nbformat";
import { type DisplayRegistry, OutputCollector } from "./output_collector";
import { CHAPTERS_DIR, TSLAB_CLI_SCRIPT } from "./project_paths";

/** How long the kernel may take to start and answer, unless a caller says otherwise. */
export const DEFAULT_STARTUP_TIMEOUT_MS = 60_000;
/** How long one cell may run, unless a caller says otherwise. */
export const DEFAULT_CELL_TIMEOUT_MS = 120_000;
/** How much of the kernel's own stdout/stderr is kept for error reports. */
const KERNEL_LOG_LIMIT_CHARS = 200_000;
/** How often kernel_info_request is re-sent while waiting for the kernel to come up. */
const STARTUP_PROBE_INTERVAL_MS = 500;
/** Grace period for a kernel to exit after shutdown_request, then after SIGTERM. */
const SHUTDOWN_GRACE_MS = 2_000;

/** The kernel's verdict on a cell, as its execute_reply says. */
export type CellStatus = "ok" | "error" | "abort";

/** What executing one cell produced. */
export interface CellExecution {
  /** The kernel's verdict. tslab answers "abort" for requests it cancelled after an error. */
  status: CellStatus;
  /** The kernel's execution counter for this cell (null when it was not executed). */
  executionCount: number | null;
  /** The outputs, as nbformat v4 output objects, in the order a front end shows them. */
  outputs: NotebookOutput[];
  /** Everything the cell wrote to its stderr stream; tslab puts its error messages here. */
  stderr: string;
  /** What the kernel process itself wrote to stdout/stderr while this cell ran (rarely anything). */
  kernelLog: string;
  /** ename/evalue/traceback from an error reply (tslab leaves them empty). */
  error?: { ename: string; evalue: string; traceback: string[] };
  durationMs: number;
}

/** How to start a kernel. */
export interface KernelStartOptions {
  /** The kernel's working directory; relative imports in cells resolve from here. */
  cwd?: string;
  startupTimeoutMs?: number;
  /** Extra environment variables for the kernel process. */
  env?: NodeJS.ProcessEnv;
}

/** Options for one cell's execution. */
export interface ExecuteOptions {
  timeoutMs?: number;
}

/** The kernel could not be started, timed out, died, or was already shut down. */
export class KernelError extends Error {
  constructor(
    message: string,
    /** The kernel process's own stdout/stderr, for the report. */
    readonly kernelLog: string,
  ) {
    super(message);
    this.name = "KernelError";
  }
}

/** The kernel did not start, or a cell did not finish, in time; the kernel was stopped. */
export class KernelTimeoutError extends KernelError {
  constructor(message: string, kernelLog: string) {
    super(message, kernelLog);
    this.name = "KernelTimeoutError";
  }
}

/** The kernel process exited while it was starting or running a cell. */
export class KernelDiedError extends KernelError {
  constructor(message: string, kernelLog: string) {
    super(message, kernelLog);
    this.name = "KernelDiedError";
  }
}

interface PendingExecution {
  collector: OutputCollector;
  reply?: JupyterMessage;
  idle: boolean;
  finish(): void;
  fail(error: Error): void;
}

/** Kernels still running, with their connection files: stopped if this process ends first. */
const liveKernels = new Map<ChildProcess, ConnectionFile>();

/** Kills every kernel still running and removes its connection file, synchronously. */
function stopLiveKernels(): void {
  for (const [child, connection] of liveKernels) {
    child.kill("SIGKILL");
    connection.remove();
  }
  liveKernels.clear();
}
process.on("exit", stopLiveKernels);

/** Signals that end a command-line run: Ctrl-C, `kill`, a closed terminal. */
const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
let stopOnSignalsInstalled = false;

/**
 * Makes a signal that ends this process stop its kernels first. tslab ignores SIGINT (in Jupyter
 * it means "interrupt the cell") and Node skips "exit" handlers when a signal kills it, so a
 * Ctrl-C during `npm run chapter` or the notebook check would otherwise leave the kernel running
 * with nobody to stop it. When nothing else listens for the signal, it is raised again so the
 * process still ends the way the signal asks.
 */
function stopKernelsOnSignals(): void {
  if (stopOnSignalsInstalled) return;
  stopOnSignalsInstalled = true;
  for (const signal of STOP_SIGNALS) {
    const handler = (): void => {
      stopLiveKernels();
      if (process.listenerCount(signal) === 1) {
        process.removeListener(signal, handler);
        process.kill(process.pid, signal);
      }
    };
    process.on(signal, handler);
  }
}

/** One running tslab kernel and the sockets to talk to it (see the module comment). */
export class KernelClient {
  private readonly session = newMessage("session", {}, "").header.msg_id;
  private readonly shell = new zmq.Dealer({ linger: 0 });
  private readonly control = new zmq.Dealer({ linger: 0 });
  private readonly iopub = new zmq.Subscriber({ linger: 0 });
  private readonly pending = new Map<string, PendingExecution>();
  private readonly displays: DisplayRegistry = new Map();
  private readonly shellWaiters = new Map<string, (reply: JupyterMessage) => void>();
  private readonly iopubWaiters = new Map<string, () => void>();
  private log = "";
  private closed = false;
  private exitDescription: string | null = null;
  private readonly exitListeners: Array<() => void> = [];
  /** The kernel_info_reply content (language_info etc.). */
  kernelInfo: Record<string, unknown> = {};
  /** Milliseconds from spawning the kernel to its first kernel_info_reply over a ready IOPub. */
  startupMs = 0;

  private constructor(
    private readonly child: ChildProcess,
    private readonly connection: ConnectionFile,
    readonly cwd: string,
  ) {
    liveKernels.set(child, connection);
    stopKernelsOnSignals();
    const append = (chunk: Buffer) => {
      this.log = (this.log + chunk.toString("utf8")).slice(-KERNEL_LOG_LIMIT_CHARS);
    };
    child.stdout?.on("data", append);
    child.stderr?.on("data", append);
    child.on("exit", (code, signal) => {
      liveKernels.delete(child);
      this.exitDescription = signal ? `killed by ${signal}` : `exited with code ${code}`;
      const died = new KernelDiedError(`the kernel ${this.exitDescription}`, this.log);
      for (const execution of this.pending.values()) execution.fail(died);
      for (const listener of this.exitListeners.splice(0)) listener();
    });
  }

  /** Starts tslab and resolves once it answers kernel_info_request and IOPub is connected. */
  static async start(options: KernelStartOptions = {}): Promise<KernelClient> {
    const cwd = options.cwd ?? CHAPTERS_DIR;
    const connection = await writeConnectionFile(KERNEL_NAME);
    const env = { ...process.env, ...options.env };
    // Colours would make outputs differ between a terminal, CI and Jupyter.
    delete env["FORCE_COLOR"];
    const startedAt = Date.now();
    const child = spawn(process.execPath, [TSLAB_CLI_SCRIPT, "kernel", "--config-path", connection.path], {
      cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const kernel = new KernelClient(child, connection, cwd);
    try {
      await kernel.connect(options.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS);
    } catch (error) {
      await kernel.kill();
      throw error;
    }
    kernel.startupMs = Date.now() - startedAt;
    return kernel;
  }

  /** The kernel process id. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Everything the kernel process wrote to its own stdout and stderr so far (tail). */
  get kernelLog(): string {
    return this.log;
  }

  get isAlive(): boolean {
    return !this.closed && this.exitDescription === null;
  }

  /**
   * Executes one cell and waits until the kernel has replied and gone idle (so all outputs
   * are in). Resolves with status "error" or "abort" for failed cells; rejects with a
   * KernelError if the kernel times out (it is then killed) or dies.
   */
  async execute(code: string, options: ExecuteOptions = {}): Promise<CellExecution> {
    this.assertUsable();
    const timeoutMs = options.timeoutMs ?? DEFAULT_CELL_TIMEOUT_MS;
    const request = newMessage(
      "execute_request",
      { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true },
      this.session,
    );
    const startedAt = Date.now();
    const logAtStart = this.log.length;
    return new Promise<CellExecution>((resolve, reject) => {
      const collector = new OutputCollector(this.displays);
      const settle = () => {
        clearTimeout(timer);
        this.pending.delete(request.header.msg_id);
      };
      const execution: PendingExecution = {
        collector,
        idle: false,
        finish: () => {
          settle();
          const content = execution.reply?.content ?? {};
          const status = content["status"] === "ok" || content["status"] === "abort" ? content["status"] : "error";
          const result: CellExecution = {
            status,
            executionCount: typeof content["execution_count"] === "number" ? content["execution_count"] : null,
            outputs: collector.outputs,
            stderr: collector.stderrText(),
            kernelLog: this.log.slice(Math.min(logAtStart, this.log.length)),
            durationMs: Date.now() - startedAt,
          };
          if (status === "error") {
            result.error = {
              ename: String(content["ename"] ?? ""),
              evalue: String(content["evalue"] ?? ""),
              traceback: Array.isArray(content["traceback"]) ? content["traceback"].map(String) : [],
            };
          }
          resolve(result);
        },
        fail: (error) => {
          settle();
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        const error = new KernelTimeoutError(
          `the cell did not finish within ${timeoutMs} ms; the kernel was stopped`,
          this.log,
        );
        execution.fail(error);
        this.child.kill("SIGKILL");
        this.close();
      }, timeoutMs);
      this.pending.set(request.header.msg_id, execution);
      this.shell.send(encodeMessage(request, this.connection.info.key)).catch((error: Error) => {
        execution.fail(new KernelError(`could not send the cell to the kernel: ${error.message}`, this.log));
      });
    });
  }

  /** Asks the kernel to shut down, then makes sure it is gone. Safe to call twice. */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    if (this.exitDescription === null) {
      const request = newMessage("shutdown_request", { restart: false }, this.session);
      await this.control.send(encodeMessage(request, this.connection.info.key)).catch(() => undefined);
      if (!(await this.waitForExit(SHUTDOWN_GRACE_MS))) {
        // tslab closes its sockets on shutdown_request but may keep the process alive.
        this.child.kill("SIGTERM");
        if (!(await this.waitForExit(SHUTDOWN_GRACE_MS))) this.child.kill("SIGKILL");
      }
    }
    this.close();
  }

  /** Stops the kernel at once (used on timeouts). */
  async kill(): Promise<void> {
    if (this.exitDescription === null) {
      this.child.kill("SIGKILL");
      await this.waitForExit(SHUTDOWN_GRACE_MS);
    }
    this.close();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    const stopped = new KernelError("the kernel was shut down", this.log);
    for (const execution of this.pending.values()) execution.fail(stopped);
    for (const socket of [this.shell, this.control, this.iopub]) socket.close();
    this.connection.remove();
  }

  private assertUsable(): void {
    if (this.closed) throw new KernelError("the kernel was shut down", this.log);
    if (this.exitDescription !== null) {
      throw new KernelDiedError(`the kernel ${this.exitDescription}`, this.log);
    }
  }

  private waitForExit(timeoutMs: number): Promise<boolean> {
    if (this.exitDescription !== null) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.exitListeners.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /**
   * Connects the sockets and probes with kernel_info_request until the kernel answers on
   * shell and one of its status messages has arrived on IOPub. (A SUB socket only receives
   * messages published after its subscription reached the publisher, so waiting for a reply
   * on shell alone could lose the first cell's output.)
   */
  private async connect(timeoutMs: number): Promise<void> {
    const info = this.connection.info;
    this.shell.connect(endpoint(info, info.shell_port));
    this.control.connect(endpoint(info, info.control_port));
    this.iopub.connect(endpoint(info, info.iopub_port));
    this.iopub.subscribe();
    void this.receiveLoop(this.shell, (message) => this.onShellMessage(message));
    void this.receiveLoop(this.control, () => undefined);
    void this.receiveLoop(this.iopub, (message) => this.onIopubMessage(message));

    let replied: JupyterMessage | null = null;
    let iopubReady = false;
    await new Promise<void>((resolve, reject) => {
      let probe: NodeJS.Timeout | undefined;
      const done = (error?: Error) => {
        clearTimeout(deadline);
        clearInterval(probe);
        this.shellWaiters.clear();
        this.iopubWaiters.clear();
        if (error) reject(error);
        else resolve();
      };
      const checkReady = () => {
        if (replied && iopubReady) {
          this.kernelInfo = replied.content;
          done();
        }
      };
      const sendProbe = () => {
        const request = newMessage("kernel_info_request", {}, this.session);
        this.shellWaiters.set(request.header.msg_id, (reply) => {
          replied ??= reply;
          checkReady();
        });
        this.iopubWaiters.set(request.header.msg_id, () => {
          iopubReady = true;
          checkReady();
        });
        this.shell.send(encodeMessage(request, info.key)).catch(() => undefined);
      };
      const deadline = setTimeout(() => {
        done(new KernelTimeoutError(`the kernel did not answer within ${timeoutMs} ms of starting`, this.log));
      }, timeoutMs);
      this.exitListeners.push(() =>
        done(new KernelDiedError(`the kernel ${this.exitDescription} while starting`, this.log)),
      );
      this.child.once("error", (error) =>
        done(new KernelError(`could not start the kernel: ${error.message}`, this.log)),
      );
      sendProbe();
      probe = setInterval(sendProbe, STARTUP_PROBE_INTERVAL_MS);
    });
  }

  private async receiveLoop(socket: zmq.Dealer | zmq.Subscriber, onMessage: (message: JupyterMessage) => void) {
    try {
      for await (const frames of socket) {
        let message: JupyterMessage;
        try {
          message = decodeMessage(frames, this.connection.info.key);
        } catch (error) {
          this.log += `\n[kernel client] dropped a malformed message: ${(error as Error).message}\n`;
          continue;
        }
        onMessage(message);
      }
    } catch (error) {
      if (!this.closed) this.log += `\n[kernel client] socket error: ${(error as Error).message}\n`;
    }
  }

  private onShellMessage(message: JupyterMessage): void {
    const parentId = message.parent_header.msg_id;
    if (!parentId) return;
    this.shellWaiters.get(parentId)?.(message);
    const execution = this.pending.get(parentId);
    if (execution && message.header.msg_type === "execute_reply") {
      execution.reply = message;
      if (execution.idle) execution.finish();
    }
  }

  private onIopubMessage(message: JupyterMessage): void {
    const parentId = message.parent_header.msg_id;
    if (!parentId) return;
    this.iopubWaiters.get(parentId)?.();
    const execution = this.pending.get(parentId);
    if (!execution) return;
    if (message.header.msg_type === "status") {
      if (message.content["execution_state"] === "idle") {
        execution.idle = true;
        if (execution.reply) execution.finish();
      }
      return;
    }
    execution.collector.handle(message);
  }
}
