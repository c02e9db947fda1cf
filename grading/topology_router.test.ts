/**
 * Grading suite for the topology_router exercise (chapter 05). It runs against the learner's
 * exercises/ folder, the reference solutions/ and the generated starter (where it must fail); see
 * grading/README.md. Test names are written for the learner: they read them in `npm run grade`.
 *
 * The randomised part delivers one write through random topologies with random failed leaders, in
 * a random order, calling forwardTargets at every arrival (nothing else stops a loop), and checks
 * every copy against reachability worked out here, independently of any router.
 */
import { describe, expect, it } from "vitest";
import { forwardTargets } from "@exercise/topology_router";
import type { Topology } from "../lib/replication/multi_leader/topology";
import { RandomStreams, type RandomStream } from "../lib/sim/random";

const none = new Set<string>();
const abcde = ["a", "b", "c", "d", "e"];
const ring: Topology = { kind: "circular", nodes: abcde };
const star: Topology = { kind: "star", nodes: abcde, hub: "c" };
/** a is the root; b and c its children; d and e children of b. */
const tree: Topology = { kind: "tree", nodes: abcde, root: "a", parent: { b: "a", c: "a", d: "b", e: "b" } };
const mesh: Topology = { kind: "all-to-all", nodes: abcde };

const sorted = (ids: readonly string[]) => [...ids].sort();

/** Checks one decision; a failure says which topology, copy and failures it was about. */
function expectTargets(topology: Topology, passed: readonly string[], failed: ReadonlySet<string>, expected: string[], options: { sorted?: boolean } = {}): void {
  const where = topology.kind === "star" ? `star with hub ${topology.hub}` : topology.kind === "tree" ? `tree (${Object.entries(topology.parent).map(([child, parent]) => `${child} under ${parent}`).join(", ")})` : `${topology.kind} ${topology.nodes.join(" > ")}`;
  const got = forwardTargets(topology, passed, failed);
  expect(options.sorted ? sorted(got) : got, `${where}, copy passed [${passed.join(", ")}], failed {${[...failed].join(", ")}}: send to`).toEqual(expected);
}

/** Replaying one seed runs only its scenario, so the learner's console.log output is about that run. */
const replaying = process.env.REPLAY_SEED !== undefined;

describe.skipIf(replaying)("forwardTargets, one decision at a time", () => {
  it("a ring sends to the next leader, and the last one wraps around to the first", () => {
    expectTargets(ring, ["b"], none, ["c"]);
    expectTargets(ring, ["c", "d", "e"], none, ["a"]);
  });

  it("a ring stops after one lap: the leader before the origin sends nothing", () => {
    expectTargets(ring, ["c", "d", "e", "a", "b"], none, []);
  });

  it("a ring skips a failed leader and sends to the next live one", () => {
    expectTargets(ring, ["a"], new Set(["b"]), ["c"]);
    expectTargets(ring, ["d"], new Set(["e", "a"]), ["b"]);
    // Skipping must not start a second lap: after b, the next live leader is the origin d.
    expectTargets(ring, ["d", "e", "a", "b"], new Set(["c"]), []);
  });

  it("a star's leaf sends only to the hub; the hub sends to every other leaf", () => {
    expectTargets(star, ["a"], none, ["c"]);
    expectTargets(star, ["a", "c"], none, ["b", "d", "e"], { sorted: true });
    expectTargets(star, ["c"], none, ["a", "b", "d", "e"], { sorted: true });
    expectTargets(star, ["a", "c", "e"], none, []);
  });

  it("a star cannot go round a failed hub, and the hub skips failed leaves", () => {
    expectTargets(star, ["a"], new Set(["c"]), []);
    expectTargets(star, ["a", "c"], new Set(["d"]), ["b", "e"], { sorted: true });
  });

  it("a tree sends up to the parent and down to the children, never back where the copy came from", () => {
    expectTargets(tree, ["b"], none, ["a", "d", "e"], { sorted: true });
    expectTargets(tree, ["b", "a"], none, ["c"]);
    expectTargets(tree, ["d", "b", "a", "c"], none, []);
    expectTargets(tree, ["d"], new Set(["b"]), []);
  });

  it("all-to-all: the origin sends to every live leader and nobody forwards", () => {
    expectTargets(mesh, ["b"], new Set(["e"]), ["a", "c", "d"], { sorted: true });
    expectTargets(mesh, ["b", "d"], none, []);
  });

  it("does not modify passed", () => {
    const passed = Object.freeze(["a", "c"]);
    forwardTargets(star, passed, none); // throws a TypeError if it tries to change the frozen list
    expect(passed).toEqual(["a", "c"]);
  });
});

/** A random topology over 2-7 leaders, a random origin, and some failed leaders (never the origin). */
function randomScenario(random: RandomStream): { topology: Topology; origin: string; failed: Set<string> } {
  const pool = ["eu", "us", "asia", "sa", "af", "au", "ca"];
  const n = random.int(2, 7);
  const nodes: string[] = [];
  while (nodes.length < n) {
    const id = pool[random.int(0, pool.length - 1)]!;
    if (!nodes.includes(id)) nodes.push(id);
  }
  const kind = (["circular", "star", "tree", "all-to-all"] as const)[random.int(0, 3)]!;
  let topology: Topology;
  if (kind === "star") topology = { kind, nodes, hub: nodes[random.int(0, n - 1)]! };
  else if (kind === "tree") {
    const order = nodes; // already in random order: the first is the root
    const parent: Record<string, string> = {};
    for (let i = 1; i < n; i++) parent[order[i]!] = order[random.int(0, i - 1)]!;
    topology = { kind, nodes: [...nodes].reverse(), root: order[0]!, parent };
  } else topology = { kind, nodes };
  const origin = nodes[random.int(0, n - 1)]!;
  const failed = new Set(nodes.filter((id) => id !== origin && random.chance(0.3)));
  return { topology, origin, failed };
}

