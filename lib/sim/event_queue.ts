/**
 * The simulator's event queue: a binary min-heap ordered by (time, sequence number). The sequence
 * number is assigned at push time, so events scheduled for the same instant run in the order they
 * were scheduled; this is what makes runs replay byte for byte.
 *
 * Written by hand rather than taken from a library because it is the hot loop of every run and
 * needs the (time, seq) key without allocating a comparator closure per comparison.
 */
export interface Scheduled {
  /** Simulated time (ms) at which the event fires. */
  time: number;
  /** Tie-breaker: order of scheduling. Set by the queue. */
  seq: number;
}

/** The min-heap described above; `E` is the simulator's event type. */
export class EventQueue<E extends Scheduled> {
  private heap: E[] = [];
  private nextSeq = 0;

  /** Events queued, cancelled ones included until they are popped. */
  get size(): number {
    return this.heap.length;
  }

  /** Adds an event; its `seq` is overwritten with the next sequence number. */
  push(event: E): void {
    event.seq = this.nextSeq++;
    const heap = this.heap;
    let i = heap.length;
    heap.push(event);
    // Sift up.
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent] as E;
      if (p.time < event.time || (p.time === event.time && p.seq < event.seq)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = event;
  }

  /** The earliest event without removing it. */
  peek(): E | undefined {
    return this.heap[0];
  }

  /** Removes and returns the earliest event. */
  pop(): E | undefined {
    const heap = this.heap;
    const n = heap.length;
    if (n === 0) return undefined;
    const top = heap[0] as E;
    const last = heap.pop() as E;
    if (n > 1) {
      // Sift down.
      const size = n - 1;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= size) break;
        const r = l + 1;
        let c = l;
        let child = heap[l] as E;
        if (r < size) {
          const right = heap[r] as E;
          if (right.time < child.time || (right.time === child.time && right.seq < child.seq)) {
            c = r;
            child = right;
          }
        }
        if (last.time < child.time || (last.time === child.time && last.seq < child.seq)) break;
        heap[i] = child;
        i = c;
      }
      heap[i] = last;
    }
    return top;
  }

  /** Drops every event (sequence numbers keep counting, so order stays by scheduling). */
  clear(): void {
    this.heap = [];
  }
}
