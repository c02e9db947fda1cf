/**
 * Checks on a finished single-leader run, for tests, graders and notebooks. Each check returns
 * data plus plain sentences explaining any violation.
 *
 * The three failover safety properties (what the failover_coordinator grader asserts):
 *  1. never two nodes accept writes in the same epoch;
 *  2. a failover never promotes a candidate over a reachable one with more of the log;
 *  3. no acknowledged write is lost, unless no reachable candidate had it when the coordinator
 *     decided (and the write was acknowledged before the coordinator started that decision).
 * With a correct policy these hold when leases and fencing are on (the defaults) and clock drift
 * stays within clockUncertaintyMs.
 */
import type { Simulation } from "../../sim/simulation";
import type { NodeId, TraceEvent } from "../../sim/trace";
import type { CandidateInfo } from "../failover_types";
import { recorderOf, type AcknowledgedWrite, type SingleLeaderRecorder } from "./recorder";

/** Anything that leads to a recorder: a cluster, or a simulation built by the cluster builder. */
export type RunSource = { recorder: SingleLeaderRecorder; sim?: { trace: readonly TraceEvent[] } } | Simulation<any, any, any, any>;

function resolve(run: RunSource): { recorder: SingleLeaderRecorder; trace: readonly TraceEvent[] } {
  if ("recorder" in run && run.recorder !== undefined) return { recorder: run.recorder, trace: run.sim?.trace ?? [] };
  const sim = run as Simulation<any, any, any, any>;
  return { recorder: recorderOf(sim), trace: sim.trace };
}

/** True when `a`'s log is at least as up-to-date as `b`'s (higher last epoch, then higher last LSN). */
export function isAtLeastAsFresh(a: Pick<CandidateInfo, "lastEpoch" | "lastLsn">, b: Pick<CandidateInfo, "lastEpoch" | "lastLsn">): boolean {
  return a.lastEpoch !== b.lastEpoch ? a.lastEpoch > b.lastEpoch : a.lastLsn >= b.lastLsn;
}

// ---------------------------------------------------------------- property 1

/** For each epoch, the nodes that accepted client writes in it, in order of their first write. */
export function leadersByEpoch(run: RunSource): Map<number, NodeId[]> {
  const { recorder } = resolve(run);
  const out = new Map<number, NodeId[]>();
  for (const w of [...recorder.accepted].sort((a, b) => a.epoch - b.epoch)) {
    const nodes = out.get(w.epoch) ?? [];
    if (!nodes.includes(w.node)) nodes.push(w.node);
    out.set(w.epoch, nodes);
  }
  return out;
}

/** An epoch in which more than one node accepted writes. */
export interface EpochConflict {
  epoch: number;
  nodes: NodeId[];
  explanation: string;
}

/** Property 1: epochs in which two or more nodes accepted writes. */
export function twoLeadersInOneEpoch(run: RunSource): EpochConflict[] {
  const { recorder } = resolve(run);
  const out: EpochConflict[] = [];
  for (const [epoch, nodes] of leadersByEpoch(run)) {
    if (nodes.length < 2) continue;
    const spans = nodes.map((n) => {
      const times = recorder.accepted.filter((w) => w.epoch === epoch && w.node === n).map((w) => w.timeMs);
      return `${n} (${times.length} write${times.length === 1 ? "" : "s"} from ${Math.min(...times).toFixed(1)} ms)`;
    });
    out.push({ epoch, nodes, explanation: `In epoch ${epoch}, ${nodes.length} nodes accepted writes: ${spans.join(", ")}.` });
  }
  return out;
}

/** A stretch of time during which two or more nodes could accept writes (split brain). */
export interface SplitBrainInterval {
  fromMs: number;
  toMs: number;
  nodes: NodeId[];
}

