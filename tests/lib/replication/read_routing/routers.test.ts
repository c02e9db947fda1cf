import { describe, expect, it } from "vitest";
import { checkMonotonicReads, checkReadYourWrites } from "../../../../lib/checkers/session";
import {
  hashPinnedRouter,
  leaderRouter,
  leaderWindowRouter,
  ownDataFromLeaderRouter,
  randomRouter,
  runSessionWorkload,
  runStandardSessionWorkload,
  stableHash,
  writePositionRouter,
  type RouterView,
} from "../../../../lib/replication/read_routing";
import { latency as L } from "../../../../lib/sim/latency";
import { RandomStreams } from "../../../../lib/sim/random";

const SEEDS = [1, 2, 3, 4, 5, 6];

describe("read routers on the standard workload", () => {
  it("always the leader: no anomalies, every read on the leader", () => {
    for (const seed of SEEDS.slice(0, 3)) {
      const run = runStandardSessionWorkload(seed, leaderRouter());
      expect(checkReadYourWrites(run.history, { by: "user" })).toEqual([]);
      expect(checkMonotonicReads(run.history)).toEqual([]);
      expect(run.cost.leaderShare).toBe(1);
    }
  });

  it("random followers: both anomalies appear on some seed", () => {
    const runs = SEEDS.map((seed) => runStandardSessionWorkload(seed, randomRouter()));
    expect(runs.some((r) => checkReadYourWrites(r.history).length > 0)).toBe(true);
    expect(runs.some((r) => checkMonotonicReads(r.history).length > 0)).toBe(true);
    expect(runs.every((r) => r.cost.leaderShare === 0)).toBe(true);
  });

  it("own data from the leader: read-your-writes holds even across devices", () => {
    for (const seed of SEEDS) expect(checkReadYourWrites(runStandardSessionWorkload(seed, ownDataFromLeaderRouter()).history, { by: "user" })).toEqual([]);
  });

  it("last write position: per session it holds; across devices it needs the per-user position", () => {
    let crossDevice = 0;
    for (const seed of SEEDS) {
      const perSession = runStandardSessionWorkload(seed, writePositionRouter());
      expect(checkReadYourWrites(perSession.history)).toEqual([]);
      crossDevice += checkReadYourWrites(perSession.history, { by: "user" }).length;
      expect(checkReadYourWrites(runStandardSessionWorkload(seed, writePositionRouter({ acrossDevices: true })).history, { by: "user" })).toEqual([]);
    }
    expect(crossDevice).toBeGreaterThan(0);
  });

  it("a leader window shorter than a lag spike lets read-your-writes fail", () => {
    const lag = { steady: L.constant(5), spikes: [{ node: "n2", fromMs: 0, toMs: 5000, latency: L.constant(300) }] };
    const short = runSessionWorkload({ seed: 3, router: leaderWindowRouter(50), lag });
    const long = runSessionWorkload({ seed: 3, router: leaderWindowRouter(400), lag });
    expect(checkReadYourWrites(short.history).length).toBeGreaterThan(0);
    expect(checkReadYourWrites(long.history)).toEqual([]);
  });

  it("hash pinning keeps reads monotonic while no follower fails", () => {
    const lag = { steady: { n2: L.uniform(5, 30), n3: L.uniform(50, 200) } };
    for (const seed of SEEDS) expect(checkMonotonicReads(runSessionWorkload({ seed, router: hashPinnedRouter(), lag }).history)).toEqual([]);
  });
});

describe("runSessionWorkload", () => {
  it("replays a seed exactly", () => {
    const a = runStandardSessionWorkload(9, randomRouter());
    const b = runStandardSessionWorkload(9, randomRouter());
    expect(a.history).toEqual(b.history);
    expect(a.cost).toEqual(b.cost);
  });

  it("issues every operation of every session, and the history has the writes' positions", () => {
    const run = runSessionWorkload({ seed: 2, router: leaderRouter(), opsPerSession: 10 });
    expect(run.sessions.map((s) => s.session)).toEqual(["ann-phone", "ann-laptop", "bob", "cem", "dia", "eve"]);
    expect(run.history.length).toBe(60);
    const positions = run.history.filter((op) => op.kind === "write").map((op) => (op as { position: number }).position);
    expect(new Set(positions).size).toBe(positions.length);
  });

  it("rejects a bad configuration with a message saying what to change", () => {
    expect(() => runSessionWorkload({ seed: 1, router: randomRouter(), writeShare: 2 })).toThrow(/writeShare must be a share/);
    expect(() => runSessionWorkload({ seed: 1, router: randomRouter(), lag: { steady: L.constant(1), failures: [{ node: "n9", crashAtMs: 1, restartAtMs: 2 }] } })).toThrow(/not a follower/);
    expect(() => runSessionWorkload({ seed: 1, router: { name: "x" } as never })).toThrow(/route\(read, view\)/);
    expect(() => runSessionWorkload({ seed: 1, router: { name: "bad", route: () => "nowhere" } })).toThrow(/not a replica/);
  });
});

describe("hashPinnedRouter", () => {
  const view = (n2Up: boolean): RouterView => ({
    leader: "n1",
    replicas: [
      { node: "n1", role: "leader", up: true, position: 9, reportedAtMs: 0 },
      { node: "n2", role: "follower", up: n2Up, position: 9, reportedAtMs: 0 },
      { node: "n3", role: "follower", up: true, position: 9, reportedAtMs: 0 },
    ],
  });
  const req = (user: string) => ({ session: user, user, key: "k", ownData: false, nowMs: 0, attempt: 0, failedNodes: [], random: new RandomStreams(1).stream("x") });

  it("pins by hash and moves to the next follower, or the leader, when the pin is down", () => {
    const user = ["a", "b", "c", "d", "e", "f"].find((u) => stableHash(u) % 2 === 0)!;
    expect(hashPinnedRouter().route(req(user), view(true))).toBe("n2");
    expect(hashPinnedRouter().route(req(user), view(false))).toBe("n3");
    expect(hashPinnedRouter({ onFailure: "leader" }).route(req(user), view(false))).toBe("n1");
  });
});
