/**
 * Grading suite for the conflict_resolver exercise (chapter 05). It runs against the learner's
 * exercises/ folder, the reference solutions/ and the generated starter (where it must fail); see
 * grading/README.md. Test names are written for the learner: they read them in `npm run grade`.
 *
 * The property tests generate concurrent writes (timestamps drawn from a few values, so ties are
 * common), deliver them to three leaders in different orders with duplicates, and check that the
 * leaders converge and show what the strategy says, computed here without the learner's code.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyWrite, type ConcurrentWrite, type RegisterState, type ResolverStrategy } from "@exercise/conflict_resolver";

function w(id: string, origin: string, value: string, timestampMs: number): ConcurrentWrite {
  return { id, origin, value, timestampMs };
}

/** Folds the arrivals the way a leader does, freezing what it hands over (the learner must not modify it). */
function fold(arrivals: readonly ConcurrentWrite[], strategy: ResolverStrategy): RegisterState | undefined {
  let state: RegisterState | undefined;
  for (const incoming of arrivals) {
    if (state !== undefined) {
      Object.freeze(state.writes);
      Object.freeze(state);
    }
    state = applyWrite(state, Object.freeze({ ...incoming }), strategy);
  }
  return state;
}

const lww: ResolverStrategy = { kind: "last-write-wins" };
const merge: ResolverStrategy = { kind: "merge" };
const b = w("eu:1", "eu", "B", 1_000);
const c = w("us:1", "us", "C", 1_002);

/** Replaying one seed runs only the property tests, with that seed. */
const replaying = process.env.REPLAY_SEED !== undefined;

describe.skipIf(replaying)("applyWrite on the title conflict (B on eu, C on us)", () => {
  it("the first write of a key is shown as it is", () => {
    expect(fold([b], lww)).toEqual({ value: "B", writes: [b] });
    expect(fold([b], merge)).toEqual({ value: "B", writes: [b] });
  });

  it("last write wins keeps the greater timestamp, in either order", () => {
    expect(fold([b, c], lww)).toEqual({ value: "C", writes: [c] });
    expect(fold([c, b], lww)).toEqual({ value: "C", writes: [c] });
  });

  it("last write wins breaks a timestamp tie by the greater origin, then the greater id", () => {
    const tie = w("x9", "asia", "A", 1_002); // its id is the greater one: the origin must decide first
    const why = "C (us) and A (asia) carry the same timestamp, so the greater origin wins: \"us\" > \"asia\"";
    expect(fold([c, tie], lww)!.value, `${why}; C arrived first`).toBe("C");
    expect(fold([tie, c], lww)!.value, `${why}; A arrived first`).toBe("C");
    const sameOrigin = [w("us:7", "us", "X", 5), w("us:12", "us", "Y", 5)];
    expect(fold(sameOrigin, lww)!.value, "same timestamp and origin: the id must decide, whatever the arrival order").toBe(fold([...sameOrigin].reverse(), lww)!.value);
  });

  it("replica priority follows order, not clocks; unlisted leaders come last", () => {
    const byPriority: ResolverStrategy = { kind: "replica-priority", order: ["eu", "us"] };
    expect(fold([b, c], byPriority)).toEqual({ value: "B", writes: [b] });
    expect(fold([c, b], byPriority)).toEqual({ value: "B", writes: [b] });
    const stranger = w("asia:1", "asia", "A", 9_999);
    expect(fold([stranger, c], byPriority)!.value, "asia is not in order, so it ranks below us despite its later clock").toBe("C");
  });

  it("merge keeps both values as B/C, whatever the order", () => {
    expect(fold([c, b], merge)).toEqual({ value: "B/C", writes: [b, c] });
    expect(fold([b, c], merge)).toEqual({ value: "B/C", writes: [b, c] });
  });

  it("a write delivered twice counts once", () => {
    expect(fold([b, c, b, c], merge)).toEqual({ value: "B/C", writes: [b, c] });
    expect(fold([c, b, c], lww)).toEqual({ value: "C", writes: [c] });
  });

  it("merge lists a value once even when two writes carry it", () => {
    const again = w("asia:1", "asia", "B", 3);
    expect(fold([b, again, c], merge)).toEqual({ value: "B/C", writes: [again, b, c] });
  });
});

const origins = ["asia", "eu", "sa", "us"];

/** 1-7 concurrent writes with distinct ids; few timestamps and values, so ties and repeats are common. */
const arbitraryWrites = fc
  .array(fc.record({ origin: fc.constantFrom(...origins), value: fc.constantFrom("A", "B", "C", "D"), timestampMs: fc.integer({ min: 0, max: 3 }) }), {
    minLength: 1,
    maxLength: 7,
  })
  // Ids unrelated to origins (w7, w6, ...), so an id comparison cannot stand in for the origin one.
  .map((ws) => ws.map((x, i) => w(`w${7 - i}`, x.origin, x.value, x.timestampMs)));

const arbitraryStrategy: fc.Arbitrary<ResolverStrategy> = fc.oneof(
  fc.constant<ResolverStrategy>({ kind: "last-write-wins" }),
  fc.constant<ResolverStrategy>({ kind: "merge" }),
  fc.shuffledSubarray(origins, { minLength: 1 }).map((order): ResolverStrategy => ({ kind: "replica-priority", order })),
);

