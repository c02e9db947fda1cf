/**
 * Exercise: topology_router (chapter 05).
 *
 * A leader has just received a copy of a write (or accepted it from a client) and must decide
 * which leaders to send it on to. You get:
 *
 *   - `topology`: the leaders (`nodes`) and how they are linked:
 *       circular   — each leader sends to the next one in `nodes` order (the last one to the first);
 *       star       — leaves send only to `hub`; the hub sends to every leaf;
 *       tree       — leaders send along the tree's edges: to their `parent[id]` and to their
 *                    children (the leaders whose parent they are); `root` has no parent;
 *       all-to-all — every leader may send to every other one;
 *   - `passed`: the leaders this copy has been through, the origin first and YOU LAST
 *     (`passed[passed.length - 1]` is the leader deciding; a copy fresh from a client is `[self]`);
 *   - `failed`: the leaders the operator has declared failed. Never send to one: the copy would be
 *     lost. Where the topology allows it, route around it instead: a ring is reconfigured to skip a
 *     failed leader and send to the next live one. A star cannot work without its hub, and a tree
 *     cannot reach past a failed leader: those parts stay cut off.
 *
 *   forwardTargets(topology, passed, failed) returns the leaders to send the copy to, so that every
 *   live leader that can be reached receives each write exactly once: never twice, never back to a
 *   leader the copy has passed (that would make it loop), never to yourself.
 *
 * Run `npm run grade topology_router` to check your work and `npm run hint topology_router` when stuck.
 */
import type { Topology } from "../lib/replication/multi_leader/topology";
// @starter import { notImplemented } from "../lib/exercise_support/not_implemented";

export type { Topology };

/** The leaders to send this copy of a write to (see the comment at the top of the file). */
export function forwardTargets(topology: Topology, passed: readonly string[], failed: ReadonlySet<string>): string[] {
  // @solution-begin
  const self = passed[passed.length - 1]!;
  const fresh = (id: string) => id !== self && !passed.includes(id) && !failed.has(id);
  const { nodes } = topology;
  switch (topology.kind) {
    case "all-to-all":
      // The origin reaches everyone directly; a copy that was forwarded once goes no further.
      return passed.length === 1 ? nodes.filter(fresh) : [];
    case "circular": {
      const at = nodes.indexOf(self);
      for (let step = 1; step < nodes.length; step++) {
        const next = nodes[(at + step) % nodes.length]!;
        if (failed.has(next)) continue; // reconfigured ring: skip the dead leader
        return fresh(next) ? [next] : []; // the next live leader already has it: the lap is over
      }
      return [];
    }
    case "star":
      return (self === topology.hub ? nodes : [topology.hub]).filter(fresh);
    case "tree": {
      const parent = topology.parent[self];
      const children = nodes.filter((n) => topology.parent[n] === self);
      return (parent === undefined ? children : [parent, ...children]).filter(fresh);
    }
  }
  // @solution-end
  // @starter throw notImplemented("forwardTargets");
}