/** The live leaders a write from `origin` can reach, worked out from the topology alone. */
function reachable(topology: Topology, origin: string, failed: ReadonlySet<string>): Set<string> {
  const live = topology.nodes.filter((id) => !failed.has(id) && id !== origin);
  if (topology.kind === "all-to-all" || topology.kind === "circular") return new Set(live);
  const edges = (id: string): string[] =>
    topology.kind === "star"
      ? id === topology.hub ? topology.nodes.filter((n) => n !== id) : [topology.hub]
      : topology.nodes.filter((n) => topology.parent[n] === id || topology.parent[id] === n);
  const seen = new Set([origin]);
  const stack = [origin];
  while (stack.length > 0) {
    for (const next of edges(stack.pop()!)) {
      if (!failed.has(next) && !seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }
  seen.delete(origin);
  return seen;
}

/** Whether `from` may send straight to `to` in this topology (a ring may skip failed leaders). */
function linked(topology: Topology, from: string, to: string, failed: ReadonlySet<string>): boolean {
  const { nodes } = topology;
  switch (topology.kind) {
    case "all-to-all":
      return true;
    case "star":
      return from === topology.hub || to === topology.hub;
    case "tree":
      return topology.parent[from] === to || topology.parent[to] === from;
    case "circular": {
      for (let i = nodes.indexOf(from) + 1; ; i++) {
        const next = nodes[i % nodes.length]!;
        if (next === to) return true;
        if (!failed.has(next)) return false;
      }
    }
  }
}

/** Delivers one write hop by hop in a random order; returns what went wrong, in plain words. */
function deliver(seed: number): { problems: string[]; description: string } {
  const random = new RandomStreams(seed).stream("topology_router");
  const { topology, origin, failed } = randomScenario(random);
  const shape =
    topology.kind === "star" ? `star with hub ${topology.hub}` : topology.kind === "tree" ? `tree rooted at ${topology.root} (parents ${JSON.stringify(topology.parent)})` : topology.kind;
  const description = `${shape} over [${topology.nodes.join(", ")}], write from ${origin}, failed: [${[...failed].join(", ") || "none"}]`;
  const problems: string[] = [];
  const receipts = new Map<string, number>();
  const inFlight: { to: string; passed: string[] }[] = [];
  const send = (passed: string[]) => {
    const self = passed[passed.length - 1]!;
    const targets = forwardTargets(topology, [...passed], new Set(failed));
    if (!Array.isArray(targets)) {
      problems.push(`${self} returned ${JSON.stringify(targets)} instead of an array of leader ids`);
      return;
    }
    for (const to of targets) {
      const path = `${[...passed].join(" → ")} → ${to}`;
      if (to === self) problems.push(`${self} sent the write to itself (${path})`);
      else if (!topology.nodes.includes(to)) problems.push(`${self} sent to "${to}", which is not a leader (${path})`);
      else if (failed.has(to)) problems.push(`${self} sent to the failed leader ${to}: that copy is lost (${path})`);
      else if (!linked(topology, self, to, failed)) problems.push(`${self} sent to ${to}, but the ${topology.kind} topology has no such link (${path})`);
      else inFlight.push({ to, passed: [...passed, to] });
    }
  };
  send([origin]);
  for (let hops = 0; inFlight.length > 0 && problems.length === 0; hops++) {
    if (hops > 40 * topology.nodes.length) {
      problems.push(`the write is still circulating after ${hops} copies: a loop (is every leader checking passed?)`);
      break;
    }
    const [copy] = inFlight.splice(random.int(0, inFlight.length - 1), 1);
    receipts.set(copy!.to, (receipts.get(copy!.to) ?? 0) + 1);
    send(copy!.passed);
  }
  if (problems.length === 0) {
    const expected = reachable(topology, origin, failed);
    for (const id of topology.nodes) {
      const got = receipts.get(id) ?? 0;
      if (id === origin && got > 0) problems.push(`the origin ${id} received its own write back ${got} time(s)`);
      else if (expected.has(id) && got !== 1) problems.push(`${id} is live and reachable but received the write ${got} time(s), not once`);
      else if (!expected.has(id) && id !== origin && got > 0) problems.push(`${id} cannot be reached yet received the write`);
    }
  }
  return { problems, description };
}

const SEEDS: number[] = process.env.REPLAY_SEED ? [Number(process.env.REPLAY_SEED)] : Array.from({ length: 400 }, (_, i) => i + 1);

describe("random topologies and failures", () => {
  it("every live, reachable leader receives every write exactly once, over links the topology has", () => {
    for (const seed of SEEDS) {
      if (!Number.isSafeInteger(seed)) throw new Error(`--seed must be a whole number (like the seeds this exercise prints), got ${process.env.REPLAY_SEED}`);
      const { problems, description } = deliver(seed);
      if (problems.length > 0) {
        throw new Error(
          [`seed ${seed} failed: ${problems.slice(0, 3).join("; ")}`, `scenario: ${description}`, `replay: npm run grade topology_router -- --seed ${seed}`].join("\n"),
        );
      }
    }
  });
});
