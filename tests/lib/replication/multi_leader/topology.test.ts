import { describe, expect, it } from "vitest";
import { MultiLeaderConfigError } from "../../../../lib/replication/multi_leader/errors";
import { neighbours, plainRouter, treeTopology, validateTopology, type Topology } from "../../../../lib/replication/multi_leader/topology";

const abcd = ["a", "b", "c", "d"];

/** Delivers one write from `origin` with the plain router, counting receipts per leader. */
function flood(topology: Topology, origin: string): Record<string, number> {
  const received: Record<string, number> = {};
  const queue: string[][] = [[origin]];
  for (let steps = 0; queue.length > 0; steps++) {
    if (steps > 100) throw new Error("the write circulates forever");
    const passed = queue.shift()!;
    for (const to of plainRouter(topology, passed, new Set())) {
      received[to] = (received[to] ?? 0) + 1;
      queue.push([...passed, to]);
    }
  }
  return received;
}

describe("topologies", () => {
  it("links a ring one way, a star through its hub, a tree along parent links", () => {
    expect(neighbours({ kind: "circular", nodes: abcd }, "d")).toEqual(["a"]);
    expect(neighbours({ kind: "star", nodes: abcd, hub: "b" }, "a")).toEqual(["b"]);
    expect(neighbours({ kind: "star", nodes: abcd, hub: "b" }, "b")).toEqual(["a", "c", "d"]);
    const tree = treeTopology("a", { a: ["b", "c"], b: ["d"] });
    expect(neighbours(tree, "b")).toEqual(["a", "d"]);
    expect(neighbours({ kind: "all-to-all", nodes: abcd }, "c")).toEqual(["a", "b", "d"]);
  });

  it.each<[string, Topology]>([
    ["circular", { kind: "circular", nodes: abcd }],
    ["star", { kind: "star", nodes: abcd, hub: "c" }],
    ["tree", treeTopology("a", { a: ["b", "c"], b: ["d"] })],
    ["all-to-all", { kind: "all-to-all", nodes: abcd }],
  ])("the plain router delivers a %s write to every other leader exactly once", (_name, topology) => {
    for (const origin of abcd) {
      const expected = Object.fromEntries(abcd.filter((n) => n !== origin).map((n) => [n, 1]));
      expect(flood(topology, origin), `from ${origin}`).toEqual(expected);
    }
  });

  it("rejects bad configurations with a message naming the fix", () => {
    const bad: [unknown, RegExp][] = [
      [{ kind: "mesh", nodes: abcd }, /unknown topology kind "mesh"/],
      [{ kind: "circular", nodes: [] }, /needs its leaders/],
      [{ kind: "circular", nodes: ["a", "a"] }, /appears twice/],
      [{ kind: "star", nodes: abcd, hub: "z" }, /hub "z" is not one of its nodes/],
      [{ kind: "tree", nodes: abcd, parent: {} }, /a tree needs a root/],
      [{ kind: "tree", nodes: abcd, root: "a", parent: { b: "a", c: "a" } }, /"d" has no parent/],
      [{ kind: "tree", nodes: abcd, root: "a", parent: { b: "c", c: "b", d: "a" } }, /cycle/],
    ];
    for (const [topology, message] of bad) {
      expect(() => validateTopology(topology as Topology)).toThrow(MultiLeaderConfigError);
      expect(() => validateTopology(topology as Topology)).toThrow(message);
    }
    expect(() => treeTopology("a", { a: ["b", "c"], c: ["b"] })).toThrow(/appears twice/);
  });
});
