import { describe, expect, it } from "vitest";
import { Simulation, latency, type NodeContext, type NodeLogic } from "../../../../lib/sim";
import { FencedStorageNode, type StorageRecord } from "../../../../lib/replication/single_leader/fenced_storage_node";
import type { SingleLeaderMessage } from "../../../../lib/replication/single_leader/types";

type Ctx = NodeContext<SingleLeaderMessage>;

/** A stand-in leader: `sim.at` actions send through its context; it keeps every reply. */
class Writer implements NodeLogic<SingleLeaderMessage> {
  ctx!: Ctx;
  readonly replies: SingleLeaderMessage[] = [];
  onStart(ctx: Ctx): void {
    this.ctx = ctx;
  }
  onMessage(_ctx: Ctx, _from: string, m: SingleLeaderMessage): void {
    this.replies.push(m);
  }
}

function storageSim(records: StorageRecord[]) {
  return new Simulation<SingleLeaderMessage>({
    seed: 1,
    nodes: ["storage", "w"],
    createNode: (id) => (id === "storage" ? new FencedStorageNode(true, records) : new Writer()),
    network: { latency: latency.constant(1) },
  });
}

const write = (epoch: number, lsn: number): SingleLeaderMessage => ({ type: "storageWrite", epoch, lsn, op: { kind: "set", key: "k", value: lsn } });

describe("FencedStorageNode", () => {
  it("refuses writes from an epoch below the highest it has seen", () => {
    const records: StorageRecord[] = [];
    const sim = storageSim(records);
    const w = () => sim.logic("w") as Writer;
    sim.at(10, () => w().ctx.send("storage", write(2, 1)));
    sim.at(20, () => w().ctx.send("storage", write(1, 2)));
    sim.run();
    expect(records.map((r) => [r.epoch, r.accepted])).toEqual([
      [2, true],
      [1, false],
    ]);
  });

  it("keeps its fencing token across a crash and restart, and the records with it", () => {
    // Before the fix the token lived in memory only: after a restart the storage accepted the
    // deposed epoch-1 leader again.
    const records: StorageRecord[] = [];
    const sim = storageSim(records);
    const w = () => sim.logic("w") as Writer;
    sim.at(10, () => w().ctx.send("storage", { type: "fence", epoch: 1 }));
    sim.at(20, () => sim.crash("storage", { loseUnsyncedWrites: true }));
    sim.at(30, () => sim.restart("storage"));
    sim.at(40, () => w().ctx.send("storage", write(1, 7)));
    sim.run();
    expect((sim.logic("storage") as FencedStorageNode).epoch).toBe(2);
    expect(records.map((r) => [r.epoch, r.lsn, r.accepted])).toEqual([[1, 7, false]]);
    expect(w().replies.map((m) => m.type)).toEqual(["fenced", "storageReply"]);
  });
});
