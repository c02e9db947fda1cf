/**
 * A tiny, deterministic SVG writer. Every renderer builds its picture from these helpers so the
 * output is one self-contained string: inline styles only (no CSS classes that need a stylesheet,
 * no scripts, no web fonts, no ids that could clash when a notebook shows several pictures), and
 * numbers printed with a fixed number of decimals so the same input always gives the same bytes.
 */
import { escapeXml, fixed } from "./format";

/** An attribute value; undefined attributes are left out. */
export type AttrValue = string | number | undefined;

/** A coordinate or length with one decimal, without a trailing ".0" (e.g. 12, 12.5). */
export function num(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`SVG coordinate must be finite, got ${x}`);
  const s = fixed(x, 1);
  return s.endsWith(".0") ? s.slice(0, -2) : s;
}

/** Renders attributes in the order given (insertion order of the object, so deterministic). */
export function attrs(a: Readonly<Record<string, AttrValue>>): string {
  let out = "";
  for (const [k, v] of Object.entries(a)) {
    if (v === undefined) continue;
    out += ` ${k}="${typeof v === "number" ? num(v) : escapeXml(v)}"`;
  }
  return out;
}

/** One element; `children` is already-rendered markup (use `text()` for plain text). */
export function el(tag: string, a: Readonly<Record<string, AttrValue>>, children?: string): string {
  return children === undefined ? `<${tag}${attrs(a)}/>` : `<${tag}${attrs(a)}>${children}</${tag}>`;
}

/** Plain text content, escaped. */
export function text(s: string): string {
  return escapeXml(s);
}

/** A `<title>` child: browsers and Jupyter show it as a tooltip on hover. */
export function tooltip(s: string): string {
  return `<title>${escapeXml(s)}</title>`;
}

/** A path "d" string from points: "M x y L x y ...". */
export function polylinePath(points: readonly (readonly [number, number])[]): string {
  return points.map(([x, y], i) => `${i === 0 ? "M" : "L"}${num(x)} ${num(y)}`).join(" ");
}

/** A cross (×) centred on (x, y) with half-size r, as a path "d" string. */
export function crossPath(x: number, y: number, r: number): string {
  return `M${num(x - r)} ${num(y - r)} L${num(x + r)} ${num(y + r)} M${num(x - r)} ${num(y + r)} L${num(x + r)} ${num(y - r)}`;
}

/** A filled triangle arrowhead with its tip at (x2, y2), pointing along (x1, y1) → (x2, y2). */
export function arrowheadPoints(x1: number, y1: number, x2: number, y2: number, length = 8, halfWidth = 3.5): string {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const len = Math.hypot(dx, dy) || 1;
  const ux = dx / len;
  const uy = dy / len;
  const bx = x2 - ux * length;
  const by = y2 - uy * length;
  const pts: [number, number][] = [
    [x2, y2],
    [bx - uy * halfWidth, by + ux * halfWidth],
    [bx + uy * halfWidth, by - ux * halfWidth],
  ];
  return pts.map(([x, y]) => `${num(x)},${num(y)}`).join(" ");
}

/** Font stacks that every browser resolves without downloading anything. */
export const FONT_SANS = "Helvetica, Arial, sans-serif";
/** Monospace font stack for message labels (see FONT_SANS). */
export const FONT_MONO = "Menlo, Consolas, 'DejaVu Sans Mono', monospace";

/** Average advance of a monospace glyph as a fraction of the font size (for label boxes). */
export const MONO_CHAR_WIDTH = 0.6;
/** A generous average advance of a sans-serif glyph as a fraction of the font size. */
export const SANS_CHAR_WIDTH = 0.58;

/**
 * Colour-blind-safe palette (Okabe & Ito), in the order series get them; the yellow is left out
 * because it is unreadable on white.
 */
export const PALETTE: readonly string[] = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"];

/** Dash patterns that tell series apart without colour (printouts, colour-blind readers). */
export const DASHES: readonly (string | undefined)[] = [undefined, "6 3", "2 2", "8 3 2 3", "1 3", "10 4"];

/** The whole document: a root `<svg>` with a white background and an accessible title. */
export function svgDocument(width: number, height: number, title: string | undefined, body: string): string {
  const head =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${num(width)}" height="${num(height)}" ` +
    `viewBox="0 0 ${num(width)} ${num(height)}" font-family="${escapeXml(FONT_SANS)}" font-size="12">`;
  const titleEl = title === undefined ? "" : tooltip(title);
  return `${head}${titleEl}${el("rect", { x: 0, y: 0, width, height, fill: "#ffffff" })}${body}</svg>`;
}
