import { describe, expect, it } from "vitest";
import { checkConsistentPrefix } from "../../../../lib/checkers/session";
import { runConversation } from "../../../../lib/replication/read_routing";

describe("runConversation (two partitions, consistent prefix)", () => {
  it("without ordering, the observer sees answers without their questions when p1 lags more", () => {
    const v = checkConsistentPrefix(runConversation({ seed: 1, trace: false }).history);
    expect(v.length).toBeGreaterThan(0);
    expect(v[0]!.read.key).toMatch(/^question:/);
    expect(v[0]!.read.replica).toBe("p1n2");
  });

  it("causal reads and co-location leave no violation; causal reads pay with leader reads", () => {
    for (const seed of [1, 2, 3, 4]) {
      const causal = runConversation({ seed, ordering: "causal", trace: false });
      expect(checkConsistentPrefix(causal.history)).toEqual([]);
      expect(causal.cost.leaderShare).toBeGreaterThan(0);
      const colocated = runConversation({ seed, ordering: "co-located", trace: false });
      expect(checkConsistentPrefix(colocated.history)).toEqual([]);
      expect(colocated.cost.leaderShare).toBe(0);
    }
  });

  it("every page load completes and answers depend on their question", () => {
    const run = runConversation({ seed: 5, questions: 3, loadsPerQuestion: 2, trace: false });
    expect(run.cost.pageLoads).toBe(6);
    const answers = run.history.filter((op) => op.kind === "write" && op.key.startsWith("answer"));
    expect(answers).toHaveLength(3);
    for (const a of answers) expect((a as { dependsOn?: number[] }).dependsOn).toHaveLength(1);
  });

  it("rejects an unknown ordering", () => {
    expect(() => runConversation({ seed: 1, ordering: "magic" as never })).toThrow(/ordering must be/);
  });
});
