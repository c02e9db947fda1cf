import type { NetworkConfig } from "../../sim/network";
import type { RandomStream, Seed } from "../../sim/random";
import type { NodeId } from "../../sim/trace";
import { checkLinearizability } from "../../checkers/linearizability/check";
import { explainLinearizability } from "../../checkers/linearizability/explain";
import { kvModel } from "../../checkers/linearizability/models/kv";
import { RaftCluster } from "./cluster";
import type { RaftNodeFactory, RaftTiming } from "./types";

/**
 * The graded fault scenarios: the classic Raft lab tests (elections, agreement, persistence,
 * Figure 8, unreliable networks, churn), as deterministic simulations. Each one scripts faults,
 * asserts what must happen (a leader, agreement on an index) and what must not (a leader without
 * a majority, a commit without a majority), while the cluster checks the five safety properties
 * after every event. The same seed replays the same run.
 */
export interface RaftScenario {
  /** Short id, used in test names and `--scenario` filters, e.g. "initial-election". */
  readonly name: string;
  /** What it checks, in a sentence. */
  readonly title: string;
  /** Cluster size. */
  readonly nodes: number;
  /** Network faults (default reliable). */
  readonly network?: NetworkConfig;
  /** Timing overrides (default DEFAULT_RAFT_TIMING). */
  readonly timing?: Partial<RaftTiming>;
  /** The script: throws RaftScenarioFailure (or a safety violation) when something goes wrong. */
  run(cluster: RaftCluster, random: RandomStream): void;
}

/** A scenario's assertion failed; the message says what was expected. */
export class RaftScenarioFailure extends Error {
  override readonly name = "RaftScenarioFailure";
}

function expect(condition: boolean, message: string): asserts condition {
  if (!condition) throw new RaftScenarioFailure(message);
}

/** The time the classic labs give an election: several election timeouts. */
const ELECTION_MS = 1_000;

const UNRELIABLE: NetworkConfig = {
  latency: { kind: "uniform", minMs: 1, maxMs: 10 },
  lossProbability: 0.1,
  duplicateProbability: 0.05,
  reorder: { probability: 0.2, maxExtraDelayMs: 40 },
};

const at = (c: RaftCluster, i: number): NodeId => c.ids[((i % c.ids.length) + c.ids.length) % c.ids.length]!;

/** All nodes up with logs of the same length ending in the same term: by log matching, identical logs. */
function logsIdentical(c: RaftCluster): boolean {
  const first = c.state(c.ids[0]!).log;
  for (const id of c.ids) {
    if (!c.sim.isUp(id)) return false;
    const log = c.state(id).log;
    if (log.length !== first.length || (log.length > 0 && log[log.length - 1]!.term !== first[first.length - 1]!.term)) return false;
  }
  return true;
}

const FAST_BACKUP_MESSAGE_BOUND = 150;

function checkNoLeader(c: RaftCluster, why: string): void {
  const ls = c.leaders();
  expect(ls.length === 0, `${why}, but ${ls.map((l) => `${l.id} (term ${l.term})`).join(", ")} believes it leads`);
}

function expectNotCommitted(c: RaftCluster, index: number, why: string): void {
  const n = c.nCommitted(index).count;
  expect(n === 0, `${why}, but ${n} node(s) applied index ${index}`);
}

/** Starts `count` retrying clients on distinct keys and runs until they finish (or `timeoutMs`). */
function runClients(c: RaftCluster, count: number, opsEach: number, timeoutMs: number, during?: (step: number) => void): void {
  c.addKvClients(count, {
    count: opsEach,
    next: (_r, i, client) => ({ op: "append", key: `k-${client}`, value: `${client}.${i};` }),
  });
  const done = () => c.kvHistory.ops.length === count * opsEach && c.kvHistory.ops.every((o) => o.status !== "pending");
  let step = 0;
  const deadline = c.sim.now + timeoutMs;
  while (!done() && c.sim.now < deadline) {
    if (during) during(step++);
    c.runUntil(done, 100);
  }
}

