import { describe, expect, it } from "vitest";
import { RaftCluster } from "../../../../lib/consensus/raft/cluster";
import { raftLogMatrix, raftRoleTimelineSvg } from "../../../../lib/consensus/raft/views";
import { VizInputError } from "../../../../lib/viz/errors";
import { createRaftNode } from "../../../../solutions/raft";

function twoCommands(): RaftCluster {
  const c = new RaftCluster({ seed: 2, createNode: createRaftNode });
  c.one("a", 3, true);
  c.one("b", 3, true);
  return c;
}

describe("raftLogMatrix", () => {
  it("has one row per node and one column per index, committed terms plain", () => {
    const c = twoCommands();
    const rows = raftLogMatrix(c);
    expect(rows.map((r) => r.node)).toEqual(["n1", "n2", "n3"]);
    const term = c.state(c.checkOneLeader()).currentTerm;
    for (const r of rows) expect([r["#1"], r["#2"]]).toEqual([String(term), String(term)]);
  });

  it("puts uncommitted entries in parentheses", () => {
    const c = twoCommands();
    const leader = c.checkOneLeader();
    c.disconnect(leader);
    c.submit(leader, c.command("lonely"));
    c.run(20);
    const row = raftLogMatrix(c).find((r) => r.node === leader)!;
    expect(row["#3"]).toMatch(/^\(\d+\)$/);
  });
});

describe("raftRoleTimelineSvg", () => {
  it("draws one labelled lane per node, the same bytes for the same run", () => {
    const svgs = [1, 2].map(() => {
      const c = new RaftCluster({ seed: 5, createNode: createRaftNode });
      c.run(1_000);
      return raftRoleTimelineSvg(c.timeline, c.ids, { toMs: 1_000 });
    });
    expect(svgs[0]).toBe(svgs[1]);
    for (const id of ["n1", "n2", "n3"]) expect(svgs[0]).toContain(`>${id}</text>`);
    expect(svgs[0]).toContain("leader, term 1");
  });

  it("refuses an empty time window and a tiny width", () => {
    const c = new RaftCluster({ seed: 5, createNode: createRaftNode });
    expect(() => raftRoleTimelineSvg(c.timeline, c.ids, { fromMs: 10, toMs: 10 })).toThrow(VizInputError);
    expect(() => raftRoleTimelineSvg(c.timeline, c.ids, { width: 50 })).toThrow(/width/);
  });
});
