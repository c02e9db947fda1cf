/**
 * Exercise: quorum_client (chapter 06).
 *
 * You write the decisions of a Dynamo-style coordinator. It has sent a write (or a read) to the
 * key's replicas and calls your functions after every answer, and once more when its timeout
 * passes, with everything it knows so far. Return "wait", "ok" or "fail".
 *
 *   decideWrite(state)
 *     - "ok" as soon as at least w replicas acknowledged (state.acks);
 *     - "fail" (with a reason) when the timeout has passed without w acknowledgements, or when
 *       too few targets are left that could still acknowledge (state.failures will never do so);
 *     - "wait" otherwise.
 *
 *   decideRead(state)
 *     - "ok" as soon as at least r replicas replied: answer with the *freshest* record among the
 *       replies (the highest version: compare `counter`, then `node`; a reply without a record is
 *       older than any record), and list in `repair` every replier whose record is older than
 *       that one (or missing), so the coordinator can send it the fresh record (read repair);
 *     - "fail" / "wait" as for writes, with r instead of w.
 *
 * Never answer before the quorum is complete, and never modify `state`.
 * Run `npm run grade quorum_client` to check your work and `npm run hint quorum_client` when stuck.
 */
import type {
  QuorumPolicy,
  ReadDecision,
  ReadQuorumState,
  ReadReply,
  WriteDecision,
  WriteQuorumState,
} from "../lib/replication/leaderless/types";
import type { StoredRecord, Version } from "../lib/replication/leaderless/versions";
// @starter import { notImplemented } from "../lib/exercise_support/not_implemented";

export type { QuorumPolicy, ReadDecision, ReadQuorumState, ReadReply, StoredRecord, Version, WriteDecision, WriteQuorumState };

/** Decides whether a write has its w acknowledgements, must fail, or should wait. */
export function decideWrite(state: WriteQuorumState): WriteDecision {
  // @solution-begin
  const acked = new Set(state.acks).size;
  if (acked >= state.w) return { kind: "ok" };
  const couldStillAck = new Set(state.targets.filter((t) => !state.failures.includes(t))).size;
  if (state.timedOut || couldStillAck < state.w) {
    return { kind: "fail", reason: `write quorum not reached: ${acked} of w = ${state.w} acknowledgements` };
  }
  return { kind: "wait" };
  // @solution-end
  // @starter throw notImplemented("decideWrite");
}

/** Decides whether a read has its r replies (and what to answer and repair), must fail, or should wait. */
export function decideRead(state: ReadQuorumState): ReadDecision {
  // @solution-begin
  const replied = new Set(state.replies.map((x) => x.replica)).size;
  if (replied >= state.r) {
    let freshest: StoredRecord | undefined;
    for (const reply of state.replies) {
      if (isNewer(reply.record?.version, freshest?.version)) freshest = reply.record;
    }
    const repair = state.replies.filter((x) => isNewer(freshest?.version, x.record?.version)).map((x) => x.replica);
    return { kind: "ok", record: freshest, repair: [...new Set(repair)] };
  }
  const couldStillReply = new Set(state.targets.filter((t) => !state.failures.includes(t))).size;
  if (state.timedOut || couldStillReply < state.r) {
    return { kind: "fail", reason: `read quorum not reached: ${replied} of r = ${state.r} replies` };
  }
  return { kind: "wait" };
  // @solution-end
  // @starter throw notImplemented("decideRead");
}
// @solution-begin

/** True when version `a` is newer than `b`; a missing version is older than any version. */
function isNewer(a: Version | undefined, b: Version | undefined): boolean {
  if (a === undefined) return false;
  if (b === undefined) return true;
  if (a.counter !== b.counter) return a.counter > b.counter;
  return a.node > b.node;
}
// @solution-end
