/**
 * Protocol settings of the single-leader model, their defaults and their validation. The cluster
 * builder resolves one `ReplicationSettings` and hands the same object to every node.
 */
import { SimulationConfigError } from "../../sim/errors";
import type { NodeId } from "../../sim/trace";
import type { AckMode } from "./types";

/** An invalid single-leader configuration; the message names the field and what to change. */
export class SingleLeaderConfigError extends SimulationConfigError {}

/** What the leader does when the semi-synchronous follower does not acknowledge in time. */
export interface SemiSyncSettings {
  /**
   * The designated synchronous follower. Default: the first follower. `undefined` after
   * resolution means "any one follower" (MySQL's semi-sync with one required replica).
   */
  follower?: NodeId;
  /** Accept the acknowledgement of any one follower instead of a designated one (default false). */
  anyFollower?: boolean;
  /**
   * "block" (default): keep waiting, the client gets "unknown" after its timeout;
   * "async": after `fallbackAfterMs`, acknowledge without the follower until it catches up again
   * (MySQL's rpl_semi_sync_master_timeout behaviour).
   */
  fallback?: "block" | "async";
  /** How long a write waits for the synchronous follower before falling back (default 200 ms). */
  fallbackAfterMs?: number;
  /**
   * A follower the leader has not heard from for this long counts as disconnected, and the first
   * connected follower becomes the synchronous one instead (PostgreSQL's `FIRST 1 (...)`). Finite
   * values make the leader ping idle followers every `replicationRetryMs`. Default: Infinity (a
   * follower heard from once stays connected; the leader waits for the configured one).
   */
  disconnectAfterMs?: number;
}

/** Every protocol knob, all resolved (see `resolveSettings` for the defaults). */
export interface ReplicationSettings {
  mode: AckMode;
  semiSync: { follower: NodeId | undefined; fallback: "block" | "async"; fallbackAfterMs: number; disconnectAfterMs: number };
  /** The coordinator's node id. */
  coordinatorId: NodeId;
  /** Id of the fenced external storage node, when there is one. */
  storageId: NodeId | undefined;
  /** Coordinator -> leader heartbeat period. */
  heartbeatIntervalMs: number;
  /** The coordinator starts a failover after this long without a heartbeat reply from the leader. */
  failoverTimeoutMs: number;
  /** How long a leader keeps accepting writes after a lease grant (on its own clock). */
  leaseMs: number;
  /** Extra wait the coordinator adds to a lease: clock drift between coordinator and leader. */
  clockUncertaintyMs: number;
  /** How long the coordinator waits for probe replies. */
  probeTimeoutMs: number;
  /** Delay before the coordinator asks the policy again after a refusal. */
  failoverRetryMs: number;
  /** Period of the coordinator's "who leads" broadcast to non-leaders. */
  configIntervalMs: number;
  /** The leader accepts and acknowledges writes only while its lease is valid. */
  leases: boolean;
  /** Nodes compare epochs: stale messages are rejected, a leader that sees a newer epoch steps down. */
  fencing: boolean;
  /** fsync after every append (default). Off: a crash with loseUnsyncedWrites loses recent writes. */
  syncOnAppend: boolean;
  /** With syncOnAppend off: background fsync period. */
  syncIntervalMs: number;
  /** Entries each node keeps; older ones are folded away. A follower behind that needs a snapshot. */
  logRetentionEntries: number;
  /** The leader resends to a follower that has not acknowledged for this long. */
  replicationRetryMs: number;
  /** Most entries in one append message. */
  maxBatchEntries: number;
  /**
   * How often the leader ships new entries to followers that are streaming (0, the default: each
   * entry the moment it is written). Above 0 it models a WAL sender that wakes up periodically:
   * in async mode a leader crash then loses the writes of the last interval.
   */
  shipIntervalMs: number;
  /** Time to copy a snapshot to a new follower (the store keeps changing meanwhile). */
  snapshotTransferMs: number;
  /** Naive copy: time between two copied keys. */
  naiveCopyKeyIntervalMs: number;
}