/** Intervals during which at least two nodes were writable at once (whatever their epochs). */
export function splitBrainIntervals(run: RunSource, options: { untilMs?: number } = {}): SplitBrainInterval[] {
  const { recorder, trace } = resolve(run);
  const end = options.untilMs ?? lastTime(recorder, trace);
  const perNode = writableIntervals(recorder, trace, end);
  const points = new Set<number>();
  for (const spans of perNode.values()) for (const [a, b] of spans) points.add(a).add(b);
  const sorted = [...points].sort((a, b) => a - b);
  const out: SplitBrainInterval[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const [a, b] = [sorted[i]!, sorted[i + 1]!];
    const mid = (a + b) / 2;
    const nodes = [...perNode].filter(([, spans]) => spans.some(([x, y]) => x <= mid && mid < y)).map(([n]) => n);
    if (nodes.length < 2) continue;
    const prev = out[out.length - 1];
    if (prev !== undefined && prev.toMs === a && prev.nodes.join() === nodes.join()) prev.toMs = b;
    else out.push({ fromMs: a, toMs: b, nodes });
  }
  return out;
}

// ---------------------------------------------------------------- property 2

/** A promotion that did not pick the freshest reachable candidate. */
export interface StaleChoice {
  failover: number;
  promoted: NodeId;
  /** The freshest reachable candidate (smallest id on a tie); undefined when none answered. */
  freshestReachable: NodeId | undefined;
  explanation: string;
}

/** The freshest reachable candidate of an observation (smallest id on a tie). */
export function freshestReachable(candidates: readonly CandidateInfo[]): CandidateInfo | undefined {
  let best: CandidateInfo | undefined;
  for (const c of candidates) {
    if (!c.reachable) continue;
    if (best === undefined || !isAtLeastAsFresh(best, c) || (isAtLeastAsFresh(c, best) && c.id < best.id)) best = c;
  }
  return best;
}

