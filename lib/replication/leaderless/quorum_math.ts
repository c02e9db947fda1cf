/**
 * Quorum arithmetic: how many replicas may fail, and how likely it is that enough are up.
 * These are the closed-form answers the notebook checks against the simulator.
 */

/** Failures a quorum configuration tolerates: writes need w of n, reads r of n. */
export function toleratedFailures(n: number, w: number, r: number): { writes: number; reads: number; overlap: boolean } {
  return { writes: n - w, reads: n - r, overlap: w + r > n };
}

/** Binomial coefficient C(n, k) as a float (exact for the small n used here). */
export function choose(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let result = 1;
  for (let i = 1; i <= k; i++) result = (result * (n - k + i)) / i;
  return result;
}

/** Chance that at least `k` of `n` independent nodes are up, each up with probability `p`. */
export function probabilityAtLeastUp(k: number, n: number, p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`p is a probability between 0 and 1, got ${p}`);
  let total = 0;
  for (let up = k; up <= n; up++) total += choose(n, up) * p ** up * (1 - p) ** (n - up);
  return total;
}
