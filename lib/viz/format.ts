/**
 * Text helpers shared by every renderer: display width, padding, truncation, number and value
 * formatting, XML escaping. Kept in one place so a table, a chart and a diagram print the same
 * value the same way.
 */

/**
 * Columns a string takes in a monospace terminal, counting one per code point. The glyphs the
 * renderers use (│ ● ▶ ✗ ✖ ═ …) are all single-width; emoji would not be, so the renderers avoid
 * them.
 */
export function textWidth(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Cuts `s` to at most `width` columns, ending with "…" when something was cut. */
export function truncate(s: string, width: number): string {
  if (width <= 0) return "";
  if (textWidth(s) <= width) return s;
  return Array.from(s).slice(0, width - 1).join("") + "…";
}

/** Pads on the right to `width` columns (never cuts). */
export function padRight(s: string, width: number): string {
  const w = textWidth(s);
  return w >= width ? s : s + " ".repeat(width - w);
}

/** Pads on the left to `width` columns (never cuts). */
export function padLeft(s: string, width: number): string {
  const w = textWidth(s);
  return w >= width ? s : " ".repeat(width - w) + s;
}

/** Centres `s` in `width` columns; an odd leftover space goes to the right. */
export function padCenter(s: string, width: number): string {
  const w = textWidth(s);
  if (w >= width) return s;
  const left = Math.floor((width - w) / 2);
  return " ".repeat(left) + s + " ".repeat(width - w - left);
}

/** `x.toFixed(decimals)` without the "-0.0" that tiny negative numbers would print. */
export function fixed(x: number, decimals: number): string {
  const s = x.toFixed(decimals);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

/**
 * A number as a person would write it in a table: integers as they are, other numbers with two
 * decimals (one from 100 up, none from 10,000 up), very small ones in exponent form.
 *
 * ```ts
 * formatNumber(3)        // "3"
 * formatNumber(2.5)      // "2.50"
 * formatNumber(123.456)  // "123.5"
 * formatNumber(0.00042)  // "4.2e-4"
 * ```
 */
export function formatNumber(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Number.POSITIVE_INFINITY) return "∞";
  if (x === Number.NEGATIVE_INFINITY) return "-∞";
  if (Number.isInteger(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 10_000) return fixed(x, 0);
  if (a >= 100) return fixed(x, 1);
  if (a >= 0.01) return fixed(x, 2);
  const [mantissa, exponent] = x.toExponential(1).split("e");
  return `${mantissa}e${Number(exponent)}`;
}

/**
 * Any value as short, single-line text: undefined/null as "-", numbers via formatNumber, arrays
 * as "[1, 2]", plain objects as "{k: v}", Maps and Sets likewise; cut to `maxWidth` with "…".
 */
export function formatValue(v: unknown, maxWidth = Number.POSITIVE_INFINITY): string {
  return truncate(formatInner(v, 0), maxWidth);
}

function formatInner(v: unknown, depth: number): string {
  if (v === undefined || v === null) return "-";
  switch (typeof v) {
    case "number":
      return formatNumber(v);
    case "string":
      // Tables are one line per row: keep a multi-line string on its line.
      return v.replace(/\r?\n/g, "⏎");
    case "boolean":
    case "bigint":
      return String(v);
    case "symbol":
      return v.toString();
    case "function":
      return "ƒ";
  }
  if (depth > 3) return "…";
  if (Array.isArray(v)) return `[${v.map((x) => formatInner(x, depth + 1)).join(", ")}]`;
  if (v instanceof Set) return `{${Array.from(v, (x) => formatInner(x, depth + 1)).join(", ")}}`;
  if (v instanceof Map) {
    return `{${Array.from(v, ([k, x]) => `${formatInner(k, depth + 1)}: ${formatInner(x, depth + 1)}`).join(", ")}}`;
  }
  if (v instanceof Error) return `${v.name}: ${v.message}`;
  const entries = Object.entries(v as Record<string, unknown>);
  return `{${entries.map(([k, x]) => `${k}: ${formatInner(x, depth + 1)}`).join(", ")}}`;
}

/** Escapes text for XML/HTML content and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => {
    switch (c) {
      case "&":
        return "&amp;";
      case "<":
        return "&lt;";
      case ">":
        return "&gt;";
      case '"':
        return "&quot;";
      default:
        return "&#39;";
    }
  });
}