/** After healing: every node applies the same log, and every acknowledged append is in its key's value. */
function expectConverged(c: RaftCluster): void {
  const index = c.one(`final-${c.sim.now.toFixed(0)}`, c.ids.length, true);
  const leader = c.checkOneLeader();
  const values = new Map<string, string>();
  // Replaying the leader's applied log on a fresh state machine gives the store's contents.
  const log = c.state(leader).log.slice(0, index);
  const seen = new Set<string>();
  for (const e of log) {
    const k = `${e.command.clientId}#${e.command.requestId}`;
    if (seen.has(k)) continue; // a retried duplicate: applied once
    seen.add(k);
    if (e.command.op === "append") values.set(e.command.key, (values.get(e.command.key) ?? "") + (e.command.value ?? ""));
  }
  for (const op of c.kvHistory.ops) {
    if (op.status !== "ok" || op.op !== "append") continue;
    const v = values.get(op.key) ?? "";
    expect(v.includes(op.value!), `${op.client} was told its append "${op.value}" to ${op.key} succeeded, but the agreed log does not contain it`);
    const occurrences = v.split(op.value!).length - 1;
    expect(occurrences === 1, `append "${op.value}" to ${op.key} was applied ${occurrences} times (retries must apply once)`);
  }
  const ok = c.kvHistory.ops.filter((o) => o.status === "ok").length;
  expect(ok > 0, "no client operation succeeded during the whole run");
}

