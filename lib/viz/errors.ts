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

/** Throws VizInputError naming `name` when `value` is given but is not a finite number. */
function requireFiniteIfGiven(value: number | undefined, name: string, what: string, where: string): void {
  if (value !== undefined && (typeof value !== "number" || !Number.isFinite(value))) {
    throw new VizInputError(`${where}: ${name} must be ${what}, got ${String(value)}.`);
  }
}

/** Throws VizInputError unless fromMs <= toMs (when both are given). */
export function requireWindow(fromMs: number | undefined, toMs: number | undefined, where: string): void {
  requireFiniteIfGiven(fromMs, "fromMs", "a finite number of ms", where);
  requireFiniteIfGiven(toMs, "toMs", "a finite number of ms", where);
  if (fromMs !== undefined && toMs !== undefined && fromMs > toMs) {
    throw new VizInputError(`${where}: fromMs (${fromMs}) is after toMs (${toMs}); swap them.`);
  }
}

/** Throws VizInputError unless a fixed y range is usable: finite bounds, and max > min when both are given. */
export function requireYRange(min: number | undefined, max: number | undefined, where: string): void {
  requireFiniteIfGiven(min, "min", "a finite number", where);
  requireFiniteIfGiven(max, "max", "a finite number", where);
  if (min !== undefined && max !== undefined && !(max > min)) {
    throw new VizInputError(`${where}: max (${max}) must be greater than min (${min}).`);
  }
}
