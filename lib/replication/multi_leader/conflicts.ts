/**
 * Conflict handling: what a leader shows for a key once it holds several concurrent writes
 * (siblings) for it. Every built-in policy is a function of the *set* of siblings, never of the
 * order they arrived in, so leaders that received the same writes show the same value.
 */
import type { NodeId } from "../../sim/trace";
import { MultiLeaderConfigError } from "./errors";
import { compareWritesByTimestamp, type LeaderWrite } from "./write";

/** What a key shows, and which writes that value keeps (the others are silently discarded). */
export interface ConflictResolution {
  readonly value: string;
  /** The writes reflected in `value`; any sibling not listed here is lost. */
  readonly writes: readonly { readonly id: string }[];
}

/** A conflict handler called by the leader that detects a conflict during replication, once per arriving write. */
export type OnWriteHandler = (current: ConflictResolution | undefined, incoming: LeaderWrite) => ConflictResolution;

/** A conflict handler the application runs when it reads a key with several siblings. */
export type OnReadHandler = (key: string, siblings: readonly LeaderWrite[]) => ConflictResolution;

/**
 * How concurrent writes to one key are reconciled.
 *
 * - last-write-wins: the greatest timestamp wins, ties go to the greater origin id;
 * - replica-priority: the write from the leader earliest in `order` wins (ties: last write wins);
 * - merge: every distinct value, sorted and joined with `separator` (default "/"): "B/C";
 * - keep-siblings: every value is kept; reads return them all for the application to reconcile;
 * - on-write: your handler, called as each conflicting write arrives (it must not depend on the order!);
 * - on-read: siblings are stored, your handler runs when a key is read.
 */
export type ConflictPolicy =
  | { kind: "last-write-wins" }
  | { kind: "replica-priority"; order: readonly NodeId[] }
  | { kind: "merge"; separator?: string }
  | { kind: "keep-siblings" }
  | { kind: "on-write"; handler: OnWriteHandler }
  | { kind: "on-read"; handler: OnReadHandler };

const KINDS = ["last-write-wins", "replica-priority", "merge", "keep-siblings", "on-write", "on-read"];

/** Throws a MultiLeaderConfigError unless the policy is usable with these leaders. */
export function validateConflictPolicy(policy: ConflictPolicy, leaders: readonly NodeId[]): void {
  const kind = (policy as { kind?: unknown } | undefined)?.kind;
  if (!KINDS.includes(kind as string)) {
    throw new MultiLeaderConfigError(`unknown conflict policy ${JSON.stringify(kind)}; use one of ${KINDS.map((k) => `"${k}"`).join(", ")}.`);
  }
  if (policy.kind === "replica-priority") {
    if (!Array.isArray(policy.order) || policy.order.length === 0) {
      throw new MultiLeaderConfigError(`replica-priority needs order: the leaders from most to least trusted, e.g. ["${leaders.join('", "')}"].`);
    }
    for (const id of policy.order) {
      if (!leaders.includes(id)) throw new MultiLeaderConfigError(`replica-priority order names "${id}", which is not a leader (${leaders.join(", ")}).`);
    }
  }
  if ((policy.kind === "on-write" || policy.kind === "on-read") && typeof policy.handler !== "function") {
    throw new MultiLeaderConfigError(`a ${policy.kind} policy needs handler: a function that returns { value, writes }.`);
  }
}

/** The last-write-wins winner among siblings (greatest timestamp, then origin id). */
export function lastWriteWinsWinner(siblings: readonly LeaderWrite[]): LeaderWrite {
  return siblings.reduce((best, w) => (compareWritesByTimestamp(w, best) > 0 ? w : best));
}

/** The value a set of siblings shows under a built-in policy (on-write handlers are folded by the leader). */
export function resolveSiblings(policy: ConflictPolicy, siblings: readonly LeaderWrite[]): ConflictResolution {
  if (siblings.length === 1) return { value: siblings[0]!.value, writes: [siblings[0]!] };
  switch (policy.kind) {
    case "last-write-wins":
    case "on-write":
      return single(lastWriteWinsWinner(siblings));
    case "replica-priority": {
      const rank = (w: LeaderWrite) => {
        const r = policy.order.indexOf(w.origin);
        return r < 0 ? policy.order.length : r;
      };
      const best = Math.min(...siblings.map(rank));
      return single(lastWriteWinsWinner(siblings.filter((w) => rank(w) === best)));
    }
    case "merge": {
      const values = [...new Set(siblings.map((w) => w.value))].sort();
      return { value: values.join(policy.separator ?? "/"), writes: sortById(siblings) };
    }
    case "keep-siblings":
    case "on-read":
      return { value: sortById(siblings).map((w) => w.value).join(" | "), writes: sortById(siblings) };
  }
}

function single(w: LeaderWrite): ConflictResolution {
  return { value: w.value, writes: [w] };
}

function sortById(writes: readonly LeaderWrite[]): LeaderWrite[] {
  return [...writes].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
