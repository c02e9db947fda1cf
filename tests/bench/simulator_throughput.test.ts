import { describe, expect, it } from "vitest";
import { parseLatency } from "../../bench/simulator_throughput";

describe("bench --latency", () => {
  it("accepts constant and uniform delays", () => {
    expect(parseLatency("constant:5")).toEqual({ kind: "constant", ms: 5 });
    expect(parseLatency("uniform:0-10")).toEqual({ kind: "uniform", minMs: 0, maxMs: 10 });
  });

  it("rejects what the simulator would reject with an argument error, not a stack trace", () => {
    expect(() => parseLatency("uniform:10-1")).toThrow(/minMs \(10\) is greater than maxMs \(1\)/);
    expect(() => parseLatency("fast")).toThrow(/must look like "constant:5" or "uniform:1-10"/);
  });

  it("rejects a network without delay, on which the benchmark would never end", () => {
    expect(() => parseLatency("constant:0")).toThrow(/simulated time never advances/);
    expect(() => parseLatency("uniform:0-0")).toThrow(/simulated time never advances/);
  });
});
