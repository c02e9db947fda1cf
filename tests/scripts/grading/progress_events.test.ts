import { describe, expect, it } from "vitest";
import { readProgress } from "../../../scripts/grading/progress_events";

const line = (event: object) => JSON.stringify(event);

describe("readProgress", () => {
  it("names the test that printed each stretch of console output, from the result line that follows it", () => {
    const progress = readProgress(
      [
        line({ event: "console", stream: "stdout", text: "loaded\n", testId: null }),
        line({ event: "start", test: "a > one" }),
        line({ event: "console", stream: "stdout", text: "one says hi\n", testId: "id-1" }),
        line({ event: "console", stream: "stderr", text: "two warns\n", testId: "id-2" }),
        line({ event: "result", test: "a > one", id: "id-1", state: "failed", errors: [] }),
        line({ event: "result", test: "a > two", id: "id-2", state: "passed", errors: [] }),
        line({ event: "console", stream: "stdout", text: "from a test that never reported\n", testId: "id-3" }),
      ].join("\n"),
    );
    expect(progress.console).toEqual([
      { test: null, text: "loaded\n" },
      { test: "a > one", text: "one says hi\n" },
      { test: "a > two", text: "two warns\n" },
      { test: null, text: "from a test that never reported\n" },
    ]);
  });

  it("reads progress files written before console lines existed", () => {
    const progress = readProgress(line({ event: "result", test: "t", state: "passed", errors: [] }));
    expect(progress.console).toEqual([]);
    expect(progress.unfinished).toEqual([]);
  });
});
