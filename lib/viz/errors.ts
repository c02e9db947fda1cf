/**
 * Errors the renderers throw. A renderer is usually called from a notebook cell, so the message
 * names the option that was wrong and what to pass instead.
 */

/** Invalid input to a renderer: an empty series, a negative width, an unknown lane... */
export class VizInputError extends Error {
  override readonly name = "VizInputError";
  constructor(message: string) {
    super(message);
  }
}

/** Throws VizInputError unless `value` is a finite number > 0 (or >= 0 with `allowZero`). */
export function requirePositive(value: number | undefined, what: string, allowZero = false): void {
  if (value === undefined) return;
  const ok = typeof value === "number" && Number.isFinite(value) && (allowZero ? value >= 0 : value > 0);
  if (!ok) {
    throw new VizInputError(`${what} must be a finite number ${allowZero ? ">= 0" : "> 0"}, got ${String(value)}.`);
  }
}

/** Throws VizInputError unless fromMs <= toMs (when both are given). */
export function requireWindow(fromMs: number | undefined, toMs: number | undefined, where: string): void {
  for (const [v, name] of [
    [fromMs, "fromMs"],
    [toMs, "toMs"],
  ] as const) {
    if (v !== undefined && (typeof v !== "number" || !Number.isFinite(v))) {
      throw new VizInputError(`${where}: ${name} must be a finite number of ms, got ${String(v)}.`);
    }
  }
  if (fromMs !== undefined && toMs !== undefined && fromMs > toMs) {
    throw new VizInputError(`${where}: fromMs (${fromMs}) is after toMs (${toMs}); swap them.`);
  }
}

/** Throws VizInputError unless a fixed y range is usable: finite bounds, and max > min when both are given. */
export function requireYRange(min: number | undefined, max: number | undefined, where: string): void {
  for (const [v, name] of [
    [min, "min"],
    [max, "max"],
  ] as const) {
    if (v !== undefined && (typeof v !== "number" || !Number.isFinite(v))) {
      throw new VizInputError(`${where}: ${name} must be a finite number, got ${String(v)}.`);
    }
  }
  if (min !== undefined && max !== undefined && !(max > min)) {
    throw new VizInputError(`${where}: max (${max}) must be greater than min (${min}).`);
  }
}
