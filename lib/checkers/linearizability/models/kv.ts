/**
 * A key-value map of strings, as in Porcupine's and Jepsen's kv tests. Every key starts absent,
 * and a get of an absent key returns "".
 *
 * Operations (`f`, `input`, `output`):
 * - `get`: input `{ key }`; output is the string read;
 * - `put`: input `{ key, value }`; replaces the key's string;
 * - `append`: input `{ key, value }`; adds `value` to the end of the key's string.
 *
 * Keys are independent, so the model partitions by key and each key is checked on its own.
 */
import type { Model } from "../model";
import { hashString } from "../search";
import { showValue } from "./values";

/** Input of every kv operation (`value` is absent for get). */
export interface KvModelInput {
  readonly key: string;
  readonly value?: string | null;
}

/** The map's content: key → string. Never mutated (each step returns a new object). */
export type KvModelState = Readonly<Record<string, string>>;

function keyOf(input: KvModelInput): string {
  if (input === null || typeof input !== "object" || typeof input.key !== "string") {
    throw new TypeError(`kvModel: every input must be { key: string, value?: string }, got ${JSON.stringify(input)}.`);
  }
  return input.key;
}

/** The kv model. See the module comment for the operations it understands. */
export const kvModel: Model<KvModelState, KvModelInput, unknown> = {
  name: "key-value map",
  init: () => ({}),
  step(state, f, input, output) {
    const key = keyOf(input);
    const current = state[key] ?? "";
    switch (f) {
      case "get":
        return { ok: output === undefined || (output ?? "") === current, state };
      case "put":
        return { ok: true, state: { ...state, [key]: input.value ?? "" } };
      case "append":
        return { ok: true, state: { ...state, [key]: current + (input.value ?? "") } };
      default:
        throw new TypeError(`kvModel: unknown operation "${f}"; use get, put or append.`);
    }
  },
  equal(a, b) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    for (const k of ka) if (a[k] !== b[k]) return false;
    return true;
  },
  hash(state) {
    let h = 0;
    // Order-independent over keys, so it agrees with \`equal\`.
    for (const k in state) h = (h + Math.imul(hashString(k), 31) + hashString(state[k]!)) | 0;
    return h;
  },
  stateKey(state) {
    const keys = Object.keys(state).sort();
    // One key per partition is the common case: keep it cheap.
    if (keys.length === 1) return JSON.stringify([keys[0], state[keys[0]!]]);
    return JSON.stringify(keys.map((k) => [k, state[k]]));
  },
  readReachability(ops) {
    if (ops.some((op) => op.f !== "get" && op.f !== "put" && op.f !== "append")) return undefined;
    const puts = ops.flatMap((op, i) => (op.f === "put" ? [i] : []));
    // Appends only lengthen the string and a put replaces it, so the string a get reads later is
    // the current one or a remaining put's value, followed by appended text.
    return (state, read, placed) => {
      const op = ops[read]!;
      // A get's output null means "" (see step); anything else but a string: no opinion.
      const wanted = op.output === null ? "" : op.output;
      if (op.f !== "get" || typeof wanted !== "string") return true;
      if (wanted.startsWith(state[keyOf(op.input)] ?? "")) return true;
      return puts.some((i) => !placed(i) && wanted.startsWith(String(ops[i]!.input.value ?? "")));
    };
  },
  partitionKey: (_f, input) => keyOf(input),
  readOnly: (f) => f === "get",
  describeOperation(f, input, output) {
    const unknown = output === undefined;
    if (f === "get") return `get(${showValue(input.key)}) → ${unknown ? "?" : showValue(output ?? "")}`;
    return `${f}(${showValue(input.key)}, ${showValue(input.value ?? "")})${unknown ? " ?" : ""}`;
  },
  describeState(state) {
    const keys = Object.keys(state).sort();
    if (keys.length === 0) return "{} (every key absent)";
    return `{${keys.map((k) => `${showValue(k)}: ${showValue(state[k])}`).join(", ")}}`;
  },
};