/** Three leaders' arrival orders: each a permutation of the writes with some of them delivered again. */
const arbitraryScenario = fc.tuple(arbitraryStrategy, arbitraryWrites).chain(([strategy, writes]) =>
  fc
    .array(
      fc.tuple(fc.shuffledSubarray(writes, { minLength: writes.length, maxLength: writes.length }), fc.subarray(writes)).map(([order, again]) => [...order, ...again]),
      { minLength: 3, maxLength: 3 },
    )
    .map((orders) => ({ strategy, writes, orders })),
);

/** What the key must show, worked out from the set of writes alone. */
function expectedState(strategy: ResolverStrategy, writes: readonly ConcurrentWrite[]): RegisterState {
  if (strategy.kind === "merge") {
    const sorted = [...writes].sort((x, y) => (x.id < y.id ? -1 : 1));
    return { value: [...new Set(writes.map((x) => x.value))].sort().join("/"), writes: sorted };
  }
  const rank = (x: ConcurrentWrite) => (strategy.kind === "replica-priority" && strategy.order.includes(x.origin) ? strategy.order.indexOf(x.origin) : origins.length);
  const key = (x: ConcurrentWrite) => [-rank(x), x.timestampMs, x.origin, x.id] as const;
  const winner = [...writes].sort((x, y) => {
    const [kx, ky] = [key(x), key(y)];
    for (let i = 0; i < kx.length; i++) if (kx[i] !== ky[i]) return kx[i]! < ky[i]! ? 1 : -1;
    return 0;
  })[0]!;
  return { value: winner.value, writes: [winner] };
}

/** A state in one line: the value and the ids of the writes it keeps (failure messages must show the difference). */
function showState(state: RegisterState | undefined): string {
  if (state === undefined || state === null) return "no state";
  const writes = Array.isArray(state.writes) ? state.writes.map((x) => x?.id).join(", ") : JSON.stringify(state.writes);
  return `value ${JSON.stringify(state.value)} keeping writes [${writes}]`;
}

/** Deep equality as toEqual sees it, failing with both states spelled out. */
function sameState(actual: RegisterState | undefined, expected: RegisterState | undefined, what: string): void {
  try {
    expect(actual).toEqual(expected);
  } catch {
    throw new Error(`${what}: it shows ${showState(actual)}, expected ${showState(expected)}`);
  }
}

const SEED = process.env.REPLAY_SEED ? Number(process.env.REPLAY_SEED) : 20261105;

/** Runs a property; a failure names the seed, the replay command and the smallest case fast-check found. */
function check(name: string, property: fc.IProperty<[{ strategy: ResolverStrategy; writes: ConcurrentWrite[]; orders: ConcurrentWrite[][] }]>): void {
  if (!Number.isSafeInteger(SEED)) throw new Error(`--seed must be a whole number (like the seeds this exercise prints), got ${process.env.REPLAY_SEED}`);
  const details = fc.check(property, { seed: SEED, numRuns: 400 });
  if (!details.failed) return;
  const example = details.counterexample?.[0];
  const error = details.errorInstance instanceof Error ? details.errorInstance : undefined;
  if (error?.name === "NotImplementedError") throw error;
  throw new Error(
    [
      `seed ${SEED} failed: ${name}`,
      error ? error.message.split("\n")[0] : String(details.errorInstance),
      example ? `strategy: ${JSON.stringify(example.strategy)}` : "",
      ...(example?.orders ?? []).map((order, i) => `leader ${i + 1} received: ${order.map((x) => `${x.id}=${x.value}@${x.timestampMs} from ${x.origin}`).join(", ")}`),
      `replay: npm run grade conflict_resolver -- --seed ${SEED}`,
    ]
      .filter(Boolean)
      .join("\n"),
  );
}

describe("random concurrent writes in random delivery orders", () => {
  it("every leader ends with the same state, whatever order and duplicates it received", () => {
    check(
      "the leaders diverged",
      fc.property(arbitraryScenario, ({ strategy, orders }) => {
        const states = orders.map((order) => fold(order, strategy));
        for (let i = 1; i < states.length; i++) {
          sameState(states[i], states[0], `leader ${i + 1} differs from leader 1 (strategy ${strategy.kind})`);
        }
      }),
    );
  });

  it("the state is the one the strategy says (winner, or every write for merge)", () => {
    check(
      "wrong state",
      fc.property(arbitraryScenario, ({ strategy, writes, orders }) => {
        sameState(fold(orders[0]!, strategy), expectedState(strategy, writes), `leader 1 is wrong (strategy ${strategy.kind})`);
      }),
    );
  });

  it("merge loses no concurrent write: every value shows up in the merged value", () => {
    check(
      "merge lost a write",
      fc.property(arbitraryScenario, ({ writes, orders }) => {
        const state = fold(orders[1]!, merge)!;
        const shown = state.value.split("/");
        for (const x of writes) expect(shown, `${x.id} wrote ${x.value}`).toContain(x.value);
      }),
    );
  });
});
