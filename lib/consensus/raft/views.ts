import type { NodeId } from "../../sim/trace";
import type { RaftCluster } from "./cluster";

/** One row of a log matrix: the node, its role and term, its commit index, then one column per log index. */
export type RaftLogMatrixRow = Record<string, string | number>;

/**
 * The cluster's logs as a matrix, one row per node and one column per log index, each cell the
 * term of the entry there (columns `#1`, `#2`, ...): `3` when the node knows it is committed, `(3)` when not yet, empty
 * past the end of its log. Pass the rows to `table()` or `htmlTable()`.
 */
export function raftLogMatrix(cluster: RaftCluster, options: { nodes?: readonly NodeId[]; fromIndex?: number; toIndex?: number } = {}): RaftLogMatrixRow[] {
  const ids = options.nodes ?? cluster.ids;
  const longest = Math.max(0, ...ids.map((id) => cluster.state(id).log.length));
  const from = Math.max(1, options.fromIndex ?? 1);
  const to = Math.min(longest, options.toIndex ?? longest);
  return ids.map((id) => {
    const s = cluster.state(id);
    const up = cluster.sim.isUp(id);
    const row: RaftLogMatrixRow = { node: id, role: up ? s.role : "crashed", term: s.currentTerm, commit: s.commitIndex };
    for (let i = from; i <= to; i++) {
      const e = s.log[i - 1];
      row[`#${i}`] = e === undefined ? "" : i <= s.commitIndex ? String(e.term) : `(${e.term})`;
    }
    return row;
  });
}
