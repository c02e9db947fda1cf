/**
 * The kernel client against the real tslab kernel: outputs, errors, tslab's "abort" after an
 * error, and the time limit that keeps a looping cell from hanging the check.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KernelClient, KernelTimeoutError } from "../../../scripts/notebooks/kernel_client";
import { PROJECT_ROOT } from "../../../scripts/notebooks/project_paths";

const FIXTURE_DIR = path.resolve(__dirname, "../../fixtures/notebooks/ok");
const KERNEL_TEST = { timeout: 60_000 };

describe("KernelClient", () => {
  let kernel: KernelClient;

  beforeAll(async () => {
    kernel = await KernelClient.start({ cwd: FIXTURE_DIR });
  }, 60_000);

  afterAll(async () => {
    await kernel?.shutdown();
  }, 30_000);

  it("reports what kernel it talks to", () => {
    expect(kernel.kernelInfo["implementation"]).toBe("tslab");
    expect(kernel.startupMs).toBeGreaterThan(0);
  });

  it("returns a cell's stdout and display data as nbformat outputs", KERNEL_TEST, async () => {
    const cell = await kernel.execute('import * as tslab from "tslab";\nconsole.log(1 + 1);\ntslab.display.html("<b>hi</b>");');
    expect(cell.status).toBe("ok");
    expect(cell.executionCount).toBeGreaterThan(0);
    expect(cell.outputs).toEqual([
      { output_type: "stream", name: "stdout", text: "2\n" },
      { output_type: "display_data", data: { "text/html": "<b>hi</b>" }, metadata: {} },
    ]);
  });

  it("shows a cell's last expression on stdout (tslab sends no execute_result)", KERNEL_TEST, async () => {
    const cell = await kernel.execute("const answer: number = 6 * 7;\nanswer");
    expect(cell.status).toBe("ok");
    expect(cell.outputs).toEqual([{ output_type: "stream", name: "stdout", text: "42\n" }]);
  });

  it("keeps state between cells, in the given working directory", KERNEL_TEST, async () => {
    await kernel.execute("let counter = 1;");
    const cell = await kernel.execute('counter += 1;\nconsole.log(counter, require("node:path").basename(process.cwd()));');
    expect(cell.outputs).toEqual([{ output_type: "stream", name: "stdout", text: "2 ok\n" }]);
  });

  it("reports a throwing cell as an error, with tslab's message on stderr", KERNEL_TEST, async () => {
    const cell = await kernel.execute('throw new Error("boom in a test");');
    expect(cell.status).toBe("error");
    // tslab leaves the error reply's name and value empty: the message is only on stderr.
    expect(cell.error).toEqual({ ename: "", evalue: "", traceback: [] });
    expect(cell.stderr).toContain("boom in a test");
  });

  it("reports a type error as an error", KERNEL_TEST, async () => {
    await new Promise((resolve) => setTimeout(resolve, 300)); // let tslab's 200 ms abort window pass
    const cell = await kernel.execute('const n: number = "not a number";');
    expect(cell.status).toBe("error");
    expect(cell.stderr).toMatch(/not assignable to type 'number'/);
  });

  it("reports the cell right after an error as aborted, with no output", KERNEL_TEST, async () => {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const failing = kernel.execute('throw new Error("first");');
    const next = kernel.execute('console.log("never printed");');
    expect((await failing).status).toBe("error");
    const aborted = await next;
    expect(aborted.status).toBe("abort");
    expect(aborted.outputs).toEqual([]);
  });
});

describe("KernelClient time limits", () => {
  it("stops a cell that runs too long and kills the kernel", KERNEL_TEST, async () => {
    const kernel = await KernelClient.start({ cwd: FIXTURE_DIR });
    try {
      await expect(kernel.execute("while (true) {}", { timeoutMs: 1_500 })).rejects.toBeInstanceOf(KernelTimeoutError);
      expect(kernel.isAlive).toBe(false);
      await expect(kernel.execute("1")).rejects.toThrow(/shut down|killed/);
    } finally {
      await kernel.shutdown();
    }
  });

  it("gives up on a kernel that does not start in time", KERNEL_TEST, async () => {
    await expect(KernelClient.start({ cwd: FIXTURE_DIR, startupTimeoutMs: 1 })).rejects.toThrow(/did not answer within 1 ms/);
  });
});

/** Whether a process is running (Linux /proc; a zombie left for init to reap runs nothing). */
function isRunning(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
    return state !== "Z" && state !== "X";
  } catch {
    return false;
  }
}

/** Polls until `done()` holds; gives up (returning false) after `limitMs` so a failure cannot hang the suite. */
async function eventually(done: () => boolean, limitMs: number): Promise<boolean> {
  for (const deadline = Date.now() + limitMs; Date.now() < deadline; ) {
    if (done()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return done();
}

describe("KernelClient when its process is interrupted", () => {
  it("stops the kernel and removes its connection file on Ctrl-C (tslab itself ignores SIGINT)", KERNEL_TEST, async () => {
    // A client process that starts a kernel and waits, as `npm run chapter` does mid-chapter.
    const script = [
      `const { KernelClient } = require("./scripts/notebooks/kernel_client");`,
      `KernelClient.start({ cwd: ${JSON.stringify(FIXTURE_DIR)} }).then((k) => {`,
      `  console.log(JSON.stringify({ pid: k.pid }));`,
      `  setInterval(() => undefined, 1_000);`,
      `});`,
    ].join("\n");
    const client = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], {
      cwd: PROJECT_ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let kernelPid: number | undefined;
    try {
      const firstLine = await new Promise<string>((resolve, reject) => {
        let out = "";
        client.stdout.on("data", (chunk: Buffer) => {
          out += chunk.toString("utf8");
          if (out.includes("\n")) resolve(out.split("\n")[0]!);
        });
        client.on("exit", (code) => reject(new Error(`the client exited (${code}) before its kernel started`)));
      });
      kernelPid = (JSON.parse(firstLine) as { pid: number }).pid;
      const cmdline = fs.readFileSync(`/proc/${kernelPid}/cmdline`, "utf8").split("\0");
      const connectionFile = cmdline[cmdline.indexOf("--config-path") + 1]!;
      expect(fs.existsSync(connectionFile)).toBe(true);

      const exited = new Promise<NodeJS.Signals | null>((resolve) => client.on("exit", (_code, signal) => resolve(signal)));
      client.kill("SIGINT");
      // The client still ends as Ctrl-C asks, after stopping its kernel.
      expect(await exited).toBe("SIGINT");
      expect(await eventually(() => !isRunning(kernelPid!), 10_000)).toBe(true);
      expect(fs.existsSync(connectionFile)).toBe(false);
    } finally {
      client.kill("SIGKILL");
      if (kernelPid !== undefined && isRunning(kernelPid)) process.kill(kernelPid, "SIGKILL");
    }
  });
});
