/**
 * Acknowledgement-mode scenarios (chapter 01, and the replication_modes grader): clients write to
 * the leader of a single-leader cluster, one follower's link is slow, optionally a follower
 * crashes, then the leader crashes and the freshest surviving follower is promoted by hand. The
 * result says, for every acknowledged write, which nodes held it at the instant of the
 * acknowledgement, and which acknowledged writes the new leader does not have.
 */
import type { PlannedOp } from "../../sim/clients";
import { RandomStream, type Seed } from "../../sim/random";
import type { NodeId } from "../../sim/trace";
import type { AckRule } from "../ack_rule_types";
import { createSingleLeaderCluster, type SingleLeaderCluster } from "./cluster";
import { SingleLeaderConfigError, type SemiSyncSettings } from "./config";
import type { AckMode, EntryKey, KvInput, LogEntry } from "./types";
import { entryKey } from "./types";

/** Options of `runAckScenario`. */
export interface AckScenarioOptions {
  seed: Seed;
  mode: AckMode;
  /** Followers of the initial leader n1 (default 2). */
  followers?: number;
  /** The acknowledgement rule (default the model's own, `standardAckRule`). */
  ackRule?: AckRule;
  /** Concurrent writing clients (default 2). */
  clients?: number;
  /** Pause between a client's writes (default 2 ms). */
  thinkTimeMs?: number;
  /** Extra one-way delay on the links between n1 and the last follower, both ways (default 0). */
  slowFollowerExtraMs?: number;
  /** A follower that crashes, and when (default none). */
  crashFollower?: { node: NodeId; atMs: number };
  /** When the leader n1 crashes; `false` for never (default 300 ms). Writing stops then. */
  crashLeaderAtMs?: number | false;
  /** How long after the crash the freshest surviving follower is promoted (default 20 ms). */
  promoteAfterMs?: number;
  /** The leader's shipping period (default 0: each entry at once). */
  shipIntervalMs?: number;
  semiSync?: SemiSyncSettings;
  /** Length of the run (default: 400 ms after the leader crash, or 600 ms without one). */
  durationMs?: number;
  /** How long a client waits for an answer (default 150 ms). */
  clientTimeoutMs?: number;
}

/** One write the leader acknowledged, and where it was at that instant. */
export interface AckRecord {
  key: EntryKey;
  lsn: number;
  acceptedMs: number;
  ackMs: number;
  /** Where the acknowledgement rule said the write was durable. */
  durableOn: NodeId[];
  /** The data nodes whose log really held the write when it was acknowledged (leader included). */
  holders: NodeId[];
}

/** A finished scenario. */
export interface AckScenarioResult {
  cluster: SingleLeaderCluster;
  /** Every parameter of the run, one line, for failure messages and tables. */
  description: string;
  /** The acknowledged writes of the initial leader, in order. */
  acks: AckRecord[];
  /** Invoke-to-answer time of every write that ended ok, in ms. */
  latenciesMs: number[];
  /** Writes whose client gave up waiting (the leader was blocked or crashed). */
  unknownWrites: number;
  /** The node promoted after the leader crash (undefined without one). */
  newLeader: NodeId | undefined;
  /** Acknowledged writes that the new leader's log does not hold at the end of the run. */
  lost: AckRecord[];
}

