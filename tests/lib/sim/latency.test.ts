import { describe, expect, it } from "vitest";
import {
  RandomStreams,
  SimulationConfigError,
  describeLatency,
  latency,
  sampleLatency,
  validateLatency,
  type Latency,
} from "../../../lib/sim";
import { binomialBound, meanAndVariance, probeCluster, thrownBy } from "./helpers";

const rng = () => new RandomStreams("latency").stream("network");

function samples(l: Latency, n = 5000): number[] {
  const r = rng();
  return Array.from({ length: n }, () => sampleLatency(l, r));
}

describe("validateLatency", () => {
  // [latency, pattern the message must match]: the message names where and which field.
  const invalid: [string, unknown, RegExp][] = [
    ["negative constant", { kind: "constant", ms: -1 }, /where: constant latency ms must be a finite number >= 0, got -1/],
    ["NaN constant", { kind: "constant", ms: NaN }, /constant latency ms .* got NaN/],
    ["infinite constant", { kind: "constant", ms: Infinity }, /constant latency ms .* got Infinity/],
    ["NaN uniform minMs", { kind: "uniform", minMs: NaN, maxMs: 5 }, /uniform latency minMs .* got NaN/],
    ["negative uniform maxMs", { kind: "uniform", minMs: 0, maxMs: -3 }, /uniform latency maxMs .* got -3/],
    ["uniform min > max", { kind: "uniform", minMs: 10, maxMs: 5 }, /uniform latency minMs \(10\) is greater than maxMs \(5\)/],
    ["negative exponential mean", { kind: "exponential", meanMs: -2 }, /exponential latency meanMs .* got -2/],
    ["exponential clip min > max", { kind: "exponential", meanMs: 5, minMs: 9, maxMs: 3 }, /exponential latency minMs \(9\) is greater than maxMs \(3\)/],
    ["NaN exponential clip", { kind: "exponential", meanMs: 5, maxMs: NaN }, /exponential latency maxMs .* got NaN/],
    ["NaN normal sd", { kind: "normal", meanMs: 5, stdDevMs: NaN }, /normal latency stdDevMs .* got NaN/],
    ["negative normal mean", { kind: "normal", meanMs: -5, stdDevMs: 1 }, /normal latency meanMs .* got -5/],
    ["negative lognormal sigma", { kind: "lognormal", medianMs: 5, sigma: -1 }, /lognormal latency sigma .* got -1/],
    ["negative lognormal clip", { kind: "lognormal", medianMs: 5, sigma: 1, minMs: -1 }, /lognormal latency minMs .* got -1/],
    ["unknown kind", { kind: "gaussian", meanMs: 5 }, /unknown latency kind "gaussian".*constant, uniform, exponential, normal, lognormal/],
    ["not an object", null, /where: latency must be an object/],
    ["missing kind", { ms: 5 }, /where: latency must be an object/],
  ];

  it.each(invalid)("rejects %s with a SimulationConfigError naming the field", (_name, l, pattern) => {
    const err = thrownBy(() => validateLatency(l as Latency, "where"));
    expect(err).toBeInstanceOf(SimulationConfigError);
    expect((err as Error).message).toMatch(pattern);
  });

  it("hints that 0 is the instant network when a constant latency is negative", () => {
    expect(() => validateLatency(latency.constant(-1), "x")).toThrow(/use 0 for an instant network/);
  });

  it.each<Latency>([
    latency.constant(0),
    latency.uniform(3, 3),
    latency.exponential(0),
    latency.exponential(5, { minMs: 1, maxMs: 1 }),
    latency.normal(5, 0),
    latency.lognormal(5, 0.5, { maxMs: 100 }),
  ])("accepts the edge case %j", (l) => {
    expect(() => validateLatency(l, "x")).not.toThrow();
  });

  it("is what the Simulation uses: bad latencies in the config name where they are", () => {
    const defaultErr = thrownBy(() => probeCluster({ seed: 1, nodes: ["a"], network: { latency: latency.constant(-5) } }));
    expect(defaultErr).toBeInstanceOf(SimulationConfigError);
    expect((defaultErr as Error).message).toMatch(/network\.latency: constant latency ms/);
    const linkErr = thrownBy(() =>
      probeCluster({ seed: 1, nodes: ["a", "b"], network: { links: [{ from: "a", to: "b", latency: latency.uniform(9, 1) }] } }),
    );
    expect(linkErr).toBeInstanceOf(SimulationConfigError);
    expect((linkErr as Error).message).toMatch(/network\.links\[0\]: uniform latency minMs \(9\) is greater than maxMs \(1\)/);
  });
});

describe("sampleLatency", () => {
  it("returns a constant latency without drawing from the stream", () => {
    const r = rng();
    for (let i = 0; i < 5; i++) expect(sampleLatency(latency.constant(7), r)).toBe(7);
    expect(r.float()).toBe(rng().float());
  });

  it("keeps uniform latencies in [min, max) with the right mean", () => {
    const xs = samples(latency.uniform(5, 15), 20_000);
    expect(xs.every((x) => x >= 5 && x < 15)).toBe(true);
    expect(Math.abs(meanAndVariance(xs).mean - 10)).toBeLessThan(5 * (10 / Math.sqrt(12 * 20_000)));
  });

  it("clips an exponential to [minMs, maxMs], and the clip is actually reached on both sides", () => {
    const xs = samples(latency.exponential(10, { minMs: 2, maxMs: 15 }));
    expect(Math.min(...xs)).toBe(2);
    expect(Math.max(...xs)).toBe(15);
    // P(X < 2) = 1 - e^-0.2 and P(X > 15) = e^-1.5 for mean 10: both ends collect a share of draws.
    const n = xs.length;
    const atMin = xs.filter((x) => x === 2).length;
    const atMax = xs.filter((x) => x === 15).length;
    expect(Math.abs(atMin - n * (1 - Math.exp(-0.2)))).toBeLessThan(binomialBound(n, 1 - Math.exp(-0.2)));
    expect(Math.abs(atMax - n * Math.exp(-1.5))).toBeLessThan(binomialBound(n, Math.exp(-1.5)));
  });

  it("never returns a negative latency from a wide normal (clipped at 0 by default)", () => {
    const xs = samples(latency.normal(1, 10));
    expect(Math.min(...xs)).toBe(0);
    // About P(Z < -0.1) = 0.46 of the draws would have been negative.
    expect(xs.filter((x) => x === 0).length).toBeGreaterThan(xs.length / 3);
  });

  it("gives a log-normal its median and honours maxMs", () => {
    const xs = samples(latency.lognormal(20, 1, { maxMs: 200 }), 20_000);
    expect(Math.max(...xs)).toBeLessThanOrEqual(200);
    expect(Math.min(...xs)).toBeGreaterThan(0);
    const below = xs.filter((x) => x < 20).length;
    expect(Math.abs(below - 10_000)).toBeLessThan(binomialBound(20_000, 0.5));
  });

  it("is deterministic for a given stream", () => {
    expect(samples(latency.normal(10, 3), 100)).toEqual(samples(latency.normal(10, 3), 100));
  });
});

describe("describeLatency", () => {
  it("gives a one-line description with units", () => {
    expect(describeLatency(latency.constant(3))).toBe("3 ms");
    expect(describeLatency(latency.uniform(5, 15))).toBe("uniform 5-15 ms");
    expect(describeLatency(latency.exponential(8))).toBe("exponential mean 8 ms");
  });
});
