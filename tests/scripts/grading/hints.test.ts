import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { HintFormatError, loadHintProgress, loadHints, nextHint, parseHints, saveHintProgress } from "../../../scripts/grading/hints";

const HINTS = ["# Hints: x", "", "Intro text.", "", "## Hint 1: first", "one", "", "## Hint 2", "two", "more two"].join("\n");

describe("parseHints", () => {
  it("splits the sections in order, with optional titles, ignoring the text before hint 1", () => {
    expect(parseHints(HINTS, "x.md")).toEqual([
      { number: 1, title: "first", body: "one" },
      { number: 2, title: null, body: "two\nmore two" },
    ]);
  });

  it("rejects hints out of order, naming the line", () => {
    expect(() => parseHints("## Hint 1\na\n## Hint 3\nc", "x.md")).toThrow(new HintFormatError('x.md:3: expected "## Hint 2", found "## Hint 3"'));
  });

  it("rejects a file without hints, an empty hint, and other headings between hints", () => {
    expect(() => parseHints("# nothing", "x.md")).toThrow(/no "## Hint 1" section/);
    expect(() => parseHints("## Hint 1\n\n## Hint 2\nb", "x.md")).toThrow(/Hint 1 is empty/);
    expect(() => parseHints("## Hint 1\na\n## Notes\nb", "x.md")).toThrow(/x\.md:3: only "## Hint N" headings/);
  });
});

describe("hint progress", () => {
  it("shows hints in order and nothing after the last", () => {
    const hints = parseHints(HINTS, "x.md");
    expect(nextHint(hints, 0)?.number).toBe(1);
    expect(nextHint(hints, 1)?.number).toBe(2);
    expect(nextHint(hints, 2)).toBeNull();
  });

  it("saves and loads what was seen; a missing or damaged file means nothing seen", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hints-"));
    try {
      const file = path.join(dir, "nested", "hints.json");
      expect(loadHintProgress(file)).toEqual({});
      saveHintProgress({ a: 2 }, file);
      expect(loadHintProgress(file)).toEqual({ a: 2 });
      fs.writeFileSync(file, "{ not json");
      expect(loadHintProgress(file)).toEqual({});
      fs.writeFileSync(file, JSON.stringify({ a: -1, b: 1.5, c: "x", d: 3 }));
      expect(loadHintProgress(file)).toEqual({ d: 3 });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the course's hint files", () => {
  it("failover_coordinator has four progressive hints", () => {
    const hints = loadHints("failover_coordinator");
    expect(hints?.map((h) => h.number)).toEqual([1, 2, 3, 4]);
  });
});
