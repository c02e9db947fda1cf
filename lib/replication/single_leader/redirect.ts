/**
 * How a node that cannot take a write says where to go instead. A client reply's error is a plain
 * string (the simulator's Reply type), so the hint is encoded in it as `leader=<id> epoch=<n>`
 * tokens after a short code, e.g. `not-leader: n3 is a follower; leader=n2 epoch=2`.
 */
import type { NodeId } from "../../sim/trace";

/** Why a data node refused a client write. */
export type RefusalKind =
  /** The node is not the leader: it did NOT apply the write. */
  | "not-leader"
  /** The node leads but its lease has expired: it did NOT apply the write. */
  | "no-lease"
  /** The request was malformed. */
  | "bad-request";

/** What a refusal tells the client. */
export interface RedirectHint {
  kind: RefusalKind | "other";
  /** The node the refusing node believes leads, when it knows one. */
  leader?: NodeId;
  /** The epoch the refusing node is in. */
  epoch?: number;
}

/** Formats a refusal with its redirect hint (the inverse of `parseRedirect`). */
export function formatRefusal(kind: RefusalKind, text: string, leader: NodeId | null | undefined, epoch: number): string {
  const hint = leader ? `leader=${leader} epoch=${epoch}` : `leader=? epoch=${epoch}`;
  return `${kind}: ${text}; ${hint}`;
}

/** Reads the hint out of a refusal's error string; unknown strings give `{ kind: "other" }`. */
export function parseRedirect(error: string | undefined): RedirectHint {
  if (typeof error !== "string") return { kind: "other" };
  const code = /^([a-z-]+):/.exec(error)?.[1];
  const kind: RedirectHint["kind"] = code === "not-leader" || code === "no-lease" || code === "bad-request" ? code : "other";
  const hint: RedirectHint = { kind };
  const leader = /\bleader=([^\s;?][^\s;]*)/.exec(error)?.[1];
  if (leader !== undefined) hint.leader = leader;
  const epoch = /\bepoch=(\d+)/.exec(error)?.[1];
  if (epoch !== undefined) hint.epoch = Number(epoch);
  return hint;
}
