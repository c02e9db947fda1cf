/**
 * The chapter 04 workload: a single-leader cluster (the `ReplicaNode`s of lib/replication/
 * single_leader, asynchronous, leader never fails) whose followers lag by a configurable and
 * changing amount, and client sessions that update their own profile and read profiles, each read
 * routed by a `ReadRouter`. The run returns a session history for the checkers and what the
 * routing cost (share of reads on the leader, read latency, reads that failed).
 *
 * ```ts
 * const run = runSessionWorkload({ seed: 1, router: randomRouter(), lag: steadyLag(50) });
 * checkReadYourWrites(run.history);
 * ```
 */
import type { SessionOp, SessionRead, SessionWrite } from "../../checkers/session/history";
import type { HistoryOp } from "../../sim/history";
import { latency as L, type Latency } from "../../sim/latency";
import type { LinkOverride } from "../../sim/network";
import type { ClientContext, ClientLogic, NodeLogic } from "../../sim/node";
import type { Seed } from "../../sim/random";
import { Simulation, type RunLimits } from "../../sim/simulation";
import type { NodeId } from "../../sim/trace";
import { SingleLeaderConfigError, resolveSettings, type ReplicationSettings } from "../single_leader/config";
import { ReplicaNode } from "../single_leader/replica_node";
import type { KvInput, SingleLeaderMessage } from "../single_leader/types";
import type { ReadRouter, ReplicaStatus } from "./router";

/** A period during which one follower's replication link is slower (load, a noisy neighbour). */
export interface LagSpike {
  node: NodeId;
  fromMs: number;
  toMs: number;
  /** Leader -> follower latency during the spike. */
  latency: Latency;
}

/** A follower crash and restart: it comes back with its disk and catches up (a lag spike of its own). */
export interface FollowerFailure {
  node: NodeId;
  crashAtMs: number;
  restartAtMs: number;
}

/** How far behind each follower runs, and when that changes. */
export interface LagProfile {
  /** Leader -> follower one-way latency: one for all followers, or one per follower. */
  steady: Latency | Readonly<Record<NodeId, Latency>>;
  spikes?: readonly LagSpike[];
  failures?: readonly FollowerFailure[];
}

/** Every follower `ms` behind (constant latency): the simplest profile, for sweeps. */
export function steadyLag(ms: number): LagProfile {
  return { steady: L.constant(ms) };
}

/** Configuration of `runSessionWorkload`; only `seed` and `router` are required. */
export interface SessionWorkloadConfig {
  seed: Seed;
  router: ReadRouter;
  /** Followers of the leader n1 (default 2: n2, n3). */
  followers?: number;
  /** User ids (default ann, bob, cem, dia, eve); each has one session named after them... */
  users?: readonly string[];
  /** ...except these, who use two devices: sessions `<user>-phone` and `<user>-laptop` (default ["ann"]). */
  twoDeviceUsers?: readonly string[];
  /** Operations per session (default 40). */
  opsPerSession?: number;
  /** Mean think time between a session's operations (exponential, default 40 ms). */
  thinkTimeMs?: number;
  /** Share of operations that update the user's own profile (default 0.25). */
  writeShare?: number;
  /** Share of operations that read the user's own profile (default 0.4); the rest read someone else's. */
  ownReadShare?: number;
  /** Follower lag (default: steady 30 ms). */
  lag?: LagProfile;
  /** Client <-> leader latency: the leader is further away or busier (default uniform 8-16 ms). */
  leaderLatency?: Latency;
  /** Client <-> follower latency (default uniform 1-5 ms: read replicas near the users). */
  followerLatency?: Latency;
  /** How often the monitor samples every replica's position and health (default 50 ms). */
  statusIntervalMs?: number;
  /** A read without an answer after this long is routed again (default 100 ms). */
  readTimeoutMs?: number;
  /** Attempts per read before it counts as failed (default 3). */
  maxReadAttempts?: number;
  limits?: RunLimits;
  /** Keep the simulator's trace, for message diagrams (default false: sweeps run faster). */
  trace?: boolean;
}

/** What routing cost in one run. */
export interface RoutingCost {
  /** Reads the sessions wanted to do. */
  reads: number;
  /** Reads answered (after retries). */
  readsServed: number;
  /** Reads that got no answer after every attempt. */
  readsFailed: number;
  /** Share of answered reads that the leader served. */
  leaderShare: number;
  /** Mean time from a read's first attempt to its answer, in ms. */
  meanReadLatencyMs: number;
  /** 95th percentile of the same. */
  p95ReadLatencyMs: number;
}

