import { describe, expect, it } from "vitest";
import { canonicalOutputLines, compareOutputs, normaliseText, shortDiff } from "../../../scripts/notebooks/output_comparison";
import type { NotebookOutput } from "../../../scripts/notebooks/nbformat";

const stdout = (text: string | string[]): NotebookOutput => ({ output_type: "stream", name: "stdout", text });
const display = (data: Record<string, unknown>, metadata: Record<string, unknown> = {}): NotebookOutput => ({
  output_type: "display_data",
  data,
  metadata,
});

describe("output comparison", () => {
  it("ignores line splitting, chunking, trailing whitespace and trailing newlines", () => {
    expect(compareOutputs([stdout(["a\n", "b  \n", "\n"])], [stdout("a\n"), stdout("b\n")])).toBeNull();
    expect(normaliseText("x \r\ny\n\n")).toEqual(["x", "y"]);
  });

  it("ignores output metadata and execution counts", () => {
    const committed: NotebookOutput = { output_type: "execute_result", data: { "text/plain": "1" }, metadata: { a: 1 }, execution_count: 3 };
    const fresh: NotebookOutput = { output_type: "execute_result", data: { "text/plain": "1" }, metadata: {}, execution_count: 1 };
    expect(compareOutputs([committed], [fresh])).toBeNull();
  });

  it("compares the text of html, svg and plain text, but binary images only by presence", () => {
    expect(compareOutputs([display({ "text/html": "<b>a</b>" })], [display({ "text/html": "<b>b</b>" })])).not.toBeNull();
    expect(compareOutputs([display({ "image/svg+xml": ["<svg>\n", "</svg>"] })], [display({ "image/svg+xml": "<svg>\n</svg>\n" })])).toBeNull();
    expect(compareOutputs([display({ "image/png": "AAAA" })], [display({ "image/png": "BBBB" })])).toBeNull();
    expect(canonicalOutputLines([display({ "text/plain": "x", "text/html": "<i>x</i>" })])).toEqual([
      "[display_data text/html text/plain]",
      "(text/plain)",
      "x",
      "(text/html)",
      "<i>x</i>",
    ]);
  });

  it("tells stdout from stderr and notices missing outputs", () => {
    const stderr: NotebookOutput = { output_type: "stream", name: "stderr", text: "a\n" };
    expect(compareOutputs([stdout("a\n")], [stderr])).not.toBeNull();
    expect(compareOutputs([stdout("a\n")], [])).not.toBeNull();
  });

  it("shows the first differing lines with context", () => {
    const diff = shortDiff(["[stdout]", "1", "2", "3", "4"], ["[stdout]", "1", "2", "three", "4"]);
    expect(diff).toEqual({ firstDifferenceAt: 4, lines: ["  1", "  2", "- 3", "+ three", "  4"] });
  });

  it("caps long differences", () => {
    const many = Array.from({ length: 20 }, (_, i) => `line ${i}`);
    const diff = shortDiff(many, [], { maxChangedLines: 3 })!;
    expect(diff.lines).toEqual(["- line 0", "- line 1", "- line 2", "- … 17 more line(s)"]);
  });
});
