import { fnv1a, hashParts } from "./hashing";

/**
 * A Merkle tree over a replica's keys, as Dynamo and Cassandra use for *anti-entropy*. Keys fall
 * into 2^depth leaf buckets by hash; a leaf's hash covers every (key, version) in its bucket and
 * an inner node's hash covers its two children. Two replicas compare roots first and descend
 * only where the hashes differ, so a few differing keys among thousands cost a few dozen hashes
 * instead of one per key.
 */
export class MerkleTree {
  /** levels[0] is the root (one hash); levels[depth] holds the 2^depth leaves. */
  readonly levels: number[][];


  constructor(
    entries: Iterable<readonly [key: string, versionText: string]>,
    readonly depth = 10,
  ) {
    if (!Number.isInteger(depth) || depth < 0 || depth > 20) throw new RangeError(`Merkle tree depth must be an integer from 0 to 20, got ${depth}`);
    const buckets: string[][] = Array.from({ length: 2 ** depth }, () => []);
    for (const [key, versionText] of entries) buckets[MerkleTree.bucketOf(key, depth)]!.push(`${key}=${versionText}`);
    const leaves = buckets.map((items) => (items.length === 0 ? 0 : hashParts(items.sort())));
    this.levels = [leaves];
    while (this.levels[0]!.length > 1) {
      const below = this.levels[0]!;
      const above: number[] = [];
      for (let i = 0; i < below.length; i += 2) above.push(below[i] === 0 && below[i + 1] === 0 ? 0 : hashParts([below[i]!, below[i + 1]!]));
      this.levels.unshift(above);
    }
  }

  /** A tree received from another replica, as its hash levels (root first). */
  static fromLevels(levels: number[][]): MerkleTree {
    const tree = new MerkleTree([], levels.length - 1);
    tree.levels.splice(0, tree.levels.length, ...levels);
    return tree;
  }

  /** The leaf bucket a key falls into. */
  static bucketOf(key: string, depth: number): number {
    return fnv1a(key) % 2 ** depth;
  }

  get root(): number {
    return this.levels[0]![0]!;
  }
}

/** The outcome of comparing two Merkle trees. */
export interface MerkleDiff {
  /** Leaf buckets whose hashes differ: only their keys need to be compared one by one. */
  differingBuckets: number[];
  /** Hashes one side sent the other during the descent (root included). */
  hashesExchanged: number;
}

/** Compares two trees of the same depth top-down, descending only into differing subtrees. */
export function compareMerkleTrees(a: MerkleTree, b: MerkleTree): MerkleDiff {
  if (a.depth !== b.depth) throw new RangeError(`cannot compare Merkle trees of depths ${a.depth} and ${b.depth}`);
  let hashesExchanged = 1;
  let frontier = a.root === b.root ? [] : [0];
  for (let level = 1; level <= a.depth && frontier.length > 0; level++) {
    const next: number[] = [];
    for (const parent of frontier) {
      for (const child of [2 * parent, 2 * parent + 1]) {
        hashesExchanged++;
        if (a.levels[level]![child] !== b.levels[level]![child]) next.push(child);
      }
    }
    frontier = next;
  }
  return { differingBuckets: frontier, hashesExchanged };
}
