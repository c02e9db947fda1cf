import { SimulationConfigError, requireFiniteNonNegative } from "./errors";
import type { RandomStream } from "./random";

/**
 * One-way message latency, in simulated milliseconds. Distributions with an unbounded tail are
 * clipped to [minMs, maxMs] so a single draw cannot stall a run for hours.
 */
export type Latency =
  | { kind: "constant"; ms: number }
  | { kind: "uniform"; minMs: number; maxMs: number }
  | { kind: "exponential"; meanMs: number; minMs?: number; maxMs?: number }
  | { kind: "normal"; meanMs: number; stdDevMs: number; minMs?: number; maxMs?: number }
  | { kind: "lognormal"; medianMs: number; sigma: number; minMs?: number; maxMs?: number };

/** Shorthands for notebooks: `latency.uniform(5, 15)`. */
export const latency = {
  constant: (ms: number): Latency => ({ kind: "constant", ms }),
  uniform: (minMs: number, maxMs: number): Latency => ({ kind: "uniform", minMs, maxMs }),
  exponential: (meanMs: number, clip: { minMs?: number; maxMs?: number } = {}): Latency => ({
    kind: "exponential",
    meanMs,
    ...clip,
  }),
  normal: (meanMs: number, stdDevMs: number, clip: { minMs?: number; maxMs?: number } = {}): Latency => ({
    kind: "normal",
    meanMs,
    stdDevMs,
    ...clip,
  }),
  lognormal: (medianMs: number, sigma: number, clip: { minMs?: number; maxMs?: number } = {}): Latency => ({
    kind: "lognormal",
    medianMs,
    sigma,
    ...clip,
  }),
};

/** Throws a SimulationConfigError naming the field when a latency cannot be sampled. */
export function validateLatency(l: Latency, where: string): void {
  const field = (name: string) => `${where}: ${l.kind} latency ${name}`;
  if (l === null || typeof l !== "object" || typeof (l as { kind?: unknown }).kind !== "string") {
    throw new SimulationConfigError(
      `${where}: latency must be an object such as { kind: "uniform", minMs: 5, maxMs: 15 }, got ${String(l)}.`,
    );
  }
  const clip = (minMs: number | undefined, maxMs: number | undefined) => {
    if (minMs !== undefined) requireFiniteNonNegative(minMs, field("minMs"));
    if (maxMs !== undefined) requireFiniteNonNegative(maxMs, field("maxMs"));
    if (minMs !== undefined && maxMs !== undefined && minMs > maxMs) {
      throw new SimulationConfigError(`${field("minMs")} (${minMs}) is greater than maxMs (${maxMs}).`);
    }
  };
  switch (l.kind) {
    case "constant":
      requireFiniteNonNegative(l.ms, field("ms"), "Latency is a delay: use 0 for an instant network.");
      return;
    case "uniform":
      requireFiniteNonNegative(l.minMs, field("minMs"));
      requireFiniteNonNegative(l.maxMs, field("maxMs"));
      if (l.minMs > l.maxMs) {
        throw new SimulationConfigError(`${field("minMs")} (${l.minMs}) is greater than maxMs (${l.maxMs}).`);
      }
      return;
    case "exponential":
      requireFiniteNonNegative(l.meanMs, field("meanMs"));
      clip(l.minMs, l.maxMs);
      return;
    case "normal":
      requireFiniteNonNegative(l.meanMs, field("meanMs"));
      requireFiniteNonNegative(l.stdDevMs, field("stdDevMs"));
      clip(l.minMs, l.maxMs);
      return;
    case "lognormal":
      requireFiniteNonNegative(l.medianMs, field("medianMs"));
      requireFiniteNonNegative(l.sigma, field("sigma"));
      clip(l.minMs, l.maxMs);
      return;
    default:
      throw new SimulationConfigError(
        `${where}: unknown latency kind "${(l as { kind: string }).kind}". ` +
          `Use one of constant, uniform, exponential, normal, lognormal.`,
      );
  }
}

function clamp(x: number, minMs = 0, maxMs = Number.POSITIVE_INFINITY): number {
  return x < minMs ? minMs : x > maxMs ? maxMs : x;
}

/** Draws one latency. Constant latency draws nothing, so it does not move the stream. */
export function sampleLatency(l: Latency, rng: RandomStream): number {
  switch (l.kind) {
    case "constant":
      return l.ms;
    case "uniform":
      return rng.uniform(l.minMs, l.maxMs);
    case "exponential":
      return clamp(rng.exponential(l.meanMs), l.minMs, l.maxMs);
    case "normal":
      return clamp(rng.normal(l.meanMs, l.stdDevMs), l.minMs, l.maxMs);
    case "lognormal":
      return clamp(l.medianMs * Math.exp(l.sigma * rng.normal(0, 1)), l.minMs, l.maxMs);
  }
}

/** A one-line human description, used in traces and diagrams: "uniform 5-15 ms". */
export function describeLatency(l: Latency): string {
  switch (l.kind) {
    case "constant":
      return `${l.ms} ms`;
    case "uniform":
      return `uniform ${l.minMs}-${l.maxMs} ms`;
    case "exponential":
      return `exponential mean ${l.meanMs} ms`;
    case "normal":
      return `normal ${l.meanMs}±${l.stdDevMs} ms`;
    case "lognormal":
      return `log-normal median ${l.medianMs} ms σ=${l.sigma}`;
  }
}
