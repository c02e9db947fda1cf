/**
 * One independent register per key, in the shape of the course's own key-value protocols
 * (lib/replication: `f` "read" / "write" / "delete" / "cas", input `{ key, value }`), so a
 * simulated run's `history.ops` can be checked as recorded. Every key starts empty (null).
 *
 * - `read`: input `{ key }`; output the value, or an object with a `value` field (the course's
 *   `ReadResult`); null/undefined = empty;
 * - `write`: input `{ key, value }`; output ignored;
 * - `delete`: input `{ key }`; empties the key;
 * - `cas`: input `{ key, from, to }`; output `false` = the comparison failed, else it swapped.
 *
 * Partitioned by key: each key's operations are checked on their own, with the register model.
 */
import type { Model } from "../model";
import { registerModel } from "./register";

/** Input of every keyed-register operation. */
export interface KeyedRegisterInput {
  readonly key?: string;
  readonly value?: unknown;
  readonly from?: unknown;
  readonly to?: unknown;
}

/** key → value; keys never written are absent (empty). */
export type KeyedRegisterState = Readonly<Record<string, unknown>>;

function keyOf(input: KeyedRegisterInput): string {
  if (input === null || typeof input !== "object" || typeof input.key !== "string") {
    throw new TypeError(`keyedRegisterModel: every input must have a string key, got ${JSON.stringify(input)}.`);
  }
  return input.key;
}

/** The value a read answered: the output itself, or its `value` field (ReadResult). */
function readValue(output: unknown): unknown {
  if (output !== null && typeof output === "object" && !Array.isArray(output) && "value" in output) return (output as { value: unknown }).value;
  return output;
}

/** Translates a keyed operation to the plain register's vocabulary. */
function plain(f: string, input: KeyedRegisterInput, output: unknown): { f: string; input: unknown; output: unknown } {
  switch (f) {
    case "read":
      return { f, input: null, output: output === undefined ? undefined : (readValue(output) ?? null) };
    case "write":
      return { f, input: input.value ?? null, output };
    case "delete":
      return { f: "write", input: null, output };
    case "cas":
      return { f, input: [input.from ?? null, input.to ?? null], output };
    default:
      throw new TypeError(`keyedRegisterModel: unknown operation "${f}"; use read, write, delete or cas.`);
  }
}

/** The keyed-register model. See the module comment for the operations it understands. */
export const keyedRegisterModel: Model<KeyedRegisterState, KeyedRegisterInput, unknown> = {
  name: "registers by key",
  init: () => ({}),
  step(state, f, input, output) {
    const key = keyOf(input);
    const p = plain(f, input, output);
    const r = registerModel.step(state[key] ?? null, p.f, p.input, p.output);
    if (!r.ok || r.state === (state[key] ?? null)) return { ok: r.ok, state };
    return { ok: true, state: { ...state, [key]: r.state } };
  },
  stateKey(state) {
    const keys = Object.keys(state)
      .filter((k) => state[k] !== null && state[k] !== undefined)
      .sort();
    return JSON.stringify(keys.map((k) => [k, state[k]]));
  },
  partitionKey: (_f, input) => keyOf(input),
  readOnly: (f) => f === "read",
  describeOperation(f, input, output) {
    const p = plain(f, input, output);
    const text = registerModel.describeOperation!(p.f, p.input, p.output);
    return `${JSON.stringify(input.key)}: ${f === "delete" ? text.replace(/^write\(nil\)/, "delete()") : text}`;
  },
  describeState(state) {
    const keys = Object.keys(state)
      .filter((k) => state[k] !== null && state[k] !== undefined)
      .sort();
    if (keys.length === 0) return "{} (every key empty)";
    return `{${keys.map((k) => `${JSON.stringify(k)}: ${registerModel.describeState!(state[k])}`).join(", ")}}`;
  },
};
