/**
 * `notebooks:update` writes fresh outputs the way Jupyter saves notebooks, and refuses to
 * write a notebook with a failing cell.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkNotebooks } from "../../../scripts/notebooks/check";
import { readNotebook } from "../../../scripts/notebooks/nbformat";
import { updateNotebooks } from "../../../scripts/notebooks/update";

const FIXTURES = path.resolve(__dirname, "../../fixtures/notebooks");
const KERNEL_TEST = { timeout: 60_000 };
const temporaryDirs: string[] = [];

/** A scratch folder holding a copy of one fixture notebook. */
function copyFixture(relative: string): { dir: string; file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "notebooks-update-"));
  temporaryDirs.push(dir);
  const file = path.join(dir, path.basename(relative));
  fs.copyFileSync(path.join(FIXTURES, relative), file);
  return { dir, file };
}

afterEach(() => {
  for (const dir of temporaryDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe("updateNotebooks", () => {
  it("writes outputs and execution counts 1..n, after which the check passes", KERNEL_TEST, async () => {
    const { dir, file } = copyFixture("stale/01-stale.ipynb");
    const report = await updateNotebooks({ dir });
    expect(report).toMatchObject({ ok: true, written: [file], failures: [] });

    const nb = readNotebook(file);
    const code = nb.cells.filter((cell) => cell.cell_type === "code");
    expect(code.map((cell) => cell.cell_type === "code" && cell.execution_count)).toEqual([1, 2]);
    expect(code[1]).toMatchObject({ outputs: [{ output_type: "stream", name: "stdout", text: ["42\n"] }] });
    expect(nb.metadata["kernelspec"]).toMatchObject({ name: "replication-course" });

    const text = fs.readFileSync(file, "utf8");
    expect(text.startsWith('{\n "cells": [\n  {\n')).toBe(true); // one-space indent, sorted keys
    expect(text.endsWith("}\n")).toBe(true);

    expect((await checkNotebooks({ dir })).problems).toEqual([]);
  });

  it("leaves a file alone when its outputs are already current", KERNEL_TEST, async () => {
    const { dir, file } = copyFixture("ok/01-smoke.ipynb");
    const before = fs.readFileSync(file, "utf8");
    const report = await updateNotebooks({ dir, selectors: ["1"] });
    expect(report).toMatchObject({ ok: true, written: [], unchanged: [file] });
    expect(fs.readFileSync(file, "utf8")).toBe(before);
  });

  it("does not write a notebook with a failing cell", KERNEL_TEST, async () => {
    const { dir, file } = copyFixture("failing/01-error-then-more.ipynb");
    const before = fs.readFileSync(file, "utf8");
    const report = await updateNotebooks({ dir });
    expect(report.ok).toBe(false);
    expect(report.written).toEqual([]);
    expect(report.failures[0]).toContain("cell 2 of 3");
    expect(report.failures[0]).toContain("was not written");
    expect(fs.readFileSync(file, "utf8")).toBe(before);
  });
});
