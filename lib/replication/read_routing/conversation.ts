/**
 * Consistent prefix reads across partitions (chapter 04): Mr Poons asks questions, Mrs Cake
 * answers them, an observer loads the conversation. Questions live in partition p1, answers in
 * p2; each partition is its own single-leader group (`ReplicaNode`s: leader pXn1, follower pXn2)
 * with its own replication lag. When p1's follower lags more than p2's, the observer can see an
 * answer whose question is not there yet.
 *
 * Orderings (the fixes):
 * - "none": the observer reads the question and the answer from the followers;
 * - "causal": every answer carries the position of the question it answers; the observer reads
 *   the answer first and then reads the question from a p1 replica known to have that position
 *   (the follower if the monitor says so, else p1's leader);
 * - "co-located": answers are stored in the question's partition (p1), and the observer reads
 *   the answer first, then the question, from the same p1 follower, whose log only grows.
 */
import type { SessionOp, SessionRead, SessionWrite } from "../../checkers/session/history";
import type { HistoryOp } from "../../sim/history";
import { latency as L, type Latency } from "../../sim/latency";
import type { ClientLogic, NodeLogic } from "../../sim/node";
import type { Seed } from "../../sim/random";
import { Simulation } from "../../sim/simulation";
import type { NodeId } from "../../sim/trace";
import { SingleLeaderConfigError, resolveSettings } from "../single_leader/config";
import { ReplicaNode } from "../single_leader/replica_node";
import type { KvInput, SingleLeaderMessage } from "../single_leader/types";

export type ConversationOrdering = "none" | "causal" | "co-located";

export interface ConversationConfig {
  seed: Seed;
  /** How the observer keeps causes before effects (default "none"). */
  ordering?: ConversationOrdering;
  /** Leader -> follower latency in each partition (default p1 120 ms, p2 5 ms). */
  lag?: { p1: Latency; p2: Latency };
  /** Questions asked, one every `questionIntervalMs` (default 12 every 150 ms). */
  questions?: number;
  questionIntervalMs?: number;
  /** Page loads by the observer per question (default 4, spread over the 150 ms after the question). */
  loadsPerQuestion?: number;
  /** Monitor period for follower positions (default 20 ms). */
  statusIntervalMs?: number;
  /** Keep the trace for message diagrams (default true). */
  trace?: boolean;
}

export interface ConversationRun {
  readonly sim: Simulation<SingleLeaderMessage, unknown, unknown, NodeLogic<SingleLeaderMessage, unknown, unknown>>;
  /** Writes (questions, answers with their dependency) and the observer's reads, grouped per page load. */
  readonly history: SessionOp[];
  readonly ordering: ConversationOrdering;
  /** Page loads, the share of observer reads served by a leader, and the mean page-load time. */
  readonly cost: { pageLoads: number; leaderShare: number; meanPageLoadMs: number };
}

const P1 = ["p1n1", "p1n2"];
const P2 = ["p2n1", "p2n2"];

