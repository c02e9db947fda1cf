/**
 * Replication topologies of a multi-leader cluster: who forwards a write to whom.
 *
 * - circular: each leader forwards to the next one in ring order (MySQL's default ring);
 * - star: one hub forwards every write to every other leader; leaves talk only to the hub;
 * - tree: leaders forward along the edges of a tree (the star is a tree of depth one);
 * - all-to-all: every leader sends its own writes straight to every other leader.
 *
 * A copy of a write carries the ids of the leaders it has passed (`passed`, origin first). A
 * leader never forwards it to a leader on that list, which is what makes a ring stop after one
 * lap instead of circulating forever.
 */
import type { NodeId } from "../../sim/trace";
import { MultiLeaderConfigError } from "./errors";

/** How the leaders are connected; `nodes` lists every leader. */
export type Topology =
  | { kind: "circular"; nodes: readonly NodeId[] }
  | { kind: "star"; nodes: readonly NodeId[]; hub: NodeId }
  | { kind: "tree"; nodes: readonly NodeId[]; root: NodeId; parent: Readonly<Record<NodeId, NodeId>> }
  | { kind: "all-to-all"; nodes: readonly NodeId[] };

/** The topology kinds, in the order the chapter introduces them. */
export const TOPOLOGY_KINDS = ["circular", "star", "tree", "all-to-all"] as const;

/** Topology kind names. */
export type TopologyKind = (typeof TOPOLOGY_KINDS)[number];

/** Decides where a leader forwards a copy of a write (see `plainRouter`, and the topology_router exercise). */
export type Router = (topology: Topology, passed: readonly NodeId[], failed: ReadonlySet<NodeId>) => NodeId[];

/**
 * Throws a MultiLeaderConfigError unless the topology can route writes: a known kind, at least one
 * leader, no duplicate ids, a hub or root that is one of the leaders, and a tree whose parent links
 * reach the root from every leader without a cycle.
 */
export function validateTopology(topology: Topology): void {
  if (topology === null || typeof topology !== "object") {
    throw new MultiLeaderConfigError(`topology must be an object such as { kind: "circular", nodes: ["a", "b", "c"] }.`);
  }
  const kind = (topology as { kind?: unknown }).kind;
  if (!TOPOLOGY_KINDS.includes(kind as TopologyKind)) {
    throw new MultiLeaderConfigError(
      `unknown topology kind ${JSON.stringify(kind)}; use one of ${TOPOLOGY_KINDS.map((k) => `"${k}"`).join(", ")}.`,
    );
  }
  const nodes = topology.nodes;
  if (!Array.isArray(nodes) || nodes.length === 0) {
    throw new MultiLeaderConfigError(`a ${kind} topology needs its leaders: nodes: ["a", "b", "c"].`);
  }
  const seen = new Set<NodeId>();
  for (const id of nodes) {
    if (seen.has(id)) throw new MultiLeaderConfigError(`leader "${id}" appears twice in the ${kind} topology's nodes.`);
    seen.add(id);
  }
  if (topology.kind === "star" && !seen.has(topology.hub)) {
    throw new MultiLeaderConfigError(
      `the star's hub ${JSON.stringify(topology.hub)} is not one of its nodes (${nodes.join(", ")}); set hub to one of them.`,
    );
  }
  if (topology.kind === "tree") {
    if (topology.root === undefined || !seen.has(topology.root)) {
      throw new MultiLeaderConfigError(
        `a tree needs a root among its nodes (${nodes.join(", ")}), got ${JSON.stringify(topology.root)}; set root: "${nodes[0]}".`,
      );
    }
    const parent = topology.parent ?? {};
    if (parent[topology.root] !== undefined) {
      throw new MultiLeaderConfigError(`the tree's root "${topology.root}" has a parent ("${parent[topology.root]}"); a root has none.`);
    }
    for (const id of nodes) {
      if (id === topology.root) continue;
      const p = parent[id];
      if (p === undefined) throw new MultiLeaderConfigError(`leader "${id}" has no parent in the tree; give it one, e.g. parent: { ${id}: "${topology.root}" }.`);
      if (!seen.has(p)) throw new MultiLeaderConfigError(`the parent of "${id}" is "${p}", which is not a leader of the tree.`);
      // Walk up: a tree reaches the root in fewer steps than it has nodes.
      let at: NodeId = id;
      for (let steps = 0; at !== topology.root; steps++) {
        if (steps > nodes.length) throw new MultiLeaderConfigError(`the parent links from "${id}" go round in a cycle and never reach the root "${topology.root}".`);
        at = parent[at]!;
      }
    }
  }
}

/** Builds a tree topology from child lists: `treeTopology("eu", { eu: ["us", "asia"], us: ["sa"] })`. */
export function treeTopology(root: NodeId, children: Readonly<Record<NodeId, readonly NodeId[]>>): Topology {
  const nodes: NodeId[] = [root];
  const parent: Record<NodeId, NodeId> = {};
  for (let i = 0; i < nodes.length; i++) {
    for (const child of children[nodes[i]!] ?? []) {
      if (parent[child] !== undefined || child === root) {
        throw new MultiLeaderConfigError(`"${child}" appears twice in the tree's child lists; every leader has one parent.`);
      }
      parent[child] = nodes[i]!;
      nodes.push(child);
    }
  }
  return { kind: "tree", nodes, root, parent };
}

/** The leaders a leader is linked to: the ones it may send to when no leader has failed. */
export function neighbours(topology: Topology, self: NodeId): NodeId[] {
  const { nodes } = topology;
  switch (topology.kind) {
    case "circular": {
      const i = nodes.indexOf(self);
      const next = nodes[(i + 1) % nodes.length]!;
      return next === self ? [] : [next];
    }
    case "star":
      return self === topology.hub ? nodes.filter((n) => n !== self) : [topology.hub];
    case "tree": {
      const up = topology.parent[self];
      const down = nodes.filter((n) => topology.parent[n] === self);
      return up === undefined ? down : [up, ...down];
    }
    case "all-to-all":
      return nodes.filter((n) => n !== self);
  }
}

/**
 * The router every leader uses unless told otherwise: forward to each neighbour the copy has not
 * passed. All-to-all is special: the origin sends to everyone, so the others forward nothing.
 * It ignores `failed`: a plain ring or star has no way around a dead leader.
 */
export const plainRouter: Router = (topology, passed) => {
  const self = passed[passed.length - 1]!;
  if (topology.kind === "all-to-all" && passed.length > 1) return [];
  return neighbours(topology, self).filter((n) => !passed.includes(n));
};
