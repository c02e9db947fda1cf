import type { NodeId } from "../../sim/trace";
import { VizInputError } from "../../viz/errors";
import { linearScale, niceTicks } from "../../viz/scale";
import { el, svgDocument, text, tooltip } from "../../viz/svg";
import type { RaftCluster } from "./cluster";
import type { RaftTimeline, RaftTimelineSample } from "./timeline";

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

const ROLE_FILL: Record<RaftTimelineSample["role"], string> = {
  follower: "#e8e8e8",
  candidate: "#E69F00",
  leader: "#0072B2",
  down: "#ffffff",
};
const ROLE_TEXT: Record<RaftTimelineSample["role"], string> = { follower: "#333333", candidate: "#000000", leader: "#ffffff", down: "#D55E00" };

/** Options of `raftRoleTimelineSvg`. */
export interface RaftRoleTimelineOptions {
  /** Start of the time axis (default 0). */
  fromMs?: number;
  /** End of the time axis (default: the last sample). */
  toMs?: number;
  /** Width in pixels (default 720). */
  width?: number;
  title?: string;
}

/**
 * Roles and terms as one lane per node: grey while follower, orange while candidate, blue while
 * leader, white with a red outline while crashed; each stretch is labelled with its term when it
 * is wide enough (hover for the exact times).
 */
export function raftRoleTimelineSvg(timeline: RaftTimeline, nodes: readonly NodeId[], options: RaftRoleTimelineOptions = {}): string {
  const where = "raftRoleTimelineSvg";
  const width = options.width ?? 720;
  if (!(width >= 200)) throw new VizInputError(`${where}: width must be at least 200 pixels, got ${width}.`);
  const last = timeline.samples.length === 0 ? 0 : timeline.samples[timeline.samples.length - 1]!.timeMs;
  const from = options.fromMs ?? 0;
  const to = options.toMs ?? Math.max(last, from + 1);
  if (!(to > from)) throw new VizInputError(`${where}: toMs (${to}) must be after fromMs (${from}).`);
  const left = 50;
  const right = width - 16;
  const top = options.title === undefined ? 12 : 34;
  const lane = 26;
  const x = linearScale(from, to, left, right);
  let body = options.title === undefined ? "" : el("text", { x: left, y: 20, "font-size": 14, "font-weight": "bold" }, text(options.title));
  nodes.forEach((id, row) => {
    const y = top + row * (lane + 8);
    body += el("text", { x: left - 8, y: y + lane / 2 + 4, "text-anchor": "end", "font-weight": "bold" }, text(id));
    const samples = timeline.of(id);
    samples.forEach((s, k) => {
      const start = Math.max(from, s.timeMs);
      const end = Math.min(to, k + 1 < samples.length ? samples[k + 1]!.timeMs : to);
      if (!(end > start)) return;
      const x0 = x(start);
      const w = Math.max(0.5, x(end) - x0);
      const label = `${id}: ${s.role === "down" ? "crashed" : s.role}, term ${s.term}, ${start.toFixed(1)}–${end.toFixed(1)} ms`;
      body += el(
        "rect",
        { x: x0, y, width: w, height: lane, fill: ROLE_FILL[s.role], stroke: s.role === "down" ? "#D55E00" : "none", "stroke-dasharray": s.role === "down" ? "3 2" : undefined },
        tooltip(label),
      );
      if (w >= 22) body += el("text", { x: x0 + w / 2, y: y + lane / 2 + 4, "text-anchor": "middle", fill: ROLE_TEXT[s.role], "font-size": 11 }, text(`t${s.term}`));
    });
  });
  const axisY = top + nodes.length * (lane + 8) + 4;
  body += el("line", { x1: left, y1: axisY, x2: right, y2: axisY, stroke: "#888888" });
  for (const t of niceTicks(from, to, 8)) {
    body += el("line", { x1: x(t), y1: axisY, x2: x(t), y2: axisY + 4, stroke: "#888888" });
    body += el("text", { x: x(t), y: axisY + 16, "text-anchor": "middle", "font-size": 11 }, text(String(t)));
  }
  body += el("text", { x: right, y: axisY + 30, "text-anchor": "end", "font-size": 11, fill: "#555555" }, text("time (ms) · grey follower · orange candidate · blue leader · dashed crashed · tN term"));
  return svgDocument(width, axisY + 40, options.title ?? "Raft roles and terms", body);
}