/** Runs one scenario (see the module comment). */
export function runAckScenario(options: AckScenarioOptions): AckScenarioResult {
  const followers = options.followers ?? 2;
  const crashAt = options.crashLeaderAtMs ?? 300;
  const duration = options.durationMs ?? (crashAt === false ? 600 : crashAt + 400);
  const cluster = createSingleLeaderCluster({
    seed: options.seed,
    mode: options.mode,
    followers,
    automaticFailover: false,
    shipIntervalMs: options.shipIntervalMs ?? 0,
    ...(options.ackRule ? { ackRule: options.ackRule } : {}),
    ...(options.semiSync ? { semiSync: options.semiSync } : {}),
  });
  const { sim, recorder } = cluster;
  const leader = cluster.dataNodes[0]!;
  const slow = cluster.dataNodes[cluster.dataNodes.length - 1]!;
  if (options.crashFollower !== undefined && !cluster.dataNodes.slice(1).includes(options.crashFollower.node)) {
    throw new SingleLeaderConfigError(`crashFollower.node must be a follower (${cluster.dataNodes.slice(1).join(", ")}), got "${options.crashFollower.node}".`);
  }
  const extra = options.slowFollowerExtraMs ?? 0;
  if (!(Number.isFinite(extra) && extra >= 0)) throw new SingleLeaderConfigError(`slowFollowerExtraMs must be a number >= 0, got ${String(extra)}.`);
  if (extra > 0 && slow !== leader) {
    const latency = { kind: "uniform" as const, minMs: 1 + extra, maxMs: 5 + extra };
    sim.setLink({ from: leader, to: slow, latency });
    sim.setLink({ from: slow, to: leader, latency });
  }

  // Which nodes hold each write when it is acknowledged: asked of the recorder at that instant.
  const acks: AckRecord[] = [];
  const recordAck = recorder.writeAcknowledged.bind(recorder);
  recorder.writeAcknowledged = (node: NodeId, entry: LogEntry, durableOn?: readonly NodeId[]) => {
    recordAck(node, entry, durableOn);
    if (node !== leader || entry.epoch !== 1) return;
    const key = entryKey(entry.origin, entry.epoch, entry.lsn);
    const last = recorder.acknowledged[recorder.acknowledged.length - 1]!;
    acks.push({
      key,
      lsn: entry.lsn,
      acceptedMs: last.acceptedMs,
      ackMs: last.timeMs,
      durableOn: [...last.durableOn],
      holders: cluster.dataNodes.filter((n) => recorder.holds(n, key)),
    });
  };

  const writes = (client: string) => ({
    count: 1_000_000,
    next: (_random: RandomStream, i: number): PlannedOp<KvInput> => ({ f: "write", input: { key: `k${i % 5}`, value: `${client}-${i}` } }),
  });
  const clientCount = options.clients ?? 2;
  for (let c = 1; c <= clientCount; c++) {
    cluster.addClient(`client${c}`, {
      ops: writes(`c${c}`),
      startMs: 10 + c,
      thinkTimeMs: options.thinkTimeMs ?? 2,
      timeoutMs: options.clientTimeoutMs ?? 150,
      maxAttempts: 1,
      stopAtMs: crashAt === false ? duration - 200 : crashAt,
    });
  }
  if (options.crashFollower !== undefined) {
    const { node, atMs } = options.crashFollower;
    sim.at(atMs, () => sim.crash(node), "crash follower");
  }
  let newLeader: NodeId | undefined;
  if (crashAt !== false) {
    sim.at(crashAt, () => sim.crash(leader), "crash leader");
    sim.at(crashAt + (options.promoteAfterMs ?? 20), () => {
      newLeader = freshestSurvivor(cluster);
      if (newLeader !== undefined) cluster.promote(newLeader);
    }, "promote the freshest follower");
  }
  sim.run({ untilMs: duration });

  const ops = sim.history.ops.filter((op) => op.f === "write");
  const latenciesMs = ops.filter((op) => op.status === "ok").map((op) => op.completeMs! - op.invokeMs);
  const unknownWrites = ops.filter((op) => op.status === "unknown").length;
  const lost = newLeader === undefined ? [] : acks.filter((a) => !recorder.holds(newLeader!, a.key));
  const s = cluster.settings;
  const description =
    `seed=${JSON.stringify(options.seed)} mode=${s.mode}, ${cluster.dataNodes.length} data nodes, ${clientCount} client${clientCount === 1 ? "" : "s"}, ` +
    `${slow} +${extra.toFixed(1)} ms each way, ship interval ${s.shipIntervalMs} ms, ` +
    (options.crashFollower ? `${options.crashFollower.node} crashes at ${options.crashFollower.atMs} ms, ` : "") +
    (crashAt === false ? "leader stays up, " : `leader crashes at ${crashAt} ms, `) +
    (s.mode === "semi-sync" ? `semi-sync follower ${s.semiSync.follower ?? "any"} (disconnect after ${s.semiSync.disconnectAfterMs} ms), ` : "") +
    `run ${duration} ms`;
  return { cluster, description, acks, latenciesMs, unknownWrites, newLeader, lost };
}

/** The up follower with the most of the log (last epoch, then last LSN; smallest id on a tie). */
function freshestSurvivor(cluster: SingleLeaderCluster): NodeId | undefined {
  let best: { id: NodeId; epoch: number; lsn: number } | undefined;
  for (const id of cluster.dataNodes.slice(1)) {
    if (!cluster.sim.isUp(id)) continue;
    const s = cluster.stateOf(id);
    if (best === undefined || s.lastEpoch > best.epoch || (s.lastEpoch === best.epoch && s.lastLsn > best.lsn)) {
      best = { id, epoch: s.lastEpoch, lsn: s.lastLsn };
    }
  }
  return best?.id;
}

/**
 * A scenario whose size, slow link, shipping period, crash times and an optional follower crash
 * derive from `seed`. A follower crashes only in five-node clusters, and never the preferred
 * semi-sync follower, so that every mode but async promises to keep each acknowledged write.
 */
export function randomAckScenario(seed: Seed, mode: AckMode, ackRule?: AckRule): AckScenarioResult {
  const r = new RandomStream(String(seed), `ack-scenario-${mode}`);
  const followers = r.pick([2, 2, 3, 4]);
  const crashLeaderAtMs = r.int(120, 400);
  const crashFollower = followers === 4 && r.chance(0.5) ? { node: `n${followers + 1}`, atMs: r.int(20, crashLeaderAtMs) } : undefined;
  return runAckScenario({
    seed,
    mode,
    followers,
    ...(ackRule ? { ackRule } : {}),
    clients: r.pick([1, 2, 3]),
    slowFollowerExtraMs: Math.round(r.uniform(0, 30)),
    shipIntervalMs: r.pick([0, 0, 10, 20]),
    crashLeaderAtMs,
    ...(crashFollower ? { crashFollower } : {}),
  });
}
