import { describe, expect, it } from "vitest";
import { RandomStream } from "../../../../lib/sim/random";
import { statementCalls, statementText } from "../../../../lib/replication/replication_log/statement_language";
import { randomStatements } from "../../../../lib/replication/replication_log/workload";

describe("randomStatements", () => {
  it("replays the same mix from the same seed and another from another seed", () => {
    const text = (seed: string) => randomStatements(new RandomStream(seed, "statements"), 30).map(statementText).join("\n");
    expect(text("1")).toBe(text("1"));
    expect(text("1")).not.toBe(text("2"));
  });

  it("mixes deterministic statements with every kind of non-determinism", () => {
    const mix = randomStatements(new RandomStream("1", "statements"), 300);
    const calls = new Set(mix.flatMap(statementCalls));
    expect([...calls].sort()).toEqual(["NOW", "RAND", "TICKET"]);
    expect(mix.some((s) => s.kind === "insert" && s.table === "users" && !("id" in s.values))).toBe(true);
    expect(mix.some((s) => statementCalls(s).length === 0)).toBe(true);
    expect(new Set(mix.map((s) => s.kind)).size).toBe(3);
  });
});
