/**
 * Property tests: a store that always answers from the leader's up-to-date state can never break
 * a session guarantee, and a store whose followers lag can, which every checker must then report.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkMonotonicReads, checkReadYourWrites, checkSessionGuarantees, type SessionOp } from "../../../../lib/checkers/session";

type Step = { session: number; write: boolean; key: number; lag: number };

/**
 * Plays `steps` one per millisecond against a log; each read is served by a replica `lag` entries
 * behind the leader (0: the leader). Returns the history with what each read saw.
 */
function play(steps: Step[]): SessionOp[] {
  const log: string[] = []; // log[p - 1] is the key written at position p
  const ops: SessionOp[] = [];
  steps.forEach((s, i) => {
    const session = `s${s.session}`;
    const key = `k${s.key}`;
    if (s.write) {
      log.push(key);
      ops.push({ kind: "write", id: i + 1, session, key, position: log.length, invokeMs: i, completeMs: i + 0.5 });
      return;
    }
    const upTo = Math.max(0, log.length - s.lag);
    let seen: number | null = null;
    for (let p = upTo; p >= 1; p--) if (log[p - 1] === key) { seen = p; break; }
    ops.push({ kind: "read", id: i + 1, session, key, replica: s.lag === 0 ? "leader" : `lag${s.lag}`, seen, invokeMs: i, completeMs: i + 0.5 });
  });
  return ops;
}

const step = (maxLag: number) =>
  fc.record({ session: fc.integer({ min: 1, max: 3 }), write: fc.boolean(), key: fc.integer({ min: 1, max: 3 }), lag: fc.integer({ min: 0, max: maxLag }) });

describe("session checkers on generated histories", () => {
  it("find nothing when every read is served with the latest state", () => {
    fc.assert(
      fc.property(fc.array(step(0), { maxLength: 60 }), (steps) => {
        const report = checkSessionGuarantees(play(steps), { by: "session" });
        expect(report.anomalousReads).toBe(0);
      }),
      { seed: 20261122, numRuns: 200 },
    );
  });

  it("report exactly the reads that miss a completed own write or fall behind an earlier read", () => {
    let found = 0;
    fc.assert(
      fc.property(fc.array(step(4), { maxLength: 60 }), (steps) => {
        const ops = play(steps);
        // An independent, brute-force statement of both guarantees.
        let rywExpected = 0;
        let monoExpected = 0;
        for (const op of ops) {
          if (op.kind !== "read") continue;
          const before = ops.filter((o) => o.session === op.session && o.key === op.key && o.completeMs <= op.invokeMs);
          const own = Math.max(0, ...before.filter((o) => o.kind === "write").map((o) => (o.kind === "write" ? o.position : 0)));
          const seenBefore = Math.max(0, ...before.filter((o) => o.kind === "read").map((o) => (o.kind === "read" ? (o.seen ?? 0) : 0)));
          if ((op.seen ?? 0) < own) rywExpected++;
          if ((op.seen ?? 0) < seenBefore) monoExpected++;
        }
        expect(checkReadYourWrites(ops)).toHaveLength(rywExpected);
        expect(checkMonotonicReads(ops)).toHaveLength(monoExpected);
        found += rywExpected + monoExpected;
      }),
      { seed: 20261123, numRuns: 200 },
    );
    expect(found, "the generated histories must contain violations, or this test proves nothing").toBeGreaterThan(0);
  });
});