/** Runs the conversation (see the module comment). */
export function runConversation(config: ConversationConfig): ConversationRun {
  const ordering = config.ordering ?? "none";
  if (!["none", "causal", "co-located"].includes(ordering)) {
    throw new SingleLeaderConfigError(`ordering must be "none", "causal" or "co-located", got ${JSON.stringify(ordering)}.`);
  }
  const questions = config.questions ?? 12;
  const interval = config.questionIntervalMs ?? 150;
  const loads = config.loadsPerQuestion ?? 4;
  const statusIntervalMs = config.statusIntervalMs ?? 20;
  if (!Number.isInteger(questions) || questions < 1) throw new SingleLeaderConfigError(`questions must be a whole number >= 1, got ${questions}.`);
  if (!Number.isInteger(loads) || loads < 1) throw new SingleLeaderConfigError(`loadsPerQuestion must be a whole number >= 1, got ${loads}.`);
  if (!(interval > 0) || !(statusIntervalMs > 0)) throw new SingleLeaderConfigError("questionIntervalMs and statusIntervalMs must be > 0.");
  const lag = config.lag ?? { p1: L.constant(120), p2: L.constant(5) };
  const answerPartition = ordering === "co-located" ? P1 : P2;
  const partitionName = (nodes: readonly NodeId[]) => (nodes === P1 ? "p1" : "p2");

  const settingsFor = (members: readonly NodeId[]) =>
    resolveSettings({ mode: "async", leases: false }, { followers: members.slice(1), all: members, coordinatorId: "coordinator", storageId: undefined });
  const s1 = settingsFor(P1);
  const s2 = settingsFor(P2);

  // Positions each node had applied when the monitor last looked.
  const reported = new Map<NodeId, number>();
  const writes: { op: HistoryOp<unknown, unknown>; label: string; dependsOnOp?: number; partition: string }[] = [];
  const reads: { op: HistoryOp<unknown, unknown>; group: string; partition: string }[] = [];
  const pageTimes: number[] = [];
  const questionWrites = new Map<number, HistoryOp<unknown, unknown>>();

  const poons: ClientLogic<unknown, unknown> = {
    onStart(ctx) {
      for (let i = 1; i <= questions; i++) ctx.setTimer((i - 1) * interval + 10, "ask", i);
    },
    onTimer(ctx, _name, data) {
      const i = data as number;
      ctx.invoke(P1[0]!, "write", { key: `question:${i}`, value: `question ${i}` } satisfies KvInput, { timeoutMs: 1000 });
    },
    onResult(_ctx, op) {
      if (op.status !== "ok") return;
      const i = Number((op.input as KvInput).key!.split(":")[1]);
      questionWrites.set(i, op);
      writes.push({ op, label: `question ${i}`, partition: "p1" });
    },
  };

  // Mrs Cake reads each question from p1's leader as soon as it exists, then answers it.
  const cake: ClientLogic<unknown, unknown> = {
    onStart(ctx) {
      for (let i = 1; i <= questions; i++) ctx.setTimer((i - 1) * interval + 30, "look", i);
    },
    onTimer(ctx, _name, data) {
      ctx.invoke(P1[0]!, "read", { key: `question:${data as number}` } satisfies KvInput, { timeoutMs: 1000 });
    },
    onResult(ctx, op) {
      const input = op.input as KvInput;
      const i = Number(input.key!.split(":")[1]);
      if (op.f === "read") {
        const out = op.output as { value: unknown } | undefined;
        if (op.status !== "ok" || out?.value === null) {
          ctx.setTimer(10, "look", i);
          return;
        }
        const q = questionWrites.get(i);
        const after = q ? (q.output as { lsn: number }).lsn : 0;
        ctx.invoke(answerPartition[0]!, "write", { key: `answer:${i}`, value: `answer ${i} after p1@${after}` } satisfies KvInput, { timeoutMs: 1000 });
        return;
      }
      if (op.status === "ok") writes.push({ op, label: `answer ${i}`, dependsOnOp: questionWrites.get(i)?.id, partition: partitionName(answerPartition) });
    },
  };

  // The observer loads page i a few times after question i is asked: answer first, then question.
  let pageSeq = 0;
  const observer: ClientLogic<unknown, unknown> = {
    onStart(ctx) {
      for (let i = 1; i <= questions; i++) {
        for (let k = 0; k < loads; k++) ctx.setTimer((i - 1) * interval + 20 + ctx.random.uniform(0, interval), "load", i);
      }
    },
    onTimer(ctx, _name, data) {
      const i = data as number;
      const group = `page ${i} #${++pageSeq}`;
      pending.set(group, { i, startMs: ctx.now() });
      const node = answerPartition[1]!;
      ctx.invoke(node, "read", { key: `answer:${i}`, group } as unknown as KvInput, { timeoutMs: 1000 });
    },
    onResult(ctx, op) {
      const input = op.input as KvInput & { group: string };
      const page = pending.get(input.group);
      if (page === undefined || op.status !== "ok") return;
      reads.push({ op, group: input.group, partition: input.key!.startsWith("answer") && answerPartition === P2 ? "p2" : "p1" });
      if (input.key!.startsWith("answer")) {
        const value = (op.output as { value: unknown }).value;
        let node: NodeId = P1[1]!;
        if (ordering === "causal" && typeof value === "string") {
          const after = Number(value.split("p1@")[1]);
          if ((reported.get(P1[1]!) ?? 0) < after) node = P1[0]!;
        }
        ctx.invoke(node, "read", { key: `question:${page.i}`, group: input.group } as unknown as KvInput, { timeoutMs: 1000 });
      } else {
        pageTimes.push(ctx.now() - page.startMs);
        pending.delete(input.group);
      }
    },
  };
  const pending = new Map<string, { i: number; startMs: number }>();

  const all = [...P1, ...P2];
  const sim = new Simulation<SingleLeaderMessage, unknown, unknown, NodeLogic<SingleLeaderMessage, unknown, unknown>>({
    seed: config.seed,
    nodes: all,
    createNode: (id) =>
      new ReplicaNode({ settings: P1.includes(id) ? s1 : s2, members: P1.includes(id) ? P1 : P2, spare: false }) as unknown as NodeLogic<SingleLeaderMessage, unknown, unknown>,
    clients: [
      { id: "poons", logic: poons },
      { id: "cake", logic: cake },
      { id: "observer", logic: observer },
    ],
    network: {
      latency: L.uniform(1, 5),
      links: [
        { from: P1[0]!, to: P1[1]!, latency: lag.p1, symmetric: false },
        { from: P2[0]!, to: P2[1]!, latency: lag.p2, symmetric: false },
        // The leaders are further from the readers than the read replicas, as in the session workload.
        ...["poons", "cake", "observer"].flatMap((c) => [P1[0]!, P2[0]!].map((leader) => ({ from: c, to: leader, latency: L.uniform(8, 16) }))),
      ],
    },
    limits: { maxEvents: 1_000_000, maxTimeMs: 600_000 },
    trace: config.trace ?? true,
  });
  const end = (questions - 1) * interval + 20 + interval + 2000;
  const sample = () => {
    for (const id of all) if (sim.isUp(id)) reported.set(id, (sim.logic(id) as unknown as ReplicaNode).inspect().appliedLsn);
    if (sim.now + statusIntervalMs < end) sim.after(statusIntervalMs, sample, "monitor");
  };
  sim.at(0, () => sim.after(0, sample, "monitor"), "monitor");
  sim.run({ untilMs: end });

  const history: SessionOp[] = [];
  const positionOf = new Map<string, number>();
  for (const w of writes) {
    const input = w.op.input as KvInput;
    const position = (w.op.output as { lsn: number }).lsn;
    positionOf.set(String(input.value), position);
    const write: SessionWrite = {
      kind: "write",
      id: w.op.id,
      session: w.op.client,
      key: input.key!,
      partition: w.partition,
      position,
      invokeMs: w.op.invokeMs,
      completeMs: w.op.completeMs!,
      label: w.label,
      ...(w.dependsOnOp !== undefined ? { dependsOn: [w.dependsOnOp] } : {}),
    };
    history.push(write);
  }
  let leaderReads = 0;
  for (const r of reads) {
    const input = r.op.input as KvInput;
    const value = (r.op.output as { value: unknown }).value;
    if (r.op.node === P1[0] || r.op.node === P2[0]) leaderReads++;
    const read: SessionRead = {
      kind: "read",
      id: r.op.id,
      session: r.op.client,
      key: input.key!,
      partition: r.partition,
      replica: r.op.node,
      seen: value === null ? null : (positionOf.get(String(value)) ?? null),
      invokeMs: r.op.invokeMs,
      completeMs: r.op.completeMs!,
      group: r.group,
    };
    history.push(read);
  }
  history.sort((a, b) => a.invokeMs - b.invokeMs || a.id - b.id);
  return {
    sim,
    history,
    ordering,
    cost: {
      pageLoads: pageTimes.length,
      leaderShare: reads.length === 0 ? 0 : leaderReads / reads.length,
      meanPageLoadMs: pageTimes.length === 0 ? 0 : pageTimes.reduce((a, b) => a + b, 0) / pageTimes.length,
    },
  };
}
