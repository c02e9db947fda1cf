import { describe, expect, it } from "vitest";
import {
  compareMerkleTrees,
  compareVersions,
  compareVersionVectors,
  HashRing,
  mergeCarts,
  mergeVersionVectors,
  MerkleTree,
  probabilityAtLeastUp,
  SiblingReplica,
  toleratedFailures,
} from "../../../../lib/replication/leaderless";

describe("HashRing", () => {
  const ring = new HashRing([{ name: "dc", nodes: ["n1", "n2", "n3", "n4", "n5"] }], 3);

  it("gives every key n distinct home replicas, the same on every call", () => {
    for (const key of ["a", "cart", "k17", "user:42"]) {
      const homes = ring.homeReplicas(key);
      expect(new Set(homes).size).toBe(3);
      expect(ring.homeReplicas(key)).toEqual(homes);
    }
  });

  it("offers the remaining nodes as fallbacks, never a home replica", () => {
    const homes = ring.homeReplicas("cart");
    const fallbacks = ring.fallbacks("cart", homes[0]!);
    expect(fallbacks).toHaveLength(2);
    for (const f of fallbacks) expect(homes).not.toContain(f);
  });

  it("spreads keys over every node", () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 500; i++) for (const h of ring.homeReplicas(`key${i}`)) counts.set(h, (counts.get(h) ?? 0) + 1);
    expect(counts.size).toBe(5);
  });

  it("places n replicas in each datacenter", () => {
    const two = new HashRing([{ name: "eu", nodes: ["eu-n1", "eu-n2", "eu-n3"] }, { name: "us", nodes: ["us-n1", "us-n2", "us-n3"] }], 2);
    const homes = two.homeReplicas("cart");
    expect(homes.filter((h) => h.startsWith("eu"))).toHaveLength(2);
    expect(homes.filter((h) => h.startsWith("us"))).toHaveLength(2);
    expect(two.datacenterOf("us-n2")).toBe("us");
  });
});

describe("MerkleTree", () => {
  const entries = (count: number, changed: ReadonlySet<number> = new Set()) =>
    Array.from({ length: count }, (_, i) => [`key${i}`, changed.has(i) ? "v2" : "v1"] as [string, string]);

  it("finds nothing to do between identical replicas, after one hash", () => {
    const diff = compareMerkleTrees(new MerkleTree(entries(1000)), new MerkleTree(entries(1000)));
    expect(diff).toEqual({ differingBuckets: [], hashesExchanged: 1 });
  });

  it("finds exactly the buckets of the changed keys", () => {
    const changed = new Set([3, 500, 977]);
    const diff = compareMerkleTrees(new MerkleTree(entries(1000)), new MerkleTree(entries(1000, changed)));
    const expected = [...new Set([...changed].map((i) => MerkleTree.bucketOf(`key${i}`, 10)))].sort((a, b) => a - b);
    expect([...diff.differingBuckets].sort((a, b) => a - b)).toEqual(expected);
    // Descent: the root, then two children per differing node on each of 10 levels.
    expect(diff.hashesExchanged).toBeLessThanOrEqual(1 + 2 * 10 * changed.size);
    expect(diff.hashesExchanged).toBeLessThan(1000);
  });

  it("rebuilds a received tree from its levels", () => {
    const tree = new MerkleTree(entries(50), 6);
    const copy = MerkleTree.fromLevels(tree.levels.map((l) => [...l]));
    expect(copy.depth).toBe(6);
    expect(copy.root).toBe(tree.root);
    expect(compareMerkleTrees(copy, tree).differingBuckets).toEqual([]);
  });

  it("notices a key that one replica lacks", () => {
    const diff = compareMerkleTrees(new MerkleTree(entries(10)), new MerkleTree(entries(9)));
    expect(diff.differingBuckets).toEqual([MerkleTree.bucketOf("key9", 10)]);
  });
});

describe("versions", () => {
  it("orders by counter, then node id; absent is oldest", () => {
    expect(compareVersions({ counter: 9, node: "n9" }, { counter: 10, node: "n1" })).toBeLessThan(0);
    expect(compareVersions({ counter: 5, node: "n2" }, { counter: 5, node: "n1" })).toBeGreaterThan(0);
    expect(compareVersions(undefined, { counter: 0, node: "n1" })).toBeLessThan(0);
    expect(compareVersions(undefined, undefined)).toBe(0);
  });
});

describe("version vectors and siblings", () => {
  it("compares vectors as before, after, equal or concurrent", () => {
    expect(compareVersionVectors({ a: 1 }, { a: 2 })).toBe("before");
    expect(compareVersionVectors({ a: 2, b: 1 }, { a: 2 })).toBe("after");
    expect(compareVersionVectors({ a: 1 }, { a: 1, b: 0 })).toBe("equal");
    expect(compareVersionVectors({ a: 2 }, { b: 1 })).toBe("concurrent");
    expect(mergeVersionVectors({ a: 2, b: 1 }, { b: 3 })).toEqual({ a: 2, b: 3 });
  });

  it("keeps concurrent writes as siblings and replaces what a writer had seen", () => {
    const r = new SiblingReplica<string>("s");
    r.put("cart", "milk", {});
    r.put("cart", "eggs", {});
    expect(r.get("cart").values).toEqual(["milk", "eggs"]);
    r.put("cart", "eggs,milk", r.get("cart").context);
    expect(r.get("cart").values).toEqual(["eggs,milk"]);
  });

  it("syncs replicas without losing concurrent writes or reviving overwritten ones", () => {
    const a = new SiblingReplica<string>("a");
    const b = new SiblingReplica<string>("b");
    a.put("k", "x", {});
    b.syncFrom(a);
    a.put("k", "y", a.get("k").context); // overwrites x on a
    b.put("k", "z", {}); // concurrent with both
    b.syncFrom(a);
    a.syncFrom(b);
    expect([...a.get("k").values].sort()).toEqual(["y", "z"]);
    expect([...b.get("k").values].sort()).toEqual(["y", "z"]);
  });

  it("merges carts by union and keeps removals with tombstones", () => {
    const merged = mergeCarts([
      { items: ["milk", "eggs"], removed: [] },
      { items: ["milk", "ham"], removed: ["eggs"] },
    ]);
    expect(merged).toEqual({ items: ["ham", "milk"], removed: ["eggs"] });
  });
});

describe("quorum arithmetic", () => {
  it("tolerates n - w write failures and n - r read failures", () => {
    expect(toleratedFailures(3, 2, 2)).toEqual({ writes: 1, reads: 1, overlap: true });
    expect(toleratedFailures(5, 3, 3)).toEqual({ writes: 2, reads: 2, overlap: true });
    expect(toleratedFailures(5, 2, 2).overlap).toBe(false);
  });

  it("computes the chance that at least k of n nodes are up", () => {
    expect(probabilityAtLeastUp(1, 1, 0.99)).toBeCloseTo(0.99, 12);
    expect(probabilityAtLeastUp(0, 5, 0.3)).toBeCloseTo(1, 12);
    // Enumerate all 32 up/down patterns of 5 nodes independently of the closed form.
    let total = 0;
    for (let mask = 0; mask < 32; mask++) {
      let up = 0;
      let p = 1;
      for (let i = 0; i < 5; i++) {
        const isUp = (mask >> i) & 1;
        up += isUp;
        p *= isUp ? 0.99 : 0.01;
      }
      if (up >= 3) total += p;
    }
    expect(probabilityAtLeastUp(3, 5, 0.99)).toBeCloseTo(total, 12);
  });
});
