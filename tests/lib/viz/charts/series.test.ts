import { describe, expect, it } from "vitest";
import { normalizeSeries, valuePerNodeOverTime, type NodeSample } from "../../../../lib/viz/charts/series";

const samples: NodeSample[] = [
  { timeMs: 0, node: "a", value: 1 },
  { timeMs: 5, node: "a", value: 2 },
  { timeMs: 12, node: "b", value: 7 },
  { timeMs: 25, node: "a", value: 4 },
];

describe("valuePerNodeOverTime", () => {
  it("takes each node's last value per bucket and carries it over empty buckets", () => {
    // Buckets of 10 ms from 0: [0,10) [10,20) [20,30). a: 2 (last of 1, 2), carried 2, then 4.
    // b starts in its first sampled bucket.
    expect(valuePerNodeOverTime(samples, { bucketMs: 10 })).toEqual([
      { name: "a", points: [[0, 2], [10, 2], [20, 4]] },
      { name: "b", points: [[10, 7], [20, 7]] },
    ]);
  });

  it("supports mean, count, sum, min and max", () => {
    expect(valuePerNodeOverTime(samples, { bucketMs: 10, aggregate: "mean" })[0]!.points).toEqual([[0, 1.5], [20, 4]]);
    expect(valuePerNodeOverTime(samples, { bucketMs: 10, aggregate: "count" })[0]!.points).toEqual([[0, 2], [10, 0], [20, 1]]);
    expect(valuePerNodeOverTime(samples, { bucketMs: 10, aggregate: "sum" })[1]!.points).toEqual([[10, 7], [20, 0]]);
    expect(valuePerNodeOverTime(samples, { bucketMs: 10, aggregate: "min" })[0]!.points).toEqual([[0, 1], [20, 4]]);
    expect(valuePerNodeOverTime(samples, { bucketMs: 10, aggregate: "max" })[0]!.points).toEqual([[0, 2], [20, 4]]);
  });

  it("follows the node order given and the window", () => {
    const out = valuePerNodeOverTime(samples, { bucketMs: 10, nodes: ["b", "a", "c"], fromMs: 10, toMs: 29 });
    expect(out.map((s) => s.name)).toEqual(["b", "a", "c"]);
    expect(out[1]!.points).toEqual([[20, 4]]);
    expect(out[2]!.points).toEqual([]);
  });

  it("uses the last sample in time order even when samples arrive out of order", () => {
    const shuffled: NodeSample[] = [
      { timeMs: 9, node: "a", value: 9 },
      { timeMs: 1, node: "a", value: 1 },
    ];
    expect(valuePerNodeOverTime(shuffled, { bucketMs: 10 })[0]!.points).toEqual([[0, 9]]);
  });

  it("rejects a missing bucket size, bad samples and too many buckets", () => {
    expect(() => valuePerNodeOverTime(samples, {} as never)).toThrow(/pass \{ bucketMs \}/);
    expect(() => valuePerNodeOverTime([{ timeMs: Number.NaN, node: "a", value: 1 }], { bucketMs: 1 })).toThrow(/sample #0/);
    expect(() => valuePerNodeOverTime([{ timeMs: 0, node: "a", value: 1 }, { timeMs: 1e9, node: "a", value: 1 }], { bucketMs: 1 })).toThrow(
      /too many to draw/,
    );
  });
});

describe("normalizeSeries", () => {
  it("turns a record into series with index x and sorts points by x, stably", () => {
    expect(normalizeSeries({ a: [3, 4] }, "t")).toEqual([{ name: "a", points: [[0, 3], [1, 4]] }]);
    expect(normalizeSeries([{ name: "s", points: [[2, 0], [1, 5], [1, 6]] }], "t")[0]!.points).toEqual([[1, 5], [1, 6], [2, 0]]);
  });
});
