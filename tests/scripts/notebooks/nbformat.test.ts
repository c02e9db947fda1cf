import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { type Notebook, readNotebook, serializeNotebook, splitLinesKeepEnds } from "../../../scripts/notebooks/nbformat";

const SMOKE = path.resolve(__dirname, "../../fixtures/notebooks/ok/01-smoke.ipynb");

describe("nbformat", () => {
  it("splits lines like Python's str.splitlines(True)", () => {
    expect(splitLinesKeepEnds("a\nb\r\nc\rd")).toEqual(["a\n", "b\r\n", "c\r", "d"]);
    expect(splitLinesKeepEnds("")).toEqual([]);
    expect(splitLinesKeepEnds("x\n")).toEqual(["x\n"]);
  });

  it("writes a notebook back byte for byte as Jupyter saved it", () => {
    // The fixture was checked against Python's nbformat.write: identical bytes.
    expect(serializeNotebook(readNotebook(SMOKE))).toBe(fs.readFileSync(SMOKE, "utf8"));
  });

  it("sorts keys, splits multi-line text and ends with a newline", () => {
    const nb: Notebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { z: 1, a: 2 },
      cells: [
        {
          cell_type: "code",
          metadata: {},
          source: "a\nb",
          execution_count: 1,
          outputs: [{ output_type: "display_data", metadata: {}, data: { "image/png": "QUJD\n", "text/plain": "x\ny" } }],
        },
      ],
    };
    const text = serializeNotebook(nb);
    const parsed = JSON.parse(text);
    expect(Object.keys(parsed)).toEqual(["cells", "metadata", "nbformat", "nbformat_minor"]);
    expect(Object.keys(parsed.metadata)).toEqual(["a", "z"]);
    expect(parsed.cells[0].source).toEqual(["a\n", "b"]);
    expect(parsed.cells[0].outputs[0].data).toEqual({ "image/png": "QUJD\n", "text/plain": ["x\n", "y"] });
    expect(text.endsWith("}\n")).toBe(true);
    expect(text).toContain('\n "cells": [');
  });
});
