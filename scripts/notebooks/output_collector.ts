/**
 * Turns the IOPub messages of one cell execution into nbformat output objects, the way the
 * Jupyter front ends do: consecutive stream messages of the same stream are merged,
 * `update_display_data` rewrites earlier outputs with the same display id, and `clear_output`
 * empties the cell (immediately, or before the next output when `wait` is set).
 */
import type { JupyterMessage } from "./jupyter_wire";
import type { DisplayDataOutput, ExecuteResultOutput, MimeBundle, NotebookOutput } from "./nbformat";

/** Outputs that carry a display id, shared across cells so a later cell can update them. */
export type DisplayRegistry = Map<string, Array<DisplayDataOutput | ExecuteResultOutput>>;

interface DisplayContent {
  data?: MimeBundle;
  metadata?: Record<string, unknown>;
  transient?: { display_id?: string };
  execution_count?: number | null;
}

/** Turns one execution's IOPub messages into nbformat outputs, as a front end would show them. */
export class OutputCollector {
  readonly outputs: NotebookOutput[] = [];
  private clearBeforeNextOutput = false;

  constructor(private readonly displays: DisplayRegistry) {}

  /** Handles one IOPub message addressed to this execution; ignores other message types. */
  handle(message: JupyterMessage): void {
    const content = message.content;
    switch (message.header.msg_type) {
      case "stream":
        this.addStream(content["name"] === "stderr" ? "stderr" : "stdout", String(content["text"] ?? ""));
        break;
      case "display_data":
        this.addDisplay({ output_type: "display_data", data: {}, metadata: {} }, content as DisplayContent);
        break;
      case "execute_result": {
        const display = content as DisplayContent;
        this.addDisplay(
          { output_type: "execute_result", data: {}, metadata: {}, execution_count: display.execution_count ?? null },
          display,
        );
        break;
      }
      case "update_display_data":
        this.updateDisplay(content as DisplayContent);
        break;
      case "error":
        this.push({
          output_type: "error",
          ename: String(content["ename"] ?? ""),
          evalue: String(content["evalue"] ?? ""),
          traceback: Array.isArray(content["traceback"]) ? content["traceback"].map(String) : [],
        });
        break;
      case "clear_output":
        if (content["wait"]) this.clearBeforeNextOutput = true;
        else this.outputs.length = 0;
        break;
      default:
        break;
    }
  }

  /** Everything the cell wrote to stderr (tslab reports compile and runtime errors there). */
  stderrText(): string {
    return this.outputs
      .filter((output) => output.output_type === "stream" && output.name === "stderr")
      .map((output) => (output.output_type === "stream" ? String(output.text) : ""))
      .join("");
  }

  private push(output: NotebookOutput): void {
    if (this.clearBeforeNextOutput) {
      this.outputs.length = 0;
      this.clearBeforeNextOutput = false;
    }
    this.outputs.push(output);
  }

  private addStream(name: "stdout" | "stderr", text: string): void {
    const last = this.outputs[this.outputs.length - 1];
    if (!this.clearBeforeNextOutput && last?.output_type === "stream" && last.name === name) {
      last.text = String(last.text) + text;
      return;
    }
    this.push({ output_type: "stream", name, text });
  }

  private addDisplay(output: DisplayDataOutput | ExecuteResultOutput, content: DisplayContent): void {
    output.data = { ...(content.data ?? {}) };
    output.metadata = { ...(content.metadata ?? {}) };
    this.push(output);
    const displayId = content.transient?.display_id;
    if (displayId) {
      const existing = this.displays.get(displayId) ?? [];
      existing.push(output);
      this.displays.set(displayId, existing);
    }
  }

  private updateDisplay(content: DisplayContent): void {
    const displayId = content.transient?.display_id;
    for (const output of (displayId && this.displays.get(displayId)) || []) {
      output.data = { ...(content.data ?? {}) };
      output.metadata = { ...(content.metadata ?? {}) };
    }
  }
}
