/**
 * Shared setup for the single-leader tests. The reference failover policy comes from solutions/
 * (tests may import it; lib/ never does).
 */
import * as solution from "../../../../solutions/failover_coordinator";
import type { FailoverPolicy } from "../../../../lib/replication/failover_types";
import type { PlannedOp } from "../../../../lib/sim/clients";
import type { SingleLeaderCluster } from "../../../../lib/replication/single_leader/cluster";
import type { KvInput, WriteResult } from "../../../../lib/replication/single_leader/types";

/** The reference FailoverPolicy of the failover_coordinator exercise. */
export const solutionPolicy: FailoverPolicy = solution;

/** `count` writes of distinct values over `keys` keys. */
export function writePlan(count: number, keys = 4, prefix = "w"): PlannedOp<KvInput>[] {
  return Array.from({ length: count }, (_, i) => ({ f: "write", input: { key: `k${i % keys}`, value: `${prefix}${i}` } }));
}

/** Client operations that completed ok, with their write results. */
export function okWrites(cluster: SingleLeaderCluster): { key: string; result: WriteResult }[] {
  return cluster.sim.history.ops
    .filter((op) => op.status === "ok" && (op.f === "write" || op.f === "insert" || op.f === "delete"))
    .map((op) => ({ key: (op.input as KvInput).key ?? "", result: op.output as WriteResult }));
}

/** True when `node`'s kept log has the entry a write result names (same position, epoch and leader). */
export function logHolds(cluster: SingleLeaderCluster, node: string, result: WriteResult): boolean {
  return cluster.stateOf(node).log.some((e) => e.lsn === result.lsn && e.epoch === result.epoch && e.origin === result.leader);
}

/** Trace notes as plain strings. */
export function notes(cluster: SingleLeaderCluster): string[] {
  return cluster.sim.trace.flatMap((e) => (e.kind === "note" ? [`${e.node}: ${e.text}`] : []));
}
