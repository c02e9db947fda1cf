import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EventQueue, type Scheduled } from "../../../lib/sim/event_queue";

interface LabelledEvent extends Scheduled {
  /** Order in which the test pushed the event. */
  label: number;
}

function event(time: number, label: number): LabelledEvent {
  return { time, seq: -1, label };
}

// Small integer times produce many ties, which is where (time, seq) ordering matters; doubles
// cover arbitrary spacing.
const time = fc.oneof(fc.integer({ min: 0, max: 5 }), fc.double({ min: 0, max: 1e6, noNaN: true }));

describe("EventQueue", () => {
  it("pops everything in (time, scheduling order), like a stable sort by time", () => {
    fc.assert(
      fc.property(fc.array(time, { maxLength: 400 }), (times) => {
        const queue = new EventQueue<LabelledEvent>();
        times.forEach((t, i) => queue.push(event(t, i)));
        // Array.prototype.sort is stable, so ties stay in push order: the reference ordering.
        const expected = times.map((t, i) => ({ t, i })).sort((a, b) => a.t - b.t).map((e) => e.i);
        const popped: number[] = [];
        for (let e = queue.pop(); e !== undefined; e = queue.pop()) popped.push(e.label);
        expect(popped).toEqual(expected);
        expect(queue.size).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it("keeps the order when pushes and pops are interleaved (model-based)", () => {
    const command = fc.oneof(
      fc.record({ op: fc.constant("push" as const), time }),
      fc.record({ op: fc.constant("pop" as const) }),
      fc.record({ op: fc.constant("peek" as const) }),
    );
    fc.assert(
      fc.property(fc.array(command, { maxLength: 400 }), (commands) => {
        const queue = new EventQueue<LabelledEvent>();
        const model: LabelledEvent[] = [];
        let nextLabel = 0;
        // The earliest event of the model: smallest time, then earliest push.
        const earliest = (): number => {
          let best = -1;
          model.forEach((e, i) => {
            const b = model[best];
            if (b === undefined || e.time < b.time || (e.time === b.time && e.label < b.label)) best = i;
          });
          return best;
        };
        for (const c of commands) {
          if (c.op === "push") {
            const e = event(c.time, nextLabel++);
            queue.push(e);
            model.push({ ...e });
          } else {
            const i = earliest();
            const expected = i < 0 ? undefined : model[i]!.label;
            if (c.op === "pop") {
              expect(queue.pop()?.label).toBe(expected);
              if (i >= 0) model.splice(i, 1);
            } else {
              expect(queue.peek()?.label).toBe(expected);
            }
          }
          expect(queue.size).toBe(model.length);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("assigns increasing sequence numbers at push time, overwriting what the caller set", () => {
    const queue = new EventQueue<LabelledEvent>();
    const a = { time: 3, seq: 99, label: 0 };
    const b = { time: 3, seq: -5, label: 1 };
    queue.push(a);
    queue.push(b);
    expect(b.seq).toBeGreaterThan(a.seq);
    // The caller's seq (99 vs -5) would have put b first; the queue's own numbering keeps push order.
    expect(queue.pop()).toBe(a);
    expect(queue.pop()).toBe(b);
  });

  it("peek returns the next event without removing it; an empty queue yields undefined", () => {
    const queue = new EventQueue<LabelledEvent>();
    expect(queue.peek()).toBeUndefined();
    expect(queue.pop()).toBeUndefined();
    queue.push(event(5, 0));
    queue.push(event(1, 1));
    expect(queue.peek()?.label).toBe(1);
    expect(queue.size).toBe(2);
    expect(queue.pop()?.label).toBe(1);
    expect(queue.pop()?.label).toBe(0);
    expect(queue.pop()).toBeUndefined();
  });

  it("clear empties the queue", () => {
    const queue = new EventQueue<LabelledEvent>();
    for (let i = 0; i < 10; i++) queue.push(event(i, i));
    queue.clear();
    expect(queue.size).toBe(0);
    expect(queue.pop()).toBeUndefined();
  });
});