/** The result of `runSessionWorkload`. */
export interface SessionWorkloadRun {
  readonly router: string;
  readonly sim: Simulation<SingleLeaderMessage, unknown, unknown, NodeLogic<SingleLeaderMessage, unknown, unknown>>;
  /** Completed writes and answered reads, for the checkers (ids are simulator operation ids). */
  readonly history: SessionOp[];
  readonly cost: RoutingCost;
  readonly sessions: readonly { session: string; user: string }[];
  readonly leader: NodeId;
  readonly followers: readonly NodeId[];
  /** Every monitor sample taken, in time order (for lag charts). */
  readonly statusSamples: readonly ReplicaStatus[];
}

interface PendingRead {
  key: string;
  ownData: boolean;
  attempt: number;
  failedNodes: NodeId[];
  firstInvokeMs: number;
}

interface ReadRecord {
  op: HistoryOp<unknown, unknown>;
  session: string;
  user: string;
  firstInvokeMs: number;
}

const DEFAULT_USERS = ["ann", "bob", "cem", "dia", "eve"];

function share(value: number | undefined, fallback: number, field: string): number {
  const v = value ?? fallback;
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || v > 1) {
    throw new SingleLeaderConfigError(`${field} must be a share between 0 and 1, got ${String(value)}.`);
  }
  return v;
}

function positiveInt(value: number | undefined, fallback: number, field: string, min: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min) throw new SingleLeaderConfigError(`${field} must be a whole number >= ${min}, got ${String(value)}.`);
  return v;
}

function positive(value: number | undefined, fallback: number, field: string): number {
  const v = value ?? fallback;
  if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) throw new SingleLeaderConfigError(`${field} must be a number > 0, got ${String(value)}.`);
  return v;
}

/** The profile key of a user: only that user writes it. */
export function profileKey(user: string): string {
  return `profile:${user}`;
}

