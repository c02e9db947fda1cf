import { describe, expect, it } from "vitest";
import { escapeXml, fixed, formatNumber, formatValue, padCenter, padLeft, padRight, textWidth, truncate } from "../../../lib/viz/format";

describe("formatNumber", () => {
  it("prints integers as they are and other numbers with decimals that fit their size", () => {
    expect(formatNumber(3)).toBe("3");
    expect(formatNumber(-12)).toBe("-12");
    expect(formatNumber(2.5)).toBe("2.50");
    expect(formatNumber(123.456)).toBe("123.5");
    expect(formatNumber(12345.6)).toBe("12346");
    expect(formatNumber(0.00042)).toBe("4.2e-4");
    expect(formatNumber(Number.NaN)).toBe("NaN");
    expect(formatNumber(Number.POSITIVE_INFINITY)).toBe("∞");
    expect(formatNumber(-0.001)).toBe("-1.0e-3");
  });
});

describe("formatValue", () => {
  it("prints any value compactly on one line", () => {
    expect(formatValue(undefined)).toBe("-");
    expect(formatValue(null)).toBe("-");
    expect(formatValue([1, [2, 3], "x"])).toBe("[1, [2, 3], x]");
    expect(formatValue({ term: 2, ok: true })).toBe("{term: 2, ok: true}");
    expect(formatValue(new Map([["a", 1]]))).toBe("{a: 1}");
    expect(formatValue(new Set([1, 2]))).toBe("{1, 2}");
    expect(formatValue("a\nb")).toBe("a⏎b");
    expect(formatValue(10n)).toBe("10");
    expect(formatValue([1, 2, 3, 4, 5], 8)).toBe("[1, 2, …");
  });
});

describe("text helpers", () => {
  it("count code points, pad and cut", () => {
    expect(textWidth("a▶✗")).toBe(3);
    expect(padLeft("ab", 4)).toBe("  ab");
    expect(padRight("▶", 3)).toBe("▶  ");
    expect(padCenter("ab", 5)).toBe(" ab  ");
    expect(truncate("abcdef", 4)).toBe("abc…");
    expect(truncate("abc", 3)).toBe("abc");
    expect(fixed(-0.0001, 2)).toBe("0.00");
    expect(escapeXml(`<a href="x">&'`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
  });
});
