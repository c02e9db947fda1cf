import { describe, expect, it } from "vitest";
import { MarkerError, generateStarter, parseMarkedSource } from "../../../scripts/exercises/markers";

/** Joins lines with "\n" so each test can number its lines at a glance. */
const lines = (...text: string[]) => text.join("\n");

function markerError(source: string): MarkerError {
  try {
    parseMarkedSource(source, "solutions/x.ts");
  } catch (err) {
    if (err instanceof MarkerError) return err;
    throw err;
  }
  throw new Error("expected a MarkerError, but the source parsed");
}

describe("generateStarter", () => {
  it("drops solution regions with their markers and keeps everything else", () => {
    const source = lines(
      "export function f(): number {",
      "  // @solution-begin",
      "  return 42;",
      "  // @solution-end",
      "  // @starter throw notImplemented(\"f\");",
      "}",
    );
    expect(generateStarter(source, "x.ts")).toBe(lines("export function f(): number {", "  throw notImplemented(\"f\");", "}"));
  });

  it("keeps the indentation of the @starter line, at any depth", () => {
    const source = lines(
      "// @starter import { a } from \"./a\";",
      "class C {",
      "  m(): void {",
      "    if (true) {",
      "      // @solution-begin",
      "      go();",
      "      // @solution-end",
      "      // @starter throw notImplemented(\"m\");",
      "    }",
      "  }",
      "}",
    );
    const starter = generateStarter(source, "x.ts").split("\n");
    expect(starter[0]).toBe("import { a } from \"./a\";");
    expect(starter[4]).toBe("      throw notImplemented(\"m\");");
  });

  it("removes top-level regions such as private helpers", () => {
    const source = lines("export const a = 1;", "// @solution-begin", "function helper() {}", "// @solution-end", "");
    expect(generateStarter(source, "x.ts")).toBe(lines("export const a = 1;", ""));
  });

  it("keeps Windows line endings", () => {
    const source = ["a", "// @solution-begin", "b", "// @solution-end", "c"].join("\r\n");
    expect(generateStarter(source, "x.ts")).toBe("a\r\nc");
  });

  it("records where the regions and @starter lines are", () => {
    const parsed = parseMarkedSource(lines("x", "// @solution-begin", "y", "// @solution-end", "// @starter z", "// @solution-begin", "// @solution-end"), "x.ts");
    expect(parsed.regions).toEqual([
      { beginLine: 2, endLine: 4 },
      { beginLine: 6, endLine: 7 },
    ]);
    expect(parsed.starterLines).toEqual([5]);
  });
});

describe("marker errors name the file and line", () => {
  it("an end marker without a begin marker", () => {
    const err = markerError(lines("a", "b", "// @solution-end"));
    expect(err.line).toBe(3);
    expect(err.message).toContain("solutions/x.ts:3");
    expect(err.message).toContain("without a matching // @solution-begin");
  });

  it("a begin marker that is never closed, at the begin marker's line", () => {
    const err = markerError(lines("a", "// @solution-begin", "b", "c"));
    expect(err.line).toBe(2);
    expect(err.message).toContain("never closed");
  });

  it("a nested begin marker, naming the region still open", () => {
    const err = markerError(lines("// @solution-begin", "a", "  // @solution-begin", "// @solution-end"));
    expect(err.line).toBe(3);
    expect(err.message).toContain("opened at line 1");
  });

  it("a @starter line inside a solution region", () => {
    const err = markerError(lines("// @solution-begin", "// @starter x();", "// @solution-end"));
    expect(err.line).toBe(2);
  });

  it("a @starter line without code", () => {
    expect(markerError(lines("// @solution-begin", "// @solution-end", "  // @starter")).line).toBe(3);
  });

  it("a mistyped marker instead of silently leaking solution code", () => {
    const err = markerError(lines("// @solution-begin", "a", "// @solution-ned"));
    expect(err.line).toBe(3);
    expect(err.message).toContain("unrecognised marker");
  });

  it("a solution without any region (its starter would be the solution)", () => {
    const err = markerError(lines("export const a = 1;", "// @starter export const a = 0;"));
    expect(err.message).toContain("no // @solution-begin");
  });
});