/** Property 2: policy promotions of an unreachable node, a non-candidate, or a less fresh candidate. */
export function staleChoices(run: RunSource): StaleChoice[] {
  const { recorder } = resolve(run);
  const out: StaleChoice[] = [];
  for (const f of recorder.failovers) {
    for (const a of f.attempts) {
      if (a.decision === undefined || !a.decision.promote) continue;
      const chosenId = a.decision.leader;
      const chosen = a.observation.candidates.find((c) => c.id === chosenId);
      const best = freshestReachable(a.observation.candidates);
      const describe = (c: CandidateInfo) => `${c.id} (last entry lsn ${c.lastLsn}, epoch ${c.lastEpoch})`;
      let problem: string | undefined;
      if (chosen === undefined) problem = `${chosenId} is not a candidate (the old leader is ${f.oldLeader})`;
      else if (!chosen.reachable) problem = `${chosenId} did not answer the probe`;
      else if (best !== undefined && !isAtLeastAsFresh(chosen, best)) problem = `${describe(best)} has more of the log than ${describe(chosen)}`;
      if (problem !== undefined) {
        out.push({
          failover: f.index,
          promoted: chosenId,
          freshestReachable: best?.id,
          explanation: `Failover ${f.index + 1} (replacing ${f.oldLeader}, epoch ${f.oldEpoch}) promoted ${chosenId}, but ${problem}.`,
        });
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------- property 3

/** Why an acknowledged write is missing from the final leader's log. */
export type LossReason =
  /** The leader acknowledged it after the coordinator began the round that replaced that leader (lease ignored, or leases off). Violation. */
  | "acknowledged-during-failover"
  /** A reachable candidate had it, yet the policy promoted one without it. Violation. */
  | "a-reachable-candidate-had-it"
  /** Only nodes the coordinator could not reach (typically the old leader, in async mode) had it. Allowed. */
  | "no-reachable-candidate-had-it"
  /** The promoted node had it when it answered the probe and lost it before the promotion (a crash). */
  | "promoted-node-lost-it"
  /** Dropped by a manual promotion. */
  | "dropped-by-manual-promotion"
  /** Gone without any promotion dropping it (e.g. an unsynced write lost in a crash). */
  | "lost-without-failover";

/** An acknowledged write missing from the final leader's log. */
export interface LostWrite {
  write: AcknowledgedWrite;
  reason: LossReason;
  /** Index of the failover involved, when there is one. */
  failover: number | undefined;
  explanation: string;
}

/** Reasons that mean the failover machinery (policy, leases, fencing) did something unsafe. */
export const UNSAFE_LOSS_REASONS: readonly LossReason[] = ["acknowledged-during-failover", "a-reachable-candidate-had-it"];

/**
 * Every acknowledged write that the final leader's log (by default the coordinator's current
 * leader) does not hold, with the reason it was lost. Let the run settle before checking.
 */
export function lostAcknowledgedWrites(run: RunSource, options: { finalLeader?: NodeId } = {}): LostWrite[] {
  const { recorder } = resolve(run);
  const finalLeader = options.finalLeader ?? recorder.currentLeader;
  const out: LostWrite[] = [];
  for (const w of recorder.acknowledged) {
    if (recorder.holds(finalLeader, w.key)) continue;
    out.push(classifyLoss(recorder, w));
  }
  return out;
}

function classifyLoss(recorder: SingleLeaderRecorder, w: AcknowledgedWrite): LostWrite {
  const what = `Write ${w.key} (lsn ${w.lsn}, epoch ${w.epoch}) acknowledged by ${w.node} at ${w.timeMs.toFixed(1)} ms`;
  // Did the failover that replaced this write's leader start deciding before the acknowledgement?
  for (const f of recorder.failovers) {
    if (f.oldLeader !== w.node || f.oldEpoch !== w.epoch || f.promotion === undefined) continue;
    const deciding = f.attempts[f.attempts.length - 1];
    const threshold = deciding?.roundStartedMs ?? f.promotion.timeMs;
    if (w.timeMs > threshold) {
      return {
        write: w,
        reason: "acknowledged-during-failover",
        failover: f.index,
        explanation: `${what} is lost: ${w.node} acknowledged it after the coordinator began the decision that replaced it (at ${threshold.toFixed(1)} ms), so its lease did not stop it.`,
      };
    }
  }
  const promotion = recorder.promotions.find((p) => p.timeMs >= w.timeMs && !p.leaderEntries.has(w.key));
  if (promotion === undefined) {
    return {
      write: w,
      reason: "lost-without-failover",
      failover: undefined,
      explanation: `${what} is lost without a promotion dropping it (for example an unsynced write lost in a crash).`,
    };
  }
  if (promotion.manual || promotion.failover === undefined) {
    return {
      write: w,
      reason: "dropped-by-manual-promotion",
      failover: promotion.failover,
      explanation: `${what} is lost: ${promotion.leader} was promoted by hand at ${promotion.timeMs.toFixed(1)} ms without it.`,
    };
  }
  const failover = recorder.failovers[promotion.failover]!;
  const deciding = failover.attempts[failover.attempts.length - 1];
  const round = deciding === undefined ? undefined : recorder.rounds.get(deciding.round);
  const holders = round === undefined ? [] : [...round.answers].filter(([, keys]) => keys.has(w.key)).map(([n]) => n);
  if (holders.includes(promotion.leader)) {
    return {
      write: w,
      reason: "promoted-node-lost-it",
      failover: failover.index,
      explanation: `${what} is lost: ${promotion.leader} had it when probed but lost it before its promotion.`,
    };
  }
  if (holders.length > 0) {
    return {
      write: w,
      reason: "a-reachable-candidate-had-it",
      failover: failover.index,
      explanation: `${what} is lost: failover ${failover.index + 1} promoted ${promotion.leader}, which lacked it, although ${holders.join(" and ")} had it and answered the probe.`,
    };
  }
  return {
    write: w,
    reason: "no-reachable-candidate-had-it",
    failover: failover.index,
    explanation: `${what} is lost: when failover ${failover.index + 1} decided, no reachable candidate had it (only unreachable nodes did).`,
  };
}

// ---------------------------------------------------------------- failover summary

/** One row per failover, ready for lib/viz `table` / `htmlTable`. */
export type FailoverRow = {
  /** 1 for the first failover. */
  failover: number;
  oldLeader: NodeId;
  oldEpoch: number;
  /** True time the coordinator gave up on the old leader. */
  detectedMs: number;
  /** Policy calls (one per probe round). */
  attempts: number;
  /** Why the last refusal refused ("" when none; waiting for a manual promote is not a refusal). */
  lastRefusal: string;
  /** No policy decided: the failover waits for a manual promote, or was ended by one. */
  manual: boolean;
  /** True time of the promotion, or NaN if none happened (yet). */
  promotedMs: number;
  promoted: string;
  epoch: number | string;
  /** The freshest reachable candidate of the deciding observation. */
  freshestReachable: string;
  /** Candidates that answered the deciding probe round. */
  reachable: string;
  /** Lost LSNs as the policy reported them. */
  reportedLostLsns: string;
};

/** A table of the failovers of a run: who was replaced, how long it took, who was chosen over whom. */
export function failoverSummary(run: RunSource): FailoverRow[] {
  const { recorder } = resolve(run);
  return recorder.failovers.map((f) => {
    const deciding = f.attempts[f.attempts.length - 1];
    const refusals = f.attempts.filter((a) => !a.awaitingManualPromote && (a.decision === undefined || !a.decision.promote));
    const last = refusals[refusals.length - 1];
    const refusal =
      last === undefined ? "" : last.decision !== undefined && !last.decision.promote ? last.decision.code : last.verdict === undefined || last.verdict.safe ? "" : last.verdict.code;
    const decision = deciding?.decision;
    return {
      failover: f.index + 1,
      oldLeader: f.oldLeader,
      oldEpoch: f.oldEpoch,
      detectedMs: f.startedMs,
      attempts: f.attempts.length,
      lastRefusal: refusal,
      manual: f.promotion !== undefined ? f.promotion.manual : f.attempts.some((a) => a.awaitingManualPromote),
      promotedMs: f.promotion?.timeMs ?? Number.NaN,
      promoted: f.promotion?.leader ?? "-",
      epoch: f.promotion?.epoch ?? "-",
      freshestReachable: deciding === undefined ? "-" : (freshestReachable(deciding.observation.candidates)?.id ?? "-"),
      reachable: deciding === undefined ? "" : deciding.observation.candidates.filter((c) => c.reachable).map((c) => c.id).join(","),
      reportedLostLsns: decision !== undefined && decision.promote ? decision.lostLsns.join(",") : "",
    };
  });
}

// ---------------------------------------------------------------- availability

/** Number of promotions (by policy or by hand). */
export function failoverCount(run: RunSource): number {
  return resolve(run).recorder.promotions.length;
}

/** Time without any writable leader, between `fromMs` (default 0) and `toMs` (default: the last recorded event). */
export function downtime(run: RunSource, options: { fromMs?: number; toMs?: number } = {}): { totalMs: number; intervals: [number, number][] } {
  const { recorder, trace } = resolve(run);
  const from = options.fromMs ?? 0;
  const to = options.toMs ?? lastTime(recorder, trace);
  const covered: [number, number][] = [];
  for (const spans of writableIntervals(recorder, trace, to).values()) covered.push(...spans);
  covered.sort((a, b) => a[0] - b[0]);
  const gaps: [number, number][] = [];
  let cursor = from;
  for (const [a, b] of covered) {
    if (b <= cursor) continue;
    if (a > cursor) gaps.push([cursor, Math.min(a, to)]);
    cursor = Math.max(cursor, b);
    if (cursor >= to) break;
  }
  if (cursor < to) gaps.push([cursor, to]);
  const intervals = gaps.filter(([a, b]) => b > a);
  return { totalMs: intervals.reduce((sum, [a, b]) => sum + (b - a), 0), intervals };
}

/**
 * Per node, the intervals during which it could accept writes: it reported itself writable, and
 * (from the trace) it was neither crashed nor paused.
 */
export function writableIntervals(recorder: SingleLeaderRecorder, trace: readonly TraceEvent[], untilMs: number): Map<NodeId, [number, number][]> {
  const raw = new Map<NodeId, [number, number][]>();
  const open = new Map<NodeId, number>();
  for (const c of recorder.writable) {
    if (c.writable && !open.has(c.node)) open.set(c.node, c.timeMs);
    if (!c.writable && open.has(c.node)) {
      push(raw, c.node, [open.get(c.node)!, c.timeMs]);
      open.delete(c.node);
    }
  }
  for (const [node, start] of open) push(raw, node, [start, untilMs]);

  // Subtract crashes (until restart) and pauses (until resume).
  const down = new Map<NodeId, [number, number][]>();
  const downSince = new Map<NodeId, number>();
  for (const e of trace) {
    if (e.kind === "crash" || e.kind === "pause") {
      if (!downSince.has(e.node)) downSince.set(e.node, e.timeMs);
    } else if ((e.kind === "restart" || e.kind === "resume") && downSince.has(e.node)) {
      push(down, e.node, [downSince.get(e.node)!, e.timeMs]);
      downSince.delete(e.node);
    }
  }
  for (const [node, since] of downSince) push(down, node, [since, Number.POSITIVE_INFINITY]);

  const out = new Map<NodeId, [number, number][]>();
  for (const [node, spans] of raw) {
    let pieces = spans;
    for (const [da, db] of down.get(node) ?? []) {
      pieces = pieces.flatMap(([a, b]): [number, number][] => {
        if (db <= a || da >= b) return [[a, b]];
        const keep: [number, number][] = [];
        if (da > a) keep.push([a, da]);
        if (db < b) keep.push([db, b]);
        return keep;
      });
    }
    const kept = pieces.filter(([a, b]) => b > a);
    if (kept.length > 0) out.set(node, kept);
  }
  return out;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function lastTime(recorder: SingleLeaderRecorder, trace: readonly TraceEvent[]): number {
  let t = trace.length > 0 ? trace[trace.length - 1]!.timeMs : 0;
  for (const list of [recorder.accepted, recorder.writable, recorder.roles]) {
    const last = list[list.length - 1];
    if (last !== undefined) t = Math.max(t, last.timeMs);
  }
  return t;
}

// ---------------------------------------------------------------- all together

/** The three failover safety properties of a finished run, plus context. */
export interface FailoverSafetyReport {
  /** True when none of the three properties is violated. */
  ok: boolean;
  /**
   * True unless the run is in "sync" or "quorum" mode and lost an acknowledged write. Those modes
   * promise durability: with a majority-checking policy an acknowledged write always sits on some
   * reachable candidate. A policy that skips the majority check can lose one while the three
   * properties still hold (the fresher nodes were unreachable), so graders check this too.
   */
  durable: boolean;
  /** Property 1. */
  epochConflicts: EpochConflict[];
  /** Property 2. */
  staleChoices: StaleChoice[];
  /** Property 3: losses with an unsafe reason. */
  unsafeLosses: LostWrite[];
  /** Every lost acknowledged write, whatever the reason (async failover loses some legitimately). */
  lostWrites: LostWrite[];
  failovers: number;
  /** One sentence per violation (empty when ok). */
  violations: string[];
}

/** Checks the three failover safety properties (and durability in sync/quorum mode) on a finished run. */
export function checkFailoverSafety(run: RunSource, options: { finalLeader?: NodeId } = {}): FailoverSafetyReport {
  const epochConflicts = twoLeadersInOneEpoch(run);
  const stale = staleChoices(run);
  const lostWrites = lostAcknowledgedWrites(run, options);
  const unsafeLosses = lostWrites.filter((l) => UNSAFE_LOSS_REASONS.includes(l.reason));
  const violations = [...epochConflicts, ...stale, ...unsafeLosses].map((v) => v.explanation);
  const { recorder } = resolve(run);
  const strong = recorder.mode === "sync" || recorder.mode === "quorum";
  const durable = !strong || lostWrites.length === 0;
  return { ok: violations.length === 0, durable, epochConflicts, staleChoices: stale, unsafeLosses, lostWrites, failovers: failoverCount(run), violations };
}
