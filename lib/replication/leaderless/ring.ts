import type { NodeId } from "../../sim/trace";
import { fnv1a } from "./hashing";

/** One datacenter: its name and its nodes, in order. */
export interface Datacenter {
  readonly name: string;
  readonly nodes: readonly NodeId[];
}

/**
 * Consistent hashing, Dynamo style. Every node owns `tokensPerNode` points on a ring of 2^32
 * positions; a key's *home replicas* are the first distinct nodes met walking clockwise from the
 * key's hash. Walking further gives the *fallback* nodes a sloppy quorum borrows when home
 * replicas do not answer. With several datacenters each keeps its own ring, and a key has
 * `nPerDatacenter` home replicas in each (Riak's and Cassandra's per-DC replication factor).
 */
export class HashRing {
  private readonly rings: { dc: Datacenter; points: { position: number; node: NodeId }[] }[];

  constructor(
    readonly datacenters: readonly Datacenter[],
    readonly nPerDatacenter: number,
    tokensPerNode = 8,
  ) {
    this.rings = datacenters.map((dc) => ({
      dc,
      points: dc.nodes
        .flatMap((node) => Array.from({ length: tokensPerNode }, (_, t) => ({ position: fnv1a(`${node}#${t}`), node })))
        .sort((a, b) => a.position - b.position || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0)),
    }));
  }

  /** Every node of one datacenter's ring, in clockwise order from the key (each node once). */
  private walk(key: string, ringIndex: number): NodeId[] {
    const { points } = this.rings[ringIndex]!;
    const h = fnv1a(key);
    let start = points.findIndex((p) => p.position >= h);
    if (start < 0) start = 0;
    const seen: NodeId[] = [];
    for (let i = 0; i < points.length && seen.length < this.rings[ringIndex]!.dc.nodes.length; i++) {
      const node = points[(start + i) % points.length]!.node;
      if (!seen.includes(node)) seen.push(node);
    }
    return seen;
  }

  /** The key's home replicas: nPerDatacenter per datacenter, datacenters in configuration order. */
  homeReplicas(key: string): NodeId[] {
    return this.rings.flatMap((_, i) => this.walk(key, i).slice(0, this.nPerDatacenter));
  }

  /** The nodes after the home replicas, in ring order, that a sloppy quorum may borrow (same DC first). */
  fallbacks(key: string, forHome: NodeId): NodeId[] {
    const i = this.rings.findIndex((r) => r.dc.nodes.includes(forHome));
    return this.walk(key, i).slice(this.nPerDatacenter);
  }

  /** The datacenter a node belongs to. */
  datacenterOf(node: NodeId): string {
    const dc = this.datacenters.find((d) => d.nodes.includes(node));
    if (dc === undefined) throw new RangeError(`node "${node}" is in no datacenter of this ring`);
    return dc.name;
  }
}