/** Runs the workload to completion and returns its history and cost (see the module comment). */
export function runSessionWorkload(config: SessionWorkloadConfig): SessionWorkloadRun {
  const router = config.router;
  if (router === null || typeof router !== "object" || typeof router.route !== "function") {
    throw new SingleLeaderConfigError("router must be an object with a route(read, view) method, e.g. randomRouter().");
  }
  const followerCount = positiveInt(config.followers, 2, "followers", 1);
  const users = [...(config.users ?? DEFAULT_USERS)];
  if (users.length === 0) throw new SingleLeaderConfigError("users must list at least one user id.");
  const twoDevice = new Set(config.twoDeviceUsers ?? ["ann"]);
  for (const u of twoDevice) if (!users.includes(u)) throw new SingleLeaderConfigError(`twoDeviceUsers names "${u}", who is not in users (${users.join(", ")}).`);
  const opsPerSession = positiveInt(config.opsPerSession, 40, "opsPerSession", 1);
  const thinkTimeMs = positive(config.thinkTimeMs, 40, "thinkTimeMs");
  const writeShare = share(config.writeShare, 0.25, "writeShare");
  const ownReadShare = share(config.ownReadShare, 0.4, "ownReadShare");
  if (writeShare + ownReadShare > 1) throw new SingleLeaderConfigError(`writeShare + ownReadShare must be at most 1, got ${writeShare + ownReadShare}.`);
  const statusIntervalMs = positive(config.statusIntervalMs, 50, "statusIntervalMs");
  const readTimeoutMs = positive(config.readTimeoutMs, 100, "readTimeoutMs");
  const maxAttempts = positiveInt(config.maxReadAttempts, 3, "maxReadAttempts", 1);
  const lag = config.lag ?? { steady: L.constant(30) };

  const leader = "n1";
  const followers = Array.from({ length: followerCount }, (_, i) => `n${i + 2}`);
  const data = [leader, ...followers];
  const sessions: { session: string; user: string }[] = [];
  for (const user of users) {
    if (twoDevice.has(user)) sessions.push({ session: `${user}-phone`, user }, { session: `${user}-laptop`, user });
    else sessions.push({ session: user, user });
  }
  for (const s of sessions) if (data.includes(s.session)) throw new SingleLeaderConfigError(`user id "${s.session}" clashes with a node id; rename the user.`);

  const steadyOf = (node: NodeId): Latency => {
    const s = lag.steady as Latency | Record<NodeId, Latency>;
    if (typeof (s as { kind?: unknown }).kind === "string") return s as Latency;
    const per = (s as Record<NodeId, Latency>)[node];
    if (per === undefined) throw new SingleLeaderConfigError(`lag.steady has no latency for follower ${node}; give one per follower (${followers.join(", ")}) or one for all.`);
    return per;
  };
  for (const e of [...(lag.spikes ?? []), ...(lag.failures ?? [])]) {
    if (!followers.includes(e.node)) throw new SingleLeaderConfigError(`lag profile names "${e.node}", which is not a follower (${followers.join(", ")}).`);
  }
  for (const f of lag.failures ?? []) {
    if (!(f.restartAtMs > f.crashAtMs)) throw new SingleLeaderConfigError(`failure of ${f.node}: restartAtMs (${f.restartAtMs}) must come after crashAtMs (${f.crashAtMs}).`);
  }

  const settings: ReplicationSettings = resolveSettings(
    { mode: "async", leases: false },
    { followers, all: data, coordinatorId: "coordinator", storageId: undefined },
  );
  const replLink = (node: NodeId, latency: Latency): LinkOverride => ({ from: leader, to: node, latency, symmetric: false });
  const links: LinkOverride[] = [
    ...followers.map((f) => replLink(f, steadyOf(f))),
    ...sessions.map((s) => ({ from: s.session, to: leader, latency: config.leaderLatency ?? L.uniform(8, 16) })),
  ];

  // ------------------------------------------------------------------ monitor (status feed)
  const view: { leader: NodeId; replicas: ReplicaStatus[] } = {
    leader,
    replicas: data.map((node) => ({ node, role: node === leader ? "leader" : "follower", up: true, position: 0, reportedAtMs: 0 })),
  };
  const statusSamples: ReplicaStatus[] = [];

  // ------------------------------------------------------------------ sessions
  const writeRecords: { op: HistoryOp<unknown, unknown>; session: string; user: string }[] = [];
  const readRecords: ReadRecord[] = [];
  let readsWanted = 0;
  let readsFailed = 0;
  let finishedSessions = 0;

  const sessionLogic = (session: string, user: string): ClientLogic<unknown, unknown> => {
    let issued = 0;
    let writes = 0;
    let pending: PendingRead | undefined;
    const others = users.filter((u) => u !== user);
    const sendRead = (ctx: ClientContext<unknown>, read: PendingRead) => {
      const node = router.route(
        { session, user, key: read.key, ownData: read.ownData, nowMs: ctx.now(), attempt: read.attempt, failedNodes: [...read.failedNodes], random: ctx.random },
        view,
      );
      if (!data.includes(node)) {
        throw new SingleLeaderConfigError(`router "${router.name}" sent a read to "${String(node)}", which is not a replica (${data.join(", ")}).`);
      }
      ctx.invoke(node, "read", { key: read.key } satisfies KvInput, { timeoutMs: readTimeoutMs });
    };
    const next = (ctx: ClientContext<unknown>) => {
      if (issued >= opsPerSession) return;
      issued++;
      const draw = ctx.random.float();
      if (draw < writeShare) {
        writes++;
        ctx.invoke(leader, "write", { key: profileKey(user), value: `${session}#${writes}` } satisfies KvInput, { timeoutMs: 1000 });
        return;
      }
      const ownData = draw < writeShare + ownReadShare || others.length === 0;
      const key = ownData ? profileKey(user) : profileKey(others[ctx.random.int(0, others.length - 1)]!);
      pending = { key, ownData, attempt: 0, failedNodes: [], firstInvokeMs: ctx.now() };
      readsWanted++;
      sendRead(ctx, pending);
    };
    return {
      onStart(ctx) {
        ctx.setTimer(ctx.random.uniform(0, thinkTimeMs), "next");
      },
      onTimer(ctx) {
        next(ctx);
      },
      onResult(ctx, op) {
        if (op.f === "write") {
          if (op.status === "ok") {
            const out = op.output as { lsn: number };
            writeRecords.push({ op, session, user });
            router.onWriteAcknowledged?.({ session, user, key: (op.input as KvInput).key!, position: out.lsn, nowMs: ctx.now() });
          }
        } else if (pending !== undefined) {
          const read = pending;
          if (op.status === "ok") {
            const out = op.output as { appliedLsn: number };
            readRecords.push({ op, session, user, firstInvokeMs: read.firstInvokeMs });
            router.onReadServed?.({ session, user, key: read.key, node: op.node, position: out.appliedLsn, nowMs: ctx.now() });
            pending = undefined;
          } else {
            router.onReadFailed?.({ session, user, key: read.key, node: op.node, nowMs: ctx.now() });
            read.failedNodes.push(op.node);
            read.attempt++;
            if (read.attempt < maxAttempts) {
              sendRead(ctx, read);
              return;
            }
            readsFailed++;
            pending = undefined;
          }
        }
        if (issued >= opsPerSession) finishedSessions++;
        else ctx.setTimer(ctx.random.exponential(thinkTimeMs), "next");
      },
    };
  };

  const sim = new Simulation<SingleLeaderMessage, unknown, unknown, NodeLogic<SingleLeaderMessage, unknown, unknown>>({
    seed: config.seed,
    nodes: data,
    createNode: () => new ReplicaNode({ settings, members: data, spare: false }) as unknown as NodeLogic<SingleLeaderMessage, unknown, unknown>,
    clients: sessions.map((s) => ({ id: s.session, logic: sessionLogic(s.session, s.user) })),
    network: { latency: config.followerLatency ?? L.uniform(1, 5), links },
    limits: config.limits ?? { maxEvents: 2_000_000, maxTimeMs: 600_000 },
    trace: config.trace ?? false,
  });

  const sample = () => {
    for (let i = 0; i < view.replicas.length; i++) {
      const r = view.replicas[i]!;
      const up = sim.isUp(r.node) && !sim.node(r.node).paused;
      const position = up ? (sim.logic(r.node) as unknown as ReplicaNode).inspect().appliedLsn : r.position;
      view.replicas[i] = { ...r, up, position, reportedAtMs: sim.now };
      statusSamples.push(view.replicas[i]!);
    }
  };
  const sampleLoop = () => {
    sample();
    if (!finished()) sim.after(statusIntervalMs, sampleLoop, "monitor");
  };
  let done = false;
  const finished = () => done;
  sim.at(0, () => sim.after(0, sampleLoop, "monitor"), "monitor");
  for (const s of lag.spikes ?? []) {
    sim.at(s.fromMs, () => sim.setLink(replLink(s.node, s.latency)), `lag spike ${s.node}`);
    sim.at(s.toMs, () => sim.setLink(replLink(s.node, steadyOf(s.node))), `lag spike ends ${s.node}`);
  }
  for (const f of lag.failures ?? []) {
    sim.at(f.crashAtMs, () => sim.crash(f.node), `crash ${f.node}`);
    sim.at(f.restartAtMs, () => sim.restart(f.node), `restart ${f.node}`);
  }
  sim.run({ until: () => finishedSessions === sessions.length });
  done = true;

  // ------------------------------------------------------------------ history for the checkers
  const positionOfValue = new Map<string, number>();
  const history: SessionOp[] = [];
  for (const { op, session, user } of writeRecords) {
    const input = op.input as KvInput;
    const position = (op.output as { lsn: number }).lsn;
    positionOfValue.set(String(input.value), position);
    const w: SessionWrite = { kind: "write", id: op.id, session, user, key: input.key!, position, invokeMs: op.invokeMs, completeMs: op.completeMs! };
    history.push(w);
  }
  const latencies: number[] = [];
  let leaderReads = 0;
  for (const { op, session, user, firstInvokeMs } of readRecords) {
    const out = op.output as { value: unknown; role: string };
    let seen: number | null = null;
    if (out.value !== null) {
      const p = positionOfValue.get(String(out.value));
      if (p === undefined) throw new Error(`read ${op.id} returned ${JSON.stringify(out.value)}, which no acknowledged write produced`);
      seen = p;
    }
    const r: SessionRead = {
      kind: "read",
      id: op.id,
      session,
      user,
      key: (op.input as KvInput).key!,
      replica: op.node,
      seen,
      invokeMs: op.invokeMs,
      completeMs: op.completeMs!,
    };
    history.push(r);
    latencies.push(op.completeMs! - firstInvokeMs);
    if (op.node === leader) leaderReads++;
  }
  history.sort((a, b) => a.invokeMs - b.invokeMs || a.id - b.id);
  latencies.sort((a, b) => a - b);
  const served = readRecords.length;
  const cost: RoutingCost = {
    reads: readsWanted,
    readsServed: served,
    readsFailed,
    leaderShare: served === 0 ? 0 : leaderReads / served,
    meanReadLatencyMs: served === 0 ? 0 : latencies.reduce((a, b) => a + b, 0) / served,
    p95ReadLatencyMs: served === 0 ? 0 : latencies[Math.min(served - 1, Math.floor(0.95 * served))]!,
  };
  return { router: router.name, sim, history, cost, sessions, leader, followers, statusSamples };
}
