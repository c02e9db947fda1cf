import { describe, expect, it } from "vitest";
import { wordsOf } from "../../../../lib/replication/replication_log/cdc_consumer";

describe("wordsOf", () => {
  it("splits text into distinct lower-case words and ignores non-text values", () => {
    expect(wordsOf("Red desk-lamp, RED!")).toEqual(["desk", "lamp", "red"]);
    expect(wordsOf(42)).toEqual([]);
    expect(wordsOf(null)).toEqual([]);
  });
});
