import { InvalidArgumentError } from "commander";
import { describe, expect, it } from "vitest";
import { parsePositiveSeconds, positiveIntegerParser } from "../../scripts/cli_options";

describe("parsePositiveSeconds", () => {
  it("accepts whole and fractional seconds above 0", () => {
    expect(parsePositiveSeconds("300")).toBe(300);
    expect(parsePositiveSeconds("0.5")).toBe(0.5);
  });

  it("rejects zero, negatives, words and blanks with an argument error", () => {
    for (const bad of ["0", "-3", "abc", "", " ", "Infinity"]) {
      expect(() => parsePositiveSeconds(bad), bad).toThrow(InvalidArgumentError);
    }
  });
});

describe("positiveIntegerParser", () => {
  const parseSteps = positiveIntegerParser("steps", 1_000_000);

  it("accepts whole numbers above 0", () => {
    expect(parseSteps("1")).toBe(1);
    expect(parseSteps("250000")).toBe(250_000);
  });

  it.each(["0", "-3", "1.5", "", " ", "ten", "NaN"])("rejects %j with a message naming the unit and an example", (value) => {
    expect(() => parseSteps(value)).toThrow(InvalidArgumentError);
    expect(() => parseSteps(value)).toThrow("give a whole number of steps above 0, e.g. 1000000");
  });
});
