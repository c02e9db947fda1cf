import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { REPOSITORY_ROOT } from "../../../scripts/exercises/exercise_catalog";
import {
  analyseFailure,
  firstFrameUnder,
  parseErrorText,
  parseStackFrame,
  replayLines,
} from "../../../scripts/grading/failure_analysis";

const root = REPOSITORY_ROOT;
const exercises = path.join(root, "exercises");

describe("parseStackFrame", () => {
  it("reads named and anonymous frames", () => {
    expect(parseStackFrame(`    at electNewLeader (${root}/exercises/f.ts:42:9)`)).toEqual({
      functionName: "electNewLeader",
      file: `${root}/exercises/f.ts`,
      line: 42,
      column: 9,
    });
    expect(parseStackFrame(`    at ${root}/grading/f.test.ts:48:12`)).toMatchObject({ functionName: null, line: 48 });
  });

  it("turns file:// URLs into paths and drops query strings", () => {
    expect(parseStackFrame(`    at run (file://${root}/node_modules/x/y.js?v=123:7:1)`)?.file).toBe(`${root}/node_modules/x/y.js`);
  });

  it("ignores frames without a file position", () => {
    expect(parseStackFrame("    at new Promise (<anonymous>)")).toBeNull();
    expect(parseStackFrame("not a frame")).toBeNull();
  });
});

describe("parseErrorText", () => {
  it("splits type, multi-line message and frames", () => {
    const parsed = parseErrorText(
      `AssertionError: seed 7 failed\nreplay: npm run grade x -- --seed 7\n    at ${root}/grading/x.test.ts:3:4\n    at new Promise (<anonymous>)`,
    );
    expect(parsed.type).toBe("AssertionError");
    expect(parsed.message).toBe("seed 7 failed\nreplay: npm run grade x -- --seed 7");
    expect(parsed.frames).toHaveLength(1);
  });

  it("has no type for a bare message", () => {
    expect(parseErrorText("something broke")).toEqual({ type: null, message: "something broke", frames: [] });
  });
});

describe("firstFrameUnder (the learner's line)", () => {
  const frames = parseErrorText(
    [
      "RangeError: bad",
      `    at check (${root}/lib/sim/errors.ts:10:5)`,
      `    at helper (${root}/exercises/failover_coordinator.ts:81:12)`,
      `    at electNewLeader (${root}/exercises/failover_coordinator.ts:64:30)`,
      `    at ${root}/grading/failover_coordinator.test.ts:125:12`,
    ].join("\n"),
  ).frames;

  it("finds the innermost frame in the learner's folder, skipping library frames above it", () => {
    expect(firstFrameUnder(frames, exercises)).toMatchObject({ line: 81, functionName: "helper" });
  });

  it("finds nothing when no frame is under the folder", () => {
    expect(firstFrameUnder(frames, path.join(root, "solutions"))).toBeNull();
  });

  it("does not mistake a sibling folder with a common prefix for the learner's folder", () => {
    const sibling = parseErrorText(`E: x\n    at f (${root}/exercises-old/f.ts:1:1)`).frames;
    expect(firstFrameUnder(sibling, exercises)).toBeNull();
  });
});

describe("replayLines", () => {
  it("keeps the seed and replay lines of a message", () => {
    const message = "3 writes lost\n  seed 1234 failed\n  replay: npm run grade f -- --seed 1234\n  t=5 ms n1 crashes";
    expect(replayLines(message)).toEqual(["seed 1234 failed", "replay: npm run grade f -- --seed 1234"]);
  });
});

describe("analyseFailure", () => {
  it("reports a TypeError from the learner's file as their code throwing, with file and line", () => {
    const failure = analyseFailure(
      "t",
      `TypeError: Cannot read properties of undefined (reading 'lastLsn')\n    at isFresher (${root}/exercises/f.ts:81:12)\n    at ${root}/grading/f.test.ts:1:1`,
      undefined,
      exercises,
    );
    expect(failure.kind).toBe("learner-error");
    expect(failure.thrown).toEqual({ type: "TypeError", message: "Cannot read properties of undefined (reading 'lastLsn')" });
    expect(failure.location).toEqual({ file: "exercises/f.ts", line: 81 });
  });

  it("reports a failed expectation in plain words, without vitest's jargon or a location", () => {
    const failure = analyseFailure(
      "t",
      `AssertionError: expected 'b' to be 'c' // Object.is equality\n    at ${root}/grading/f.test.ts:9:9`,
      undefined,
      exercises,
    );
    expect(failure).toMatchObject({ kind: "assertion", message: "expected 'b' to be 'c'", location: null, thrown: null });
  });

  it("finds a NotImplementedError wrapped by fast-check through the recorded cause", () => {
    const failure = analyseFailure(
      "t",
      "Error: Property failed after 1 tests\n{ seed: 1, path: \"0\", endOnFailure: true }\n    at buildError (file:///x/fast-check.js:1:1)",
      {
        diff: null,
        causes: [
          {
            name: "NotImplementedError",
            message: "not implemented yet: electNewLeader",
            stack: `NotImplementedError: not implemented yet: electNewLeader\n    at electNewLeader (${root}/exercises/f.ts:42:9)`,
          },
        ],
      },
      exercises,
    );
    expect(failure).toMatchObject({ kind: "not-implemented", functionName: "electNewLeader", location: { file: "exercises/f.ts", line: 42 } });
  });

  it("explains a call to a function the learner's file no longer exports", () => {
    const failure = analyseFailure(
      "t",
      `TypeError: (0 , __vite_ssr_import_1__.later) is not a function\n    at ${root}/grading/f.test.ts:19:12`,
      undefined,
      exercises,
    );
    expect(failure.kind).toBe("assertion");
    expect(failure.message).toContain("does not export a function by that name");
    expect(failure.message).toContain("later()");
  });

  it("adds an assertion wrapped by fast-check as the reason, in plain words", () => {
    const failure = analyseFailure(
      "t",
      "Error: Property failed after 4 tests\nCounterexample: [1]",
      { diff: null, causes: [{ name: "AssertionError", message: "\"n2\" has more of the log: expected true to be false", stack: null }] },
      exercises,
    );
    expect(failure.kind).toBe("assertion");
    expect(failure.message).toBe(
      "failed on a randomly generated input\nsmallest failing input: [1]\nbecause: \"n2\" has more of the log: expected true to be false",
    );
  });

  it("drops fast-check's own seed and shrink count, which a learner would pass to --seed by mistake", () => {
    const failure = analyseFailure(
      "t",
      'Error: Property failed after 11 tests\n{ seed: 20261123, path: "10:2:1", endOnFailure: true }\nCounterexample: [{"nowMs":1}]\nShrunk 32 time(s)',
      undefined,
      exercises,
    );
    expect(failure.message).toBe('failed on a randomly generated input\nsmallest failing input: [{"nowMs":1}]');
  });
});
