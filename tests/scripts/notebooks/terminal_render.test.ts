import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { renderMarkdown, renderOutputs, terminalStyle } from "../../../scripts/notebooks/terminal_render";
import { extractErrorReport } from "../../../scripts/notebooks/jupyter_execution";

const plain = terminalStyle(false);

describe("terminal rendering", () => {
  it("underlines headings and indents code blocks in plain text", () => {
    expect(renderMarkdown("# Quorums\nText with `code`.\n## Reads\n```ts\nconst x = 1;\n```", plain)).toBe(
      ["QUORUMS", "=======", "Text with code.", "", "Reads", "-----", "    const x = 1;"].join("\n"),
    );
  });

  it("uses ANSI bold for headings on a terminal", () => {
    expect(renderMarkdown("## Reads", terminalStyle(true))).toBe("\x1b[1mReads\x1b[22m");
  });

  it("writes SVG and HTML outputs to files and prints text alternatives", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chapter-output-"));
    try {
      const text = renderOutputs(
        [
          { output_type: "stream", name: "stdout", text: "hello\n" },
          { output_type: "display_data", metadata: {}, data: { "image/svg+xml": "<svg/>" } },
          { output_type: "display_data", metadata: {}, data: { "text/html": "<b>t</b>", "text/plain": "t" } },
        ],
        { dir, cellNumber: 4 },
        plain,
      );
      expect(fs.readFileSync(path.join(dir, "cell-4.svg"), "utf8")).toBe("<svg/>");
      expect(fs.readFileSync(path.join(dir, "cell-4-2.html"), "utf8")).toBe("<b>t</b>");
      expect(text.split("\n")[0]).toBe("hello");
      expect(text).toMatch(/\[SVG image written to .*cell-4\.svg\]/);
      expect(text.split("\n").at(-1)).toBe("t");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("nbconvert error reports", () => {
  it("keeps the exception block after the last Python traceback", () => {
    const stderr = [
      "[NbConvertApp] Converting notebook x.ipynb to notebook",
      "Traceback (most recent call last):",
      '  File "/usr/bin/jupyter-nbconvert", line 33, in <module>',
      "    raise CellExecutionError.from_cell_and_msg(cell, exec_reply_content)",
      "nbclient.exceptions.CellExecutionError: An error occurred while executing the following cell:",
      "------------------",
      "throw 1",
    ].join("\n");
    expect(extractErrorReport(stderr, false, 1000).split("\n")[0]).toMatch(/^nbclient\.exceptions\.CellExecutionError/);
  });
});
