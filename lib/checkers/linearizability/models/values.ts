/** Value helpers shared by the built-in models: one notion of equality and one way to print. */

/** Canonical text of a value: undefined and null are the same (the empty register). */
export function valueKey(v: unknown): string {
  return v === undefined ? "null" : JSON.stringify(v);
}

/** Equality by canonical text, so 3 and "3" differ but [1, 2] equals another [1, 2]. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  return valueKey(a) === valueKey(b);
}

/** A value as it appears in explanations: strings quoted, null as nil. */
export function showValue(v: unknown): string {
  if (v === undefined || v === null) return "nil";
  return JSON.stringify(v);
}
