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
import { notImplemented } from "../lib/exercise_support/not_implemented";

export type { Topology };

/** The leaders to send this copy of a write to (see the comment at the top of the file). */
export function forwardTargets(topology: Topology, passed: readonly string[], failed: ReadonlySet<string>): string[] {
  throw notImplemented("forwardTargets");
}