/** The knobs a caller may set; everything else gets a default. */
export type ReplicationOptions = Partial<Omit<ReplicationSettings, "semiSync" | "coordinatorId" | "storageId">> & {
  semiSync?: SemiSyncSettings;
};

/** Defaults: one heartbeat every 50 ms, failover after 300 ms of silence, 200 ms leases. */
export const DEFAULT_REPLICATION_SETTINGS = {
  mode: "async" as AckMode,
  heartbeatIntervalMs: 50,
  failoverTimeoutMs: 300,
  leaseMs: 200,
  clockUncertaintyMs: 20,
  probeTimeoutMs: 50,
  failoverRetryMs: 50,
  configIntervalMs: 500,
  leases: true,
  fencing: true,
  syncOnAppend: true,
  syncIntervalMs: 100,
  logRetentionEntries: 1000,
  replicationRetryMs: 50,
  maxBatchEntries: 64,
  shipIntervalMs: 0,
  snapshotTransferMs: 30,
  naiveCopyKeyIntervalMs: 5,
  semiSyncFallbackAfterMs: 200,
} as const;

const MODES: readonly AckMode[] = ["async", "sync", "semi-sync", "quorum"];

function requireNumber(value: number, field: string, hint: string, allowZero: boolean): void {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || (value === 0 && !allowZero)) {
    throw new SingleLeaderConfigError(`${field} must be a finite number ${allowZero ? ">=" : ">"} 0, got ${String(value)}. ${hint}`);
  }
}

const positive = (value: number, field: string, hint: string) => requireNumber(value, field, hint, false);
const nonNegative = (value: number, field: string, hint: string) => requireNumber(value, field, hint, true);

/**
 * Fills in defaults and checks every field. `followers` are the initial leader's followers, in
 * order (the default semi-synchronous follower is the first).
 */