export const RAFT_SCENARIOS: readonly RaftScenario[] = [
  {
    name: "initial-election",
    title: "three nodes elect one leader, agree on its term, and keep it while nothing fails",
    nodes: 3,
    run(c) {
      c.checkOneLeader();
      c.run(50);
      const term1 = c.agreedTerm();
      expect(term1 !== undefined && term1 >= 1, `after the election the nodes should agree on a term >= 1, got ${c.ids.map((id) => c.state(id).currentTerm).join(", ")}`);
      c.run(2 * ELECTION_MS);
      const term2 = c.agreedTerm();
      expect(term2 === term1, `with no failures the term should stay ${term1}, but it became ${term2 ?? "different on different nodes"} (are heartbeats resetting the election timer?)`);
      c.checkOneLeader();
    },
  },
  {
    name: "re-election",
    title: "a new leader after the leader is partitioned away or crashes; the old one rejoins as follower",
    nodes: 3,
    run(c) {
      const leader1 = c.checkOneLeader();
      c.disconnect(leader1);
      const leader2 = c.checkOneLeader();
      expect(leader2 !== leader1, `after ${leader1} was cut off, a different node should lead`);
      c.connect(leader1);
      const leader3 = c.checkOneLeader();
      c.crash(leader3);
      const leader4 = c.checkOneLeader();
      expect(leader4 !== leader3, `after ${leader3} crashed, a different node should lead`);
      c.restart(leader3);
      c.checkOneLeader();
      c.run(ELECTION_MS);
      c.checkOneLeader();
    },
  },
  {
    name: "no-leader-without-majority",
    title: "no node becomes leader while only a minority can talk; a leader appears once a majority can",
    nodes: 5,
    run(c) {
      const leader = c.checkOneLeader();
      const cut = [1, 2, 3].map((k) => at(c, c.ids.indexOf(leader) + k));
      for (const id of cut) c.disconnect(id);
      c.run(2 * ELECTION_MS);
      // The old leader may still believe it leads (it cannot know), but no *other* node may win.
      const others = c.leaders().filter((l) => l.id !== leader);
      expect(others.length === 0, `only ${leader} and one other node are connected (2 of 5), yet ${others.map((l) => l.id).join(", ")} became leader`);
      c.crash(leader);
      c.restart(leader);
      c.run(2 * ELECTION_MS);
      checkNoLeader(c, `2 of 5 nodes connected: nobody can collect 3 votes`);
      c.connect(cut[0]!);
      c.checkOneLeader();
    },
  },
  {
    name: "many-elections",
    title: "seven nodes under repeated partitions always settle on one leader",
    nodes: 7,
    run(c, random) {
      c.checkOneLeader();
      for (let round = 0; round < 8; round++) {
        const cut = random.shuffle(c.ids).slice(0, 3);
        for (const id of cut) c.disconnect(id);
        c.checkOneLeader();
        for (const id of cut) c.connect(id);
      }
      c.checkOneLeader();
    },
  },
  {
    name: "basic-agreement",
    title: "commands are agreed on by every node, at indexes 1, 2, 3",
    nodes: 3,
    run(c) {
      c.checkOneLeader();
      for (let i = 1; i <= 3; i++) {
        expectNotCommitted(c, i, `nothing was submitted for index ${i} yet`);
        const index = c.one(`v${i}`, 3, false);
        expect(index === i, `command ${i} should land at index ${i}, got ${index}`);
      }
    },
  },
  {
    name: "follower-failure",
    title: "agreement continues with one follower cut off, and it catches up when it returns",
    nodes: 3,
    run(c) {
      c.one("101", 3, false);
      const leader = c.checkOneLeader();
      const follower = at(c, c.ids.indexOf(leader) + 1);
      c.disconnect(follower);
      c.one("102", 2, false);
      c.one("103", 2, false);
      c.run(ELECTION_MS);
      c.one("104", 2, false);
      c.one("105", 2, false);
      c.connect(follower);
      c.one("106", 3, true);
      c.run(ELECTION_MS);
      c.one("107", 3, true);
    },
  },
  {
    name: "no-agreement-without-majority",
    title: "a leader with only a minority commits nothing; after healing, agreement resumes",
    nodes: 5,
    run(c) {
      c.one("10", 5, false);
      const leader = c.checkOneLeader();
      for (let k = 1; k <= 3; k++) c.disconnect(at(c, c.ids.indexOf(leader) + k));
      const command = c.command("20");
      c.submit(leader, command);
      c.runUntil(() => c.indexOf(leader, command) > 0, 100);
      const index = c.indexOf(leader, command);
      expect(index === 2, `the leader should put the command at index 2, got ${index === 0 ? "nothing" : index}`);
      c.run(2 * ELECTION_MS);
      expectNotCommitted(c, 2, "only 2 of 5 nodes are connected, so index 2 cannot commit");
      for (let k = 1; k <= 3; k++) c.connect(at(c, c.ids.indexOf(leader) + k));
      c.checkOneLeader();
      c.one("1000", 5, true);
    },
  },
  {
    name: "concurrent-requests",
    title: "five commands submitted at the same instant are each applied exactly once",
    nodes: 3,
    run(c) {
      for (let attempt = 0; attempt < 5; attempt++) {
        const leader = c.checkOneLeader();
        const term = c.state(leader).currentTerm;
        const commands = [1, 2, 3, 4, 5].map((i) => c.command(`c${attempt}-${i}`));
        for (const cmd of commands) c.submit(leader, cmd);
        c.runUntil(() => commands.every((cmd) => c.indexOf(leader, cmd) > 0) || c.state(leader).currentTerm !== term, 200);
        if (c.state(leader).currentTerm !== term) continue; // leadership changed: try again, like the labs
        const indexes = commands.map((cmd) => c.indexOf(leader, cmd));
        expect(indexes.every((i) => i > 0), `the leader accepted only ${indexes.filter((i) => i > 0).length} of 5 concurrent commands`);
        expect(new Set(indexes).size === 5, `five commands got the indexes ${indexes.join(", ")}: some share an index`);
        const all = c.runUntil(() => indexes.every((i) => c.nCommitted(i).count === 3), 2_000);
        if (!all && c.state(leader).currentTerm !== term) continue;
        expect(all, `the five commands were not applied on all three nodes within 2000 ms`);
        for (const [k, i] of indexes.entries()) {
          const applied = c.nCommitted(i).command;
          expect(applied?.requestId === commands[k]!.requestId, `index ${i} should hold command c${attempt}-${k + 1}`);
        }
        return;
      }
      throw new RaftScenarioFailure("leadership changed during every one of 5 attempts: terms should be stable without failures");
    },
  },
  {
    name: "rejoin-old-leader",
    title: "a partitioned old leader with uncommitted entries rejoins, and its stale entries are replaced",
    nodes: 3,
    run(c) {
      c.one("101", 3, true);
      const leader1 = c.checkOneLeader();
      c.disconnect(leader1);
      for (const v of ["102", "103", "104"]) c.submit(leader1, c.command(v));
      c.run(50);
      const leader2 = c.checkOneLeader();
      c.one("103", 2, true);
      c.disconnect(leader2);
      c.connect(leader1);
      c.one("104", 2, true);
      c.connect(leader2);
      c.one("105", 3, true);
    },
  },
  {
    name: "fast-backup",
    title: "a leader repairs followers whose logs diverge by 50 entries in a few round trips",
    nodes: 5,
    // Small batches: a follower's stale tail can outlive one AppendEntries, as on a real system.
    timing: { maxEntriesPerMessage: 8 },
    run(c, random) {
      const r = () => `${random.int(0, 1_000_000)}`;
      c.one(r(), 5, true);
      const leader1 = c.checkOneLeader();
      const l1 = c.ids.indexOf(leader1);
      // Leader 1 with one follower: 50 entries that can never commit.
      for (let k = 2; k <= 4; k++) c.disconnect(at(c, l1 + k));
      for (let i = 0; i < 50; i++) c.submit(leader1, c.command(r()));
      c.run(ELECTION_MS / 2);
      c.disconnect(at(c, l1));
      c.disconnect(at(c, l1 + 1));
      for (let k = 2; k <= 4; k++) c.connect(at(c, l1 + k));
      // The other three commit 50 entries.
      for (let i = 0; i < 50; i++) c.one(r(), 3, true);
      const leader2 = c.checkOneLeader();
      const other = [2, 3, 4].map((k) => at(c, l1 + k)).find((id) => id !== leader2)!;
      c.disconnect(other);
      // Leader 2 with one follower: 50 more uncommitted entries.
      for (let i = 0; i < 50; i++) c.submit(leader2, c.command(r()));
      c.run(ELECTION_MS / 2);
      for (const id of c.ids) c.disconnect(id);
      c.connect(at(c, l1));
      c.connect(at(c, l1 + 1));
      c.connect(other);
      // Leader 1's side and `other` commit 50 entries over the divergent tails.
      for (let i = 0; i < 50; i++) c.one(r(), 3, true);
      for (const id of c.ids) c.connect(id);
      // Every follower is repaired in a bounded number of messages, not one round trip per entry.
      const before = c.messagesSent;
      const repaired = c.runUntil(() => logsIdentical(c), 5_000);
      expect(repaired, "5 s after healing, the five logs are still not identical");
      const used = c.messagesSent - before;
      expect(used <= FAST_BACKUP_MESSAGE_BOUND, `repairing the divergent logs took ${used} Raft messages (bound ${FAST_BACKUP_MESSAGE_BOUND}): back up a whole term per round trip (conflictTerm / conflictIndex), not one entry`);
      c.one(r(), 5, true);
    },
  },
  {
    name: "message-bounds",
    title: "elections, agreements and idle time cost a bounded number of messages (no storms)",
    nodes: 3,
    run(c) {
      c.checkOneLeader();
      const election = c.messagesSent;
      expect(election <= 40, `electing the first leader took ${election} messages (bound 40)`);
      let leader = c.checkOneLeader();
      for (let attempt = 0; attempt < 3; attempt++) {
        const before = c.messagesSent;
        const startMs = c.sim.now;
        const term = c.state(leader).currentTerm;
        for (let i = 0; i < 10; i++) c.one(`x${i}`, 3, false);
        if (c.state(leader).currentTerm !== term) {
          leader = c.checkOneLeader();
          continue;
        }
        const used = c.messagesSent - before;
        // Each agreement: the entry to 2 followers and their answers; plus the heartbeats of the time it took.
        const heartbeats = Math.ceil((c.sim.now - startMs) / 50) * 2 * 2;
        const bound = 10 * 4 * 2 + heartbeats;
        expect(used <= bound, `10 agreements took ${used} messages (bound ${bound}: at most 8 per agreement plus the heartbeats of the ${Math.round(c.sim.now - startMs)} ms they took)`);
        break;
      }
      const before = c.messagesSent;
      c.run(1_000);
      const idle = c.messagesSent - before;
      expect(idle <= 120, `one idle second cost ${idle} messages (bound 120: heartbeats every ~50 ms to 2 followers, with their answers)`);
      expect(idle >= 8, `one idle second cost only ${idle} messages: a leader must send heartbeats`);
    },
  },
  {
    name: "persistence",
    title: "term, vote and log survive crashes of all nodes, of the leader and of followers",
    nodes: 3,
    run(c) {
      c.one("11", 3, true);
      for (const id of c.ids) c.crash(id);
      for (const id of c.ids) c.restart(id);
      c.one("12", 3, true);
      const leader1 = c.checkOneLeader();
      c.crash(leader1);
      c.restart(leader1);
      c.one("13", 3, true);
      const leader2 = c.checkOneLeader();
      c.crash(leader2);
      c.one("14", 2, true);
      c.restart(leader2);
      const index14 = c.one("14b", 3, true) - 1;
      expect(c.nCommitted(index14).count === 3, `after restarting, ${leader2} should catch up`);
      const leader3 = c.checkOneLeader();
      const follower = at(c, c.ids.indexOf(leader3) + 1);
      c.crash(follower);
      c.one("15", 2, true);
      c.restart(follower);
      c.one("16", 3, true);
    },
  },
  {
    name: "persistence-partial",
    title: "five nodes survive rounds of crashes that leave a bare majority",
    nodes: 5,
    run(c) {
      let value = 0;
      c.one(`${++value}`, 5, true);
      for (let round = 0; round < 4; round++) {
        const leader = c.checkOneLeader();
        const l = c.ids.indexOf(leader);
        c.crash(at(c, l + 1));
        c.crash(at(c, l + 2));
        c.one(`${++value}`, 3, true);
        c.crash(at(c, l));
        c.crash(at(c, l + 3));
        c.crash(at(c, l + 4));
        c.restart(at(c, l + 1));
        c.restart(at(c, l + 2));
        c.run(ELECTION_MS);
        c.restart(at(c, l + 3));
        c.one(`${++value}`, 3, true);
        c.restart(at(c, l + 4));
        c.restart(at(c, l));
      }
      c.one(`${++value}`, 5, true);
    },
  },
  {
    name: "figure-8-replay",
    title: "the Raft paper's Figure 8, scripted: an entry of an old term replicated on a majority is not committed by counting",
    nodes: 5,
    run(c) {
      const [s1, s2, s3, s4, s5] = c.ids as [NodeId, NodeId, NodeId, NodeId, NodeId];
      const waitLeader = (id: NodeId) =>
        expect(c.runUntil(() => c.state(id).role === "leader", 5 * ELECTION_MS), `${id} is the only node that can win an election here, but it did not become leader`);
      // (a) S1 leads; an entry of its term reaches S2 only.
      c.star(s1, [s2, s3, s4, s5]);
      waitLeader(s1);
      c.one("x", 5, true);
      c.star(s1, [s2]);
      const a = c.command("a");
      c.submit(s1, a);
      expect(c.runUntil(() => c.indexOf(s2, a) === 2, ELECTION_MS), "S1's entry should reach S2 at index 2");
      c.mark("(a) S1 leads; its entry at index 2 reaches S2 only");
      // (b) S1 crashes; S5 wins with S3 and S4, takes an entry of its own term, and crashes.
      c.crash(s1);
      c.star(s5, [s3, s4]);
      waitLeader(s5);
      c.star(s5, []);
      const b = c.command("b");
      c.submit(s5, b);
      expect(c.runUntil(() => c.indexOf(s5, b) === 2, ELECTION_MS), "S5 should take the entry at index 2");
      c.mark("(b) S1 crashed; S5 leads a newer term and takes another entry at index 2");
      c.crash(s5);
      // (c) S1 returns and wins with S2 and S3; it copies its old entry to S3: a majority holds it.
      c.restart(s1);
      c.star(s1, [s2, s3]);
      waitLeader(s1);
      c.runUntil(() => c.indexOf(s3, a) === 2, ELECTION_MS);
      c.run(200);
      c.mark("(c) S5 crashed; S1 leads again and copies its old entry to S3: a majority holds it");
      expectNotCommitted(c, 2, "index 2 holds an entry of an older term: counting replicas must not commit it (the current-term rule)");
      // (d) S1 crashes; S5 (its last term is higher) wins with S2, S3, S4 and overwrites index 2.
      c.crash(s1);
      c.restart(s5);
      c.star(s5, [s2, s3, s4]);
      waitLeader(s5);
      c.one("d", 4, true);
      c.mark("(d) S1 crashed; S5 wins (its last term is newer) and overwrites index 2 everywhere");
      // Everyone back: the cluster agrees, with S5's entry at index 2.
      c.setLinks(undefined);
      c.restart(s1);
      c.one("e", 5, true);
      c.mark("(e) everyone back: one log");
      expect(c.nCommitted(2).command?.requestId === b.requestId, "index 2 should end up holding S5's entry");
    },
  },
  {
    name: "figure-8-random",
    title: "random leader partitions, crashes and restarts in the style of Figure 8, then everyone agrees",
    nodes: 5,
    run(c, random) {
      // The classic lab's Figure8 / Figure8Unreliable loop, tuned so that chance produces Figure 8:
      // - every node that believes it leads gets a command, also one cut off from its peers: such
      //   stale leaders grow tails of uncommitted entries in their own (newer) terms, which later
      //   win elections and overwrite what a careless leader committed by counting;
      // - a leader gets a command only some of the time (30 %), so many leaders replicate entries
      //   of older terms to a majority before, or without, any entry of their own term: exactly
      //   when the current-term rule is the only thing between them and a wrong commit;
      // - the leader is then mostly cut off (80 %) and otherwise crashed (its log survives on
      //   disk), and cut-off or crashed nodes return whenever fewer than three are up and connected.
      c.one("start", 1, true);
      const live = (id: NodeId) => c.sim.isUp(id) && c.isConnected(id);
      for (let iter = 0; iter < 300; iter++) {
        const believers = c.ids.filter((id) => c.sim.isUp(id) && c.state(id).role === "leader");
        for (const id of believers) if (random.chance(0.3)) c.submit(id, c.command(`${random.int(0, 1_000_000)}`));
        c.run(random.chance(0.1) ? random.uniform(0, ELECTION_MS / 2) : random.uniform(0, 13));
        const leader = c.leaders()[0]?.id;
        if (leader !== undefined) {
          if (random.chance(0.2)) c.crash(leader);
          else c.disconnect(leader);
        }
        while (c.ids.filter(live).length < 3) {
          const back = random.pick(c.ids.filter((id) => !live(id)));
          c.restart(back);
          c.connect(back);
        }
      }
      for (const id of c.ids) {
        c.restart(id);
        c.connect(id);
      }
      c.one("end", 5, true);
    },
  },
  {
    name: "unreliable-agreement",
    title: "agreement on a network that loses, duplicates and reorders messages",
    nodes: 5,
    network: UNRELIABLE,
    run(c) {
      runClients(c, 4, 12, 30_000);
      expectConverged(c);
    },
  },
  {
    name: "churn",
    title: "clients keep writing while nodes crash, restart, disconnect and reconnect at random",
    nodes: 5,
    run(c, random) {
      runClients(c, 3, 15, 60_000, (step) => nemesisStep(c, random, step));
      healAll(c);
      expectConverged(c);
    },
  },
  {
    name: "churn-unreliable",
    title: "the same churn on a lossy, duplicating, reordering network",
    nodes: 5,
    network: UNRELIABLE,
    run(c, random) {
      runClients(c, 3, 12, 60_000, (step) => nemesisStep(c, random, step));
      healAll(c);
      expectConverged(c);
    },
  },
  {
    name: "linearizable-kv",
    title: "the key-value store stays linearizable under partitions, crashes and a lossy network",
    nodes: 5,
    network: UNRELIABLE,
    run(c, random) {
      c.addKvClients(4, {
        count: 25,
        next: (r) => {
          const key = r.pick(["x", "y"]);
          const p = r.float();
          return p < 0.4 ? { op: "get", key } : p < 0.7 ? { op: "put", key, value: `${r.int(0, 100)}` } : { op: "append", key, value: `${r.int(0, 10)};` };
        },
      });
      const done = () => c.kvHistory.ops.length === 100 && c.kvHistory.ops.every((o) => o.status !== "pending");
      for (let step = 0; !done() && step < 600; step++) {
        nemesisStep(c, random, step);
        c.runUntil(done, 100);
      }
      healAll(c);
      c.runUntil(done, 20_000);
      expect(done(), "the clients did not finish their 100 operations within 20 s after healing");
      const verdict = checkKvLinearizable(c);
      expect(verdict.ok, verdict.message);
    },
  },
];

