/**
 * The search against a naive checker that tries every order: on random small histories (register
 * and two-key kv, with concurrent, failed, unknown and pending operations) both must agree.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkLinearizability, kvModel, registerModel, type CheckedOp } from "../../../../lib/checkers";

interface Spec {
  init(): unknown;
  step(state: unknown, f: string, input: any, output: any, known: boolean): { ok: boolean; state: unknown };
}

/** The register restated from its definition (not the library's code). */
const registerSpec: Spec = {
  init: () => null,
  step(s, f, input, output, known) {
    if (f === "read") return { ok: !known || s === (output ?? null), state: s };
    if (f === "write") return { ok: true, state: input };
    const [from, to] = input as [unknown, unknown];
    if (!known) return { ok: true, state: s === from ? to : s };
    if (output === false) return { ok: s !== from, state: s };
    return { ok: s === from, state: to };
  },
};

/** The kv map restated: a Map from key to string, "" when absent. */
const kvSpec: Spec = {
  init: () => new Map<string, string>(),
  step(s, f, input, output, known) {
    const m = s as Map<string, string>;
    const cur = m.get(input.key) ?? "";
    if (f === "get") return { ok: !known || output === cur, state: m };
    const next = new Map(m);
    next.set(input.key, f === "put" ? input.value : cur + input.value);
    return { ok: true, state: next };
  },
};

function* permutations<T>(items: T[]): Generator<T[]> {
  if (items.length <= 1) {
    yield items.slice();
    return;
  }
  for (let i = 0; i < items.length; i++) {
    const rest = [...items.slice(0, i), ...items.slice(i + 1)];
    for (const p of permutations(rest)) yield [items[i]!, ...p];
  }
}

/**
 * Linearizable iff some subset of the unknown/pending operations (the others never happened)
 * together with every ok operation has an order that respects real time (an operation that
 * returned strictly before another was invoked comes first) and that the specification accepts.
 */
function naiveLinearizable(spec: Spec, ops: readonly CheckedOp[]): boolean {
  const okOps = ops.filter((o) => o.status === "ok");
  const maybe = ops.filter((o) => o.status === "unknown" || o.status === "pending");
  const end = (o: CheckedOp) => (o.status === "ok" ? o.completeMs! : Number.POSITIVE_INFINITY);
  for (let mask = 0; mask < 1 << maybe.length; mask++) {
    const chosen = [...okOps, ...maybe.filter((_, i) => (mask & (1 << i)) !== 0)];
    for (const order of permutations(chosen)) {
      let fine = true;
      for (let i = 0; i < order.length && fine; i++) {
        for (let j = i + 1; j < order.length && fine; j++) if (end(order[j]!) < order[i]!.invokeMs) fine = false;
      }
      if (!fine) continue;
      let state = spec.init();
      for (const o of order) {
        const r = spec.step(state, o.f, o.input, o.output, o.status === "ok");
        if (!r.ok) {
          fine = false;
          break;
        }
        state = r.state;
      }
      if (fine) return true;
    }
  }
  return false;
}

const status = fc.constantFrom<CheckedOp["status"]>("ok", "ok", "ok", "ok", "fail", "unknown", "pending");
const timing = fc.record({ invokeMs: fc.integer({ min: 0, max: 12 }), duration: fc.integer({ min: 0, max: 6 }) });
const value = fc.constantFrom(0, 1, 2);

const registerOp = fc.oneof(
  fc.record({ f: fc.constant("read"), input: fc.constant(null), output: fc.constantFrom<unknown>(null, 0, 1, 2) }),
  fc.record({ f: fc.constant("write"), input: value, output: fc.constant<unknown>(null) }),
  fc.record({ f: fc.constant("cas"), input: fc.tuple(fc.constantFrom<unknown>(null, 0, 1), value), output: fc.constantFrom<unknown>(true, false) }),
);
const kvOp = fc.oneof(
  fc.record({ f: fc.constant("get"), input: fc.record({ key: fc.constantFrom("x", "y") }), output: fc.constantFrom<unknown>("", "a", "b", "ab", "ba") }),
  fc.record({ f: fc.constantFrom("put", "append"), input: fc.record({ key: fc.constantFrom("x", "y"), value: fc.constantFrom("a", "b") }), output: fc.constant<unknown>(null) }),
);

function history(opArb: fc.Arbitrary<{ f: string; input: unknown; output: unknown }>, maxOps: number): fc.Arbitrary<CheckedOp[]> {
  return fc.array(fc.record({ call: opArb, status, timing, client: fc.constantFrom("a", "b", "c") }), { minLength: 1, maxLength: maxOps }).map((items) =>
    items.map(({ call, status: st, timing: t, client }, id) => ({
      id,
      client,
      f: call.f,
      input: call.input,
      status: st,
      ...(st === "ok" ? { output: call.output } : {}),
      invokeMs: t.invokeMs,
      ...(st === "pending" ? {} : { completeMs: t.invokeMs + t.duration }),
    })),
  );
}

describe("the search agrees with a brute-force checker on small random histories", () => {
  const run = (name: string, model: typeof registerModel | typeof kvModel, spec: Spec, arb: fc.Arbitrary<CheckedOp[]>) => {
    it(name, () => {
      const seen = { linearizable: 0, "not linearizable": 0 };
      fc.assert(
        fc.property(arb, (ops) => {
          const expected = naiveLinearizable(spec, ops) ? "linearizable" : "not linearizable";
          const got = checkLinearizability(model as never, ops).verdict;
          seen[expected]++;
          return got === expected;
        }),
        { numRuns: 400, seed: 20261122 },
      );
      // Both answers must occur, or the comparison proves little.
      expect(seen.linearizable).toBeGreaterThan(40);
      expect(seen["not linearizable"]).toBeGreaterThan(40);
    });
  };
  run("register: read / write / cas", registerModel, registerSpec, history(registerOp, 6));
  run("kv: get / put / append on two keys", kvModel, kvSpec, history(kvOp, 6));
});
