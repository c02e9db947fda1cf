/**
 * Axis arithmetic shared by the charts and the space-time diagram: "nice" tick values (1, 2, 2.5
 * or 5 times a power of ten) and linear maps from data to pixels.
 */

/** A step of 1, 2, 2.5 or 5 times a power of ten that gives at most about `maxTicks` ticks. */
export function niceStep(span: number, maxTicks: number): number {
  if (!(span > 0) || !Number.isFinite(span)) return 1;
  const raw = span / Math.max(1, maxTicks);
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const m of [1, 2, 2.5, 5, 10]) {
    if (m * power >= raw) return m * power;
  }
  return 10 * power;
}

/**
 * Tick values covering [min, max] at a nice step, from the first multiple of the step at or
 * below `min` to the first at or above `max`. Values are rounded to the step's precision so they
 * print cleanly (0.30000000000000004 becomes 0.3).
 */
export function niceTicks(min: number, max: number, maxTicks = 6): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) {
    // A flat series still needs an axis: put the value in the middle of a range half its size
    // either side (-1..1 around zero).
    const pad = min === 0 ? 1 : Math.abs(min) * 0.5;
    return niceTicks(min - pad, max + pad, maxTicks);
  }
  if (min > max) [min, max] = [max, min];
  const step = niceStep(max - min, maxTicks);
  const decimals = stepDecimals(step);
  const first = Math.floor(min / step + 1e-9) * step;
  const ticks: number[] = [];
  for (let i = 0; ; i++) {
    const v = Number((first + i * step).toFixed(decimals));
    ticks.push(v);
    if (v >= max - 1e-9 * step || i > 1000) break;
  }
  return ticks;
}

/** Decimals needed to print multiples of `step` exactly (0.25 → 2, 5 → 0). */
export function stepDecimals(step: number): number {
  for (let d = 0; d < 10; d++) {
    if (Math.abs(Math.round(step * Math.pow(10, d)) - step * Math.pow(10, d)) < 1e-9) return d;
  }
  return 10;
}

/** A linear map from [d0, d1] to [r0, r1]; a zero-width domain maps everything to the middle. */
export function linearScale(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  if (d1 === d0) return () => (r0 + r1) / 2;
  const k = (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}
