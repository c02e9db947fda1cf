/**
 * An external store guarded by fencing tokens (the "storage" in Kleppmann's lock-service story,
 * or a shared disk behind STONITH): the leader must get every write accepted here, tagged with
 * its epoch, before acknowledging it. With fencing on, the storage refuses any epoch lower than
 * the highest it has seen, so a deposed leader that still believes it leads cannot commit. The
 * coordinator fences the old epoch here before it even probes for a successor.
 */
import type { NodeContext, NodeLogic } from "../../sim/node";
import type { NodeId } from "../../sim/trace";
import type { LogOp, SingleLeaderMessage } from "./types";

type Ctx = NodeContext<SingleLeaderMessage, unknown, unknown>;

/** One write the storage saw, accepted or not. */
export interface StorageRecord {
  /** Local time of the storage node. */
  atMs: number;
  from: NodeId;
  epoch: number;
  lsn: number;
  op: LogOp;
  accepted: boolean;
}

export class FencedStorageNode implements NodeLogic<SingleLeaderMessage, unknown, unknown> {
  private ctx!: Ctx;
  /** Highest epoch seen (the fencing token to beat). Volatile: this model never crashes the storage. */
  private maxEpoch = 0;
  /** Every write received, in order. */
  readonly records: StorageRecord[] = [];

  constructor(private readonly fencing: boolean) {}

  onStart(ctx: Ctx): void {
    this.ctx = ctx;
  }

  onMessage(ctx: Ctx, from: NodeId, m: SingleLeaderMessage): void {
    if (m.type === "config") {
      // The coordinator tells the storage about each new epoch, so the deposed leader is fenced
      // off even before the new one writes.
      this.maxEpoch = Math.max(this.maxEpoch, m.epoch);
      return;
    }
    if (m.type === "fence") {
      this.maxEpoch = Math.max(this.maxEpoch, m.epoch + 1);
      ctx.send(from, { type: "fenced", epoch: m.epoch });
      return;
    }
    if (m.type !== "storageWrite") return;
    const accepted = !this.fencing || m.epoch >= this.maxEpoch;
    if (accepted) this.maxEpoch = Math.max(this.maxEpoch, m.epoch);
    this.records.push({ atMs: this.ctx.now(), from, epoch: m.epoch, lsn: m.lsn, op: { ...m.op }, accepted });
    ctx.send(from, { type: "storageReply", lsn: m.lsn, accepted, epoch: this.maxEpoch });
  }

  /** Highest epoch seen so far. */
  get epoch(): number {
    return this.maxEpoch;
  }
}