/** Checks the clients' history for linearizability (bounded search; "unknown" counts as a failure to decide). */
export function checkKvLinearizable(c: RaftCluster): { ok: boolean; message: string } {
  const result = checkLinearizability(kvModel, c.kvHistory.checkedOps(), { maxSteps: 2_000_000 });
  if (result.verdict === "linearizable") return { ok: true, message: "linearizable" };
  return {
    ok: false,
    message:
      result.verdict === "unknown"
        ? `the linearizability check could not decide within its step limit (${result.limitReason ?? "limit"})`
        : `the clients' history is not linearizable:\n${explainLinearizability(result)}`,
  };
}

/** One random fault every 100 ms: crash, restart, disconnect or reconnect a node (a majority stays reachable most of the time). */
function nemesisStep(c: RaftCluster, random: RandomStream, step: number): void {
  if (step % 2 !== 0) return;
  const id = random.pick(c.ids);
  const p = random.float();
  if (p < 0.2) c.crash(id);
  else if (p < 0.5) c.restart(id);
  else if (p < 0.65) c.disconnect(id);
  else c.connect(id);
}

function healAll(c: RaftCluster): void {
  for (const id of c.ids) {
    c.restart(id);
    c.connect(id);
  }
}

/** The outcome of one scenario on one seed. */
export interface RaftScenarioResult {
  readonly scenario: string;
  readonly seed: Seed;
  /** The thrown failure (assertion, safety violation, node exception, run limit), or undefined. */
  readonly error: Error | undefined;
  readonly cluster: RaftCluster;
  /** Simulated time the scenario took. */
  readonly simulatedMs: number;
}

