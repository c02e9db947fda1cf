/**
 * A single read/write/compare-and-set register that starts empty (null, Jepsen's nil).
 *
 * Operations (`f`, `input`, `output`):
 * - `read`: input ignored; output is the value read (null/undefined = empty);
 * - `write`: input is the value; output ignored;
 * - `cas`: input is `[from, to]` or `{ from, to }`; sets `to` when the value equals `from`.
 *   An output of `false` means the comparison failed (so the value differed from `from` and
 *   nothing changed); any other output means the swap happened. (Jepsen records a failed cas as
 *   `:fail`, which the checker ignores altogether.)
 */
import type { Model } from "../model";
import { sameValue, showValue, valueKey } from "./values";

/** The register's content; null is the initial, empty value. */
export type RegisterState = unknown;

/** The input of a cas, in either accepted shape. */
export type CasInput = readonly [unknown, unknown] | { readonly from: unknown; readonly to: unknown };

function casArgs(input: unknown): { from: unknown; to: unknown } {
  if (Array.isArray(input) && input.length === 2) return { from: input[0], to: input[1] };
  if (input !== null && typeof input === "object" && "from" in input && "to" in input) {
    const o = input as { from: unknown; to: unknown };
    return { from: o.from, to: o.to };
  }
  throw new TypeError(`registerModel: a cas input must be [from, to] or {from, to}, got ${JSON.stringify(input)}.`);
}

/** The register model. See the module comment for the operations it understands. */
export const registerModel: Model<RegisterState, unknown, unknown> = {
  name: "register",
  init: () => null,
  step(state, f, input, output) {
    switch (f) {
      case "read":
        return { ok: output === undefined || sameValue(state, output), state };
      case "write":
        return { ok: true, state: input === undefined ? null : input };
      case "cas": {
        const { from, to } = casArgs(input);
        const matches = sameValue(state, from);
        if (output === false) return { ok: !matches, state };
        if (output === undefined) return { ok: true, state: matches ? to : state };
        return { ok: matches, state: matches ? to : state };
      }
      default:
        throw new TypeError(`registerModel: unknown operation "${f}"; use read, write or cas.`);
    }
  },
  equal: sameValue,
  stateKey: valueKey,
  readOnly: (f) => f === "read",
  describeOperation(f, input, output) {
    const unknown = output === undefined;
    switch (f) {
      case "read":
        return unknown ? "read() → ?" : `read() → ${showValue(output)}`;
      case "write":
        return `write(${showValue(input)})${unknown ? " ?" : ""}`;
      case "cas": {
        const { from, to } = casArgs(input);
        const result = unknown ? " ?" : output === false ? " → failed" : "";
        return `cas(${showValue(from)} → ${showValue(to)})${result}`;
      }
      default:
        return `${f}(${showValue(input)})${unknown ? " ?" : ` → ${showValue(output)}`}`;
    }
  },
  describeState: showValue,
};
