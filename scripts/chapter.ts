/**
 * `npm run chapter -- <number>`: reads a chapter in the terminal, no Jupyter needed. The
 * notebook runs top to bottom in the same tslab kernel Jupyter uses (working directory
 * chapters/); markdown is printed readably and each code cell is shown with its output.
 * SVG and HTML outputs go to .chapter-output/<notebook>/ to be opened in a browser.
 *
 *   npm run chapter -- 2          # chapters/02-*.ipynb
 *   npm run chapter -- 00-welcome
 *   npm run chapter               # lists the chapters
 *
 * Exit codes: 0 read to the end, 1 a cell failed, 2 no such chapter.
 */
import { Command } from "commander";
import * as fs from "node:fs";
import * as path from "node:path";
import { parsePositiveSeconds } from "./cli_options";
import { DEFAULT_CELL_TIMEOUT_MS, KernelClient, KernelError } from "./notebooks/kernel_client";
import { type NotebookCell, isRunnableCodeCell, joinText, readNotebook } from "./notebooks/nbformat";
import { describeNotebooks, resolveNotebook } from "./notebooks/notebook_files";
import { CHAPTERS_DIR, CHAPTER_OUTPUT_DIR, displayPath } from "./notebooks/project_paths";
import { classifyExecution } from "./notebooks/run_notebook";
import { withoutKernelFrames } from "./notebooks/failure_report";
import { renderCodeSource, renderMarkdown, renderOutputs, terminalStyle, wantsColour } from "./notebooks/terminal_render";

async function readChapter(file: string, options: { cellTimeoutMs: number }): Promise<number> {
  const style = terminalStyle(wantsColour());
  const print = (text: string) => process.stdout.write(text + "\n");
  const notebook = readNotebook(file);
  const name = path.basename(file, ".ipynb");
  const outputDir = path.join(CHAPTER_OUTPUT_DIR, name);
  fs.rmSync(outputDir, { recursive: true, force: true });

  print(style.dim(`Starting the TypeScript kernel for ${displayPath(file)} …`));
  const kernel = await KernelClient.start({ cwd: path.dirname(file) });
  let code = 0;
  try {
    for (const [index, cell] of notebook.cells.entries()) {
      if (!(await printCell(kernel, cell, index))) {
        code = 1;
        break;
      }
    }
  } finally {
    await kernel.shutdown();
  }
  if (fs.existsSync(outputDir)) print(style.dim(`\nImages and HTML from this chapter are in ${displayPath(outputDir)}/`));
  return code;

  async function printCell(kernel: KernelClient, cell: NotebookCell, index: number): Promise<boolean> {
    const source = joinText(cell.source);
    if (cell.cell_type === "markdown") {
      print("\n" + renderMarkdown(source, style));
      return true;
    }
    if (!isRunnableCodeCell(cell)) return true;
    print("\n" + renderCodeSource(source, `[cell ${index + 1}]`, style));
    let execution;
    try {
      execution = await kernel.execute(source, { timeoutMs: options.cellTimeoutMs });
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
      print(style.red(`The kernel stopped: ${error.message}`));
      if (error.kernelLog.trim()) print(style.red(error.kernelLog.trim()));
      return false;
    }
    // The kernel's own stack frames (node:vm, tslab) say nothing about the chapter.
    const outputs = execution.outputs.map((output) =>
      output.output_type === "stream" && output.name === "stderr"
        ? { ...output, text: withoutKernelFrames(joinText(output.text)) }
        : output,
    );
    const rendered = renderOutputs(outputs, { dir: outputDir, cellNumber: index + 1 }, style);
    if (rendered) print(rendered);
    const problem = classifyExecution(execution);
    if (problem) {
      print(style.red(`\nCell ${index + 1} failed: ${problem.summary}. The rest of the chapter was not run.`));
      return false;
    }
    return true;
  }
}

async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name("chapter")
    .description("Run a chapter notebook in the terminal and print it with its outputs.")
    .argument("[chapter]", "chapter number (2 or 02), or notebook name")
    .option("--cell-timeout <seconds>", "time limit per cell", parsePositiveSeconds, DEFAULT_CELL_TIMEOUT_MS / 1000)
    .option("--dir <folder>", "the folder of notebooks", CHAPTERS_DIR)
    .parse(argv);
  const options = program.opts<{ cellTimeout: number; dir: string }>();
  const selector = program.args[0];
  if (selector === undefined) {
    console.error(`Which chapter? For example: npm run chapter -- 0\nAvailable chapters:\n${describeNotebooks(options.dir)}`);
    return 2;
  }
  const file = resolveNotebook(selector, options.dir);
  if (!file) {
    console.error(`No chapter "${selector}". Available chapters:\n${describeNotebooks(options.dir)}`);
    return 2;
  }
  return readChapter(file, { cellTimeoutMs: options.cellTimeout * 1000 });
}

main(process.argv).then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`chapter: ${error.message}`);
    process.exit(1);
  },
);
