import seedrandom from "seedrandom";

/** A seed as a learner types it: a number or a string. Both replay byte for byte. */
export type Seed = number | string;

/**
 * One named, independently seeded random stream. Streams are split by purpose (network,
 * workload, faults, each node's timers) so that one extra draw in one place does not reshuffle
 * every other decision of the run.
 */
export class RandomStream {
  private readonly next: () => number;

  constructor(
    readonly rootSeed: string,
    readonly name: string,
  ) {
    // alea is seedrandom's fastest generator with good statistical quality; the stream name is
    // part of the seed so streams are independent of each other and of the order they are made.
    this.next = seedrandom.alea(`${rootSeed}/${name}`);
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next();
  }

  /** Uniform in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Integer uniform in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with the given probability. */
  chance(probability: number): boolean {
    return probability > 0 && this.next() < probability;
  }

  /** Exponentially distributed with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** Normally distributed (Box-Muller). */
  normal(mean: number, stdDev: number): number {
    const u1 = 1 - this.next();
    const u2 = this.next();
    return mean + stdDev * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError(`cannot pick from an empty list (stream ${this.name})`);
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** A shuffled copy (Fisher-Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = out[i] as T;
      out[i] = out[j] as T;
      out[j] = tmp;
    }
    return out;
  }
}

/** Hands out named streams derived from one root seed; asking twice gives the same stream. */
export class RandomStreams {
  readonly seed: string;
  private readonly streams = new Map<string, RandomStream>();

  constructor(seed: Seed) {
    this.seed = String(seed);
  }

  /** The stream named `name` ("network", "faults", "node:a"...); the same object on every call. */
  stream(name: string): RandomStream {
    let s = this.streams.get(name);
    if (s === undefined) {
      s = new RandomStream(this.seed, name);
      this.streams.set(name, s);
    }
    return s;
  }
}
