import { describe, expect, it } from "vitest";
import { RandomStream, RandomStreams } from "../../../lib/sim/random";
import { binomialBound, meanAndVariance } from "./helpers";

const N = 20_000;

function draws(stream: RandomStream, n: number, draw: (s: RandomStream) => number = (s) => s.float()): number[] {
  return Array.from({ length: n }, () => draw(stream));
}

describe("RandomStreams: reproducibility", () => {
  it("gives the same sequence for the same seed and stream name", () => {
    const a = new RandomStreams(42).stream("network");
    const b = new RandomStreams(42).stream("network");
    expect(draws(a, 1000)).toEqual(draws(b, 1000));
  });

  it("gives different sequences for different seeds", () => {
    const a = draws(new RandomStreams(1).stream("network"), 100);
    const b = draws(new RandomStreams(2).stream("network"), 100);
    expect(a).not.toEqual(b);
  });

  it("gives different sequences for different stream names under one seed", () => {
    const streams = new RandomStreams("s");
    expect(draws(streams.stream("network"), 100)).not.toEqual(draws(streams.stream("workload"), 100));
  });

  it("hands out the same stream object when asked twice, so its sequence continues", () => {
    const streams = new RandomStreams(7);
    const first = streams.stream("faults");
    const head = draws(first, 5);
    expect(streams.stream("faults")).toBe(first);
    const fresh = new RandomStreams(7).stream("faults");
    expect(draws(fresh, 10)).toEqual([...head, ...draws(streams.stream("faults"), 5)]);
  });

  it("keeps streams independent: extra draws on network do not change workload", () => {
    const quiet = new RandomStreams(99);
    const expected = draws(quiet.stream("workload"), 50);

    const busy = new RandomStreams(99);
    const network = busy.stream("network");
    draws(network, 1234);
    const workload = busy.stream("workload");
    const interleaved: number[] = [];
    for (let i = 0; i < 50; i++) {
      interleaved.push(workload.float());
      network.exponential(10); // another consumer drawing between every workload draw
    }
    expect(interleaved).toEqual(expected);
  });

  it("does not depend on the order in which streams are created", () => {
    const ab = new RandomStreams(5);
    ab.stream("a");
    const bFirst = draws(ab.stream("b"), 20);
    const ba = new RandomStreams(5);
    const bSecond = draws(ba.stream("b"), 20);
    ba.stream("a");
    expect(bSecond).toEqual(bFirst);
  });

  it("exposes the root seed as a string", () => {
    expect(new RandomStreams(12).seed).toBe("12");
    expect(new RandomStreams("abc").stream("x").rootSeed).toBe("abc");
  });
});

describe("RandomStream: distributions (5-sigma bounds from n)", () => {
  const stream = () => new RandomStreams("distributions").stream("test");

  it("float is uniform in [0, 1) with mean 1/2 and variance 1/12", () => {
    const xs = draws(stream(), N);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    const { mean, variance } = meanAndVariance(xs);
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / N));
    // Var of the sample variance of U(0,1) is (mu4 - sigma^4) / n with mu4 = 1/80, sigma^4 = 1/144.
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(5 * Math.sqrt((1 / 80 - 1 / 144) / N));
  });

  it("uniform(min, max) stays in [min, max) with mean (min + max) / 2", () => {
    const xs = draws(stream(), N, (s) => s.uniform(10, 30));
    expect(xs.every((x) => x >= 10 && x < 30)).toBe(true);
    const { mean } = meanAndVariance(xs);
    expect(Math.abs(mean - 20)).toBeLessThan(5 * (20 / Math.sqrt(12 * N)));
  });

  it("int(min, max) hits every value of the inclusive range about equally often", () => {
    const xs = draws(stream(), N, (s) => s.int(-2, 3));
    const counts = new Map<number, number>();
    for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2, 3]);
    for (const c of counts.values()) expect(Math.abs(c - N / 6)).toBeLessThan(binomialBound(N, 1 / 6));
  });

  it("chance(p) is true about p * n times; chance(0) never, chance(1) always", () => {
    const s = stream();
    const hits = draws(s, N, (r) => (r.chance(0.3) ? 1 : 0)).reduce((a, b) => a + b, 0);
    expect(Math.abs(hits - 0.3 * N)).toBeLessThan(binomialBound(N, 0.3));
    expect(draws(s, 1000, (r) => (r.chance(0) ? 1 : 0)).some((x) => x === 1)).toBe(false);
    expect(draws(s, 1000, (r) => (r.chance(1) ? 1 : 0)).every((x) => x === 1)).toBe(true);
  });

  it("chance(0) draws nothing, so a zero probability leaves the stream where it was", () => {
    const a = stream();
    const b = stream();
    for (let i = 0; i < 10; i++) a.chance(0);
    expect(a.float()).toBe(b.float());
  });

  it("exponential(mean) is non-negative with the right mean and median mean * ln 2", () => {
    const mean = 25;
    // A larger sample: the 5-sigma band on the mean is then under 1.5%, tight enough to catch a
    // generator that is off by a few percent.
    const n = 10 * N;
    const xs = draws(stream(), n, (s) => s.exponential(mean));
    expect(xs.every((x) => x >= 0 && Number.isFinite(x))).toBe(true);
    const stats = meanAndVariance(xs);
    // The standard deviation of an exponential equals its mean.
    expect(Math.abs(stats.mean - mean)).toBeLessThan(5 * (mean / Math.sqrt(n)));
    const belowMedian = xs.filter((x) => x < mean * Math.LN2).length;
    expect(Math.abs(belowMedian - n / 2)).toBeLessThan(binomialBound(n, 0.5));
  });

  it("normal(mean, sd) has the right mean and variance, and about 68% within one sd", () => {
    const xs = draws(stream(), N, (s) => s.normal(100, 15));
    const { mean, variance } = meanAndVariance(xs);
    expect(Math.abs(mean - 100)).toBeLessThan(5 * (15 / Math.sqrt(N)));
    // For a normal sample, sd(s^2) = sigma^2 * sqrt(2 / (n - 1)).
    expect(Math.abs(variance - 225)).toBeLessThan(5 * 225 * Math.sqrt(2 / (N - 1)));
    const within = xs.filter((x) => Math.abs(x - 100) < 15).length;
    const p = 0.6826894921;
    expect(Math.abs(within - p * N)).toBeLessThan(binomialBound(N, p));
  });

  it("pick reaches every element and refuses an empty list, naming the stream", () => {
    const s = stream();
    const seen = new Set(draws(s, 500, (r) => r.pick([1, 2, 3, 4])));
    expect([...seen].sort()).toEqual([1, 2, 3, 4]);
    expect(() => s.pick([])).toThrow(RangeError);
    expect(() => s.pick([])).toThrow(/empty.*stream test/);
  });

  it("shuffle returns a permutation without touching its input, and moves every element around", () => {
    const s = stream();
    const input = [0, 1, 2, 3, 4];
    const firstCounts = [0, 0, 0, 0, 0];
    const runs = 10_000;
    let notPermutations = 0;
    for (let i = 0; i < runs; i++) {
      const out = s.shuffle(input);
      if ([...out].sort().join() !== "0,1,2,3,4") notPermutations++;
      firstCounts[out[0]!]!++;
    }
    expect(notPermutations).toBe(0);
    expect(input).toEqual([0, 1, 2, 3, 4]);
    for (const c of firstCounts) expect(Math.abs(c - runs / 5)).toBeLessThan(binomialBound(runs, 1 / 5));
  });
});