/** Runs one scenario on one seed against a node factory; never throws for a failing scenario. */
export function runRaftScenario(scenario: RaftScenario, createNode: RaftNodeFactory, seed: Seed, options: { trace?: boolean } = {}): RaftScenarioResult {
  const cluster = new RaftCluster({
    seed: `${scenario.name}/${String(seed)}`,
    createNode,
    nodes: scenario.nodes,
    ...(scenario.network === undefined ? {} : { network: scenario.network }),
    ...(scenario.timing === undefined ? {} : { timing: scenario.timing }),
    ...(options.trace === undefined ? {} : { trace: options.trace }),
  });
  let error: Error | undefined;
  try {
    scenario.run(cluster, cluster.sim.random.stream("scenario"));
  } catch (err) {
    error = err instanceof Error ? err : new Error(String(err));
  }
  return { scenario: scenario.name, seed, error, cluster, simulatedMs: cluster.sim.now };
}

/** Looks a scenario up by name, with the known names in the error. */
export function raftScenario(name: string): RaftScenario {
  const s = RAFT_SCENARIOS.find((x) => x.name === name);
  if (s === undefined) throw new RaftScenarioFailure(`no Raft scenario "${name}"; known: ${RAFT_SCENARIOS.map((x) => x.name).join(", ")}`);
  return s;
}
