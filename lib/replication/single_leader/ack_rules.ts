/**
 * The model's own acknowledgement rule (`standardAckRule`), used unless a cluster is given another
 * one (`createSingleLeaderCluster({ ackRule })`, e.g. a learner's replication_modes exercise).
 */
import type { AckDecision, AckObservation, AckRule, FollowerAck } from "../ack_rule_types";
import { SingleLeaderConfigError } from "./config";
import { majorityOf } from "../majority";


function chooseSyncFollower(followers: readonly FollowerAck[], preferred: string | undefined): string | undefined {
  if (preferred === undefined || followers.length === 0) return undefined;
  const wanted = followers.find((f) => f.id === preferred);
  if (wanted?.connected) return wanted.id;
  // Like PostgreSQL's `FIRST 1 (a, b, c)`: the first connected standby in priority order.
  const promoted = followers.find((f) => f.connected);
  if (promoted !== undefined) return promoted.id;
  return wanted?.id ?? followers[0]!.id;
}

function decideAck(o: AckObservation): AckDecision {
  const holders = o.followers.filter((f) => f.ackedLsn >= o.lsn).map((f) => f.id);
  const durableOn = [o.leader, ...holders];
  const has = (id: string) => holders.includes(id);
  let acknowledge: boolean;
  switch (o.mode) {
    case "async":
      acknowledge = true;
      break;
    case "sync":
      acknowledge = o.followers.every((f) => has(f.id));
      break;
    case "semi-sync": {
      const sync = chooseSyncFollower(o.followers, o.preferredSyncFollower);
      acknowledge = sync === undefined ? holders.length > 0 : has(sync);
      break;
    }
    case "quorum":
      acknowledge = durableOn.length >= majorityOf(o.followers.length + 1);
      break;
  }
  return { acknowledge, durableOn };
}

/** Async: own write; sync: every follower; semi-sync: the chosen sync follower; quorum: a majority. */
export const standardAckRule: AckRule = { chooseSyncFollower, decideAck };

/** Throws a `SingleLeaderConfigError` unless `rule` has both functions. */
export function validateAckRule(rule: unknown): asserts rule is AckRule {
  const r = rule as Partial<AckRule> | null;
  if (r === null || typeof r !== "object" || typeof r.chooseSyncFollower !== "function" || typeof r.decideAck !== "function") {
    throw new SingleLeaderConfigError("ackRule must have chooseSyncFollower(followers, preferred) and decideAck(observation) functions.");
  }
}
