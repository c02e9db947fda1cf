/**
 * An external store guarded by fencing tokens (the "storage" in Kleppmann's lock-service story,
 * or a shared disk behind STONITH): the leader must get every write accepted here, tagged with
 * its epoch, before acknowledging it. With fencing on, the storage refuses any epoch lower than
 * the highest it has seen, so a deposed leader that still believes it leads cannot commit. The
 * coordinator fences the old epoch here before it even probes for a successor. The token is kept
 * on the node's disk, so a crash and restart of the storage does not open the door again.
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

/** Disk key of the fencing token: it must survive a crash, or a restart would let a deposed leader in. */
const MAX_EPOCH_KEY = "maxEpoch";

/** The fenced external store (see the module comment). */
export class FencedStorageNode implements NodeLogic<SingleLeaderMessage, unknown, unknown> {
  private ctx!: Ctx;
  /** Highest epoch seen (the fencing token to beat); a copy of what the disk holds. */
  private maxEpoch = 0;

  /**
   * @param fencing refuse writes from epochs below the highest seen (false: accept everything).
   * @param records where every write received is logged, in order; pass the same array to each
   *   incarnation (the cluster builder does) so the log outlives a crash of the storage node.
   */
  constructor(
    private readonly fencing: boolean,
    readonly records: StorageRecord[] = [],
  ) {}

  onStart(ctx: Ctx): void {
    this.ctx = ctx;
    this.maxEpoch = ctx.storage.get<number>(MAX_EPOCH_KEY) ?? 0;
  }

  onMessage(ctx: Ctx, from: NodeId, m: SingleLeaderMessage): void {
    if (m.type === "config") {
      // The coordinator tells the storage about each new epoch, so the deposed leader is fenced
      // off even before the new one writes.
      this.raiseEpoch(m.epoch);
      return;
    }
    if (m.type === "fence") {
      this.raiseEpoch(m.epoch + 1);
      ctx.send(from, { type: "fenced", epoch: m.epoch });
      return;
    }
    if (m.type !== "storageWrite") return;
    const accepted = !this.fencing || m.epoch >= this.maxEpoch;
    if (accepted) this.raiseEpoch(m.epoch);
    this.records.push({ atMs: this.ctx.now(), from, epoch: m.epoch, lsn: m.lsn, op: { ...m.op }, accepted });
    ctx.send(from, { type: "storageReply", lsn: m.lsn, accepted, epoch: this.maxEpoch });
  }

  /** Highest epoch seen so far. */
  get epoch(): number {
    return this.maxEpoch;
  }

  /** Raises the token, durably before anyone is told (a "fenced" reply promises it holds). */
  private raiseEpoch(epoch: number): void {
    if (epoch <= this.maxEpoch) return;
    this.maxEpoch = epoch;
    this.ctx.storage.put(MAX_EPOCH_KEY, epoch);
    this.ctx.storage.sync();
  }
}