export function resolveSettings(
  options: ReplicationOptions,
  ids: { followers: readonly NodeId[]; all: readonly NodeId[]; coordinatorId: NodeId; storageId: NodeId | undefined },
): ReplicationSettings {
  const d = DEFAULT_REPLICATION_SETTINGS;
  const mode = options.mode ?? d.mode;
  if (!MODES.includes(mode)) {
    throw new SingleLeaderConfigError(`mode must be one of ${MODES.map((m) => `"${m}"`).join(", ")}, got ${JSON.stringify(mode)}.`);
  }
  const s: ReplicationSettings = {
    mode,
    semiSync: {
      follower: options.semiSync?.anyFollower ? undefined : (options.semiSync?.follower ?? ids.followers[0]),
      fallback: options.semiSync?.fallback ?? "block",
      fallbackAfterMs: options.semiSync?.fallbackAfterMs ?? d.semiSyncFallbackAfterMs,
      disconnectAfterMs: options.semiSync?.disconnectAfterMs ?? Number.POSITIVE_INFINITY,
    },
    coordinatorId: ids.coordinatorId,
    storageId: ids.storageId,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? d.heartbeatIntervalMs,
    failoverTimeoutMs: options.failoverTimeoutMs ?? d.failoverTimeoutMs,
    leaseMs: options.leaseMs ?? d.leaseMs,
    clockUncertaintyMs: options.clockUncertaintyMs ?? d.clockUncertaintyMs,
    probeTimeoutMs: options.probeTimeoutMs ?? d.probeTimeoutMs,
    failoverRetryMs: options.failoverRetryMs ?? d.failoverRetryMs,
    configIntervalMs: options.configIntervalMs ?? d.configIntervalMs,
    leases: options.leases ?? d.leases,
    fencing: options.fencing ?? d.fencing,
    syncOnAppend: options.syncOnAppend ?? d.syncOnAppend,
    syncIntervalMs: options.syncIntervalMs ?? d.syncIntervalMs,
    logRetentionEntries: options.logRetentionEntries ?? d.logRetentionEntries,
    replicationRetryMs: options.replicationRetryMs ?? d.replicationRetryMs,
    maxBatchEntries: options.maxBatchEntries ?? d.maxBatchEntries,
    shipIntervalMs: options.shipIntervalMs ?? d.shipIntervalMs,
    snapshotTransferMs: options.snapshotTransferMs ?? d.snapshotTransferMs,
    naiveCopyKeyIntervalMs: options.naiveCopyKeyIntervalMs ?? d.naiveCopyKeyIntervalMs,
  };

  positive(s.heartbeatIntervalMs, "heartbeatIntervalMs", "It is how often the coordinator pings the leader, e.g. 50.");
  positive(s.failoverTimeoutMs, "failoverTimeoutMs", "It is how long the leader may stay silent before a failover, e.g. 300.");
  positive(s.leaseMs, "leaseMs", "It is how long a leader may accept writes after a heartbeat, e.g. 200.");
  nonNegative(s.clockUncertaintyMs, "clockUncertaintyMs", "Use 0 for perfect clocks.");
  positive(s.probeTimeoutMs, "probeTimeoutMs", "It is how long the coordinator waits for status replies, e.g. 50.");
  positive(s.failoverRetryMs, "failoverRetryMs", "It is the pause before asking the failover policy again, e.g. 50.");
  positive(s.configIntervalMs, "configIntervalMs", "It is how often the coordinator re-announces the leader, e.g. 500.");
  positive(s.syncIntervalMs, "syncIntervalMs", "It is the background fsync period when syncOnAppend is off, e.g. 100.");
  positive(s.replicationRetryMs, "replicationRetryMs", "It is how long the leader waits before resending to a silent follower, e.g. 50.");
  nonNegative(s.shipIntervalMs, "shipIntervalMs", "Use 0 to ship every entry at once.");
  nonNegative(s.snapshotTransferMs, "snapshotTransferMs", "Use 0 for an instant copy.");
  nonNegative(s.naiveCopyKeyIntervalMs, "naiveCopyKeyIntervalMs", "Use 0 for an instant copy.");
  nonNegative(s.semiSync.fallbackAfterMs, "semiSync.fallbackAfterMs", "It is how long a write waits for the sync follower.");
  if (s.semiSync.disconnectAfterMs !== Number.POSITIVE_INFINITY) {
    positive(s.semiSync.disconnectAfterMs, "semiSync.disconnectAfterMs", "It is how long a silent follower still counts as connected, e.g. 100, or Infinity.");
  }
  if (!Number.isInteger(s.maxBatchEntries) || s.maxBatchEntries < 1) {
    throw new SingleLeaderConfigError(`maxBatchEntries must be an integer >= 1, got ${String(s.maxBatchEntries)}.`);
  }
  if (!(Number.isInteger(s.logRetentionEntries) && s.logRetentionEntries >= 1) && s.logRetentionEntries !== Number.POSITIVE_INFINITY) {
    throw new SingleLeaderConfigError(
      `logRetentionEntries must be an integer >= 1 or Infinity, got ${String(s.logRetentionEntries)}.`,
    );
  }
  if (s.leaseMs <= s.heartbeatIntervalMs) {
    throw new SingleLeaderConfigError(
      `leaseMs (${s.leaseMs}) must be longer than heartbeatIntervalMs (${s.heartbeatIntervalMs}): a lease is measured from ` +
        `the previous heartbeat, so a shorter one expires before the next renewal and the leader never stays writable.`,
    );
  }
  if (s.semiSync.fallback !== "block" && s.semiSync.fallback !== "async") {
    throw new SingleLeaderConfigError(`semiSync.fallback must be "block" or "async", got ${JSON.stringify(s.semiSync.fallback)}.`);
  }
  if (s.mode === "semi-sync" && s.semiSync.follower !== undefined && !ids.all.includes(s.semiSync.follower)) {
    throw new SingleLeaderConfigError(
      `semiSync.follower is "${s.semiSync.follower}", which is not a data node. Data nodes: ${ids.all.join(", ")}.`,
    );
  }
  if (s.mode === "semi-sync" && ids.followers.length === 0 && !options.semiSync?.anyFollower) {
    throw new SingleLeaderConfigError(`mode "semi-sync" needs at least one follower; set followers to 1 or more.`);
  }
  return s;
}
