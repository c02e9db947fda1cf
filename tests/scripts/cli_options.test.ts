import { InvalidArgumentError } from "commander";
import { describe, expect, it } from "vitest";
import { parsePositiveSeconds } from "../../scripts/cli_options";

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
