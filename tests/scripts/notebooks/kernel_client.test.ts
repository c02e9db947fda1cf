/**
 * The kernel client against the real tslab kernel: outputs, errors, tslab's "abort" after an
 * error, and the time limit that keeps a looping cell from hanging the check.
 */
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KernelClient, KernelTimeoutError } from "../../../scripts/notebooks/kernel_client";

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
      const started = Date.now();
      await expect(kernel.execute("while (true) {}", { timeoutMs: 1_500 })).rejects.toBeInstanceOf(KernelTimeoutError);
      expect(Date.now() - started).toBeLessThan(10_000);
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
