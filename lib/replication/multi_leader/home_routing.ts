/**
 * Conflict avoidance: every record has a home leader, and all writes to it go there, so two
 * leaders never accept concurrent writes to the same record. It holds until the home has to
 * change (its datacenter fails, the user moves): then, for a while, two leaders may write it.
 */
import type { NodeId } from "../../sim/trace";
import { MultiLeaderConfigError } from "./errors";

/** Routes each record to its home leader, and to the next leader in `fallback` once the home is declared down. */
export class HomeRouter {
  private readonly down = new Set<NodeId>();

  /**
   * @param homes the home leader of each record (records not listed go to `fallback[0]`)
   * @param fallback every leader, in the order records move when their home is down
   */
  constructor(
    private readonly homes: Readonly<Record<string, NodeId>>,
    private readonly fallback: readonly NodeId[],
  ) {
    if (fallback.length === 0) throw new MultiLeaderConfigError("HomeRouter needs at least one leader in fallback.");
    for (const [record, home] of Object.entries(homes)) {
      if (!fallback.includes(home)) {
        throw new MultiLeaderConfigError(`record "${record}" has home "${home}", which is not in the leaders (${fallback.join(", ")}).`);
      }
    }
  }

  /** The leader writes to `record` go to now. */
  leaderFor(record: string): NodeId {
    const home = this.homes[record] ?? this.fallback[0]!;
    if (!this.down.has(home)) return home;
    const start = this.fallback.indexOf(home);
    for (let i = 1; i <= this.fallback.length; i++) {
      const candidate = this.fallback[(start + i) % this.fallback.length]!;
      if (!this.down.has(candidate)) return candidate;
    }
    throw new MultiLeaderConfigError(`every leader is marked down; no leader can take writes to "${record}".`);
  }

  /** Marks a leader down (records move to the next one) or up again (they move back). */
  setDown(leader: NodeId, down: boolean): void {
    if (!this.fallback.includes(leader)) throw new MultiLeaderConfigError(`"${leader}" is not one of the leaders (${this.fallback.join(", ")}).`);
    if (down) this.down.add(leader);
    else this.down.delete(leader);
  }
}
