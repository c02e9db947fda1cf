import { describe, expect, it } from "vitest";
import { SingleLeaderConfigError } from "../../../../lib/replication/single_leader/config";
import { naiveFailoverPolicy } from "../../../../lib/replication/single_leader/policies";
import { runFailoverScenario, type FailoverFault } from "../../../../lib/replication/single_leader/scenarios";

describe("runFailoverScenario input", () => {
  it("rejects an unknown fault instead of running a cluster with no fault at all", () => {
    // Before, a misspelt fault fell through the switch: no fault, and a safety report that passed.
    const run = () => runFailoverScenario({ seed: 1, policy: naiveFailoverPolicy, fault: "leader-crsh" as FailoverFault, durationMs: 100 });
    expect(run).toThrow(SingleLeaderConfigError);
    expect(run).toThrow(/fault must be one of "leader-crash", .*; got "leader-crsh"/);
  });

  it("says how to fix a fault that needs a follower in a cluster without one", () => {
    const run = () => runFailoverScenario({ seed: 1, policy: naiveFailoverPolicy, fault: "minority-visible", followers: 0, durationMs: 100 });
    expect(run).toThrow(SingleLeaderConfigError);
    expect(run).toThrow(/needs at least one follower; set followers to 1 or more/);
  });
});
