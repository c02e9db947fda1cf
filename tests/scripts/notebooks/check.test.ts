/**
 * The notebook check on tiny fixture notebooks, through the real tslab kernel: it passes on a
 * notebook committed with correct outputs and fails, naming the cell, on everything else.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { checkNotebooks } from "../../../scripts/notebooks/check";

const FIXTURES = path.resolve(__dirname, "../../fixtures/notebooks");
const KERNEL_TEST = { timeout: 60_000 };

describe("checkNotebooks", () => {
  it("passes on a notebook whose committed outputs are current", KERNEL_TEST, async () => {
    const report = await checkNotebooks({ dir: path.join(FIXTURES, "ok") });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.notebooks.map((nb) => path.basename(nb.file))).toEqual(["01-smoke.ipynb"]);
    expect(report.notebooks[0]!.cellsRun).toBe(3);
  });

  it("fails on an erroring cell followed by more cells, naming the cell and showing its stderr", KERNEL_TEST, async () => {
    const report = await checkNotebooks({ dir: path.join(FIXTURES, "failing") });
    expect(report.ok).toBe(false);
    expect(report.problems).toHaveLength(1);
    const problem = report.problems[0]!;
    expect(problem.kind).toBe("cell-failed");
    expect(problem.cellIndex).toBe(1);
    expect(problem.message).toContain("01-error-then-more.ipynb, cell 2 of 3");
    expect(problem.message).toContain('throw new Error("boom from the fixture");'); // the source
    expect(problem.message).toContain("Error: boom from the fixture"); // the kernel's stderr
    expect(problem.message).toContain("1 later code cell was not run");
  });

  it("fails on a stale output, naming the cell and showing the difference", KERNEL_TEST, async () => {
    const report = await checkNotebooks({ dir: path.join(FIXTURES, "stale") });
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => [p.kind, p.cellIndex])).toEqual([["stale-output", 2]]);
    const message = report.problems[0]!.message;
    expect(message).toContain("01-stale.ipynb, cell 3 of 3: outputs differ");
    expect(message).toContain("- 41");
    expect(message).toContain("+ 42");
  });

  it("fails on a notebook committed without outputs", KERNEL_TEST, async () => {
    const report = await checkNotebooks({ dir: path.join(FIXTURES, "not-executed") });
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.kind)).toEqual(["not-executed"]);
    expect(report.problems[0]!.message).toContain("commit it executed");
  });

  it("fails loudly when there are no notebooks at all", async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "no-notebooks-"));
    try {
      const report = await checkNotebooks({ dir: empty });
      expect(report.ok).toBe(false);
      expect(report.problems.map((p) => p.kind)).toEqual(["no-notebooks"]);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  it("fails on a selector that matches no notebook", async () => {
    const report = await checkNotebooks({ dir: path.join(FIXTURES, "ok"), selectors: ["9"] });
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.kind)).toEqual(["unknown-notebook"]);
  });

  it("fails on a notebook that does not declare the course kernel", KERNEL_TEST, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wrong-kernel-"));
    try {
      const nb = JSON.parse(fs.readFileSync(path.join(FIXTURES, "ok", "01-smoke.ipynb"), "utf8"));
      nb.metadata.kernelspec.name = "tslab";
      fs.writeFileSync(path.join(dir, "01-smoke.ipynb"), JSON.stringify(nb));
      const report = await checkNotebooks({ dir });
      expect(report.problems.map((p) => p.kind)).toEqual(["wrong-kernel"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
