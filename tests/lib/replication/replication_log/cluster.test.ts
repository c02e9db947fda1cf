import { describe, expect, it } from "vitest";
import { SimulationConfigError } from "../../../../lib/sim/errors";
import { RandomStream } from "../../../../lib/sim/random";
import { createReplicationLogCluster } from "../../../../lib/replication/replication_log/cluster";
import { CHANGE_TABLE } from "../../../../lib/replication/replication_log/messages";
import { sql, statementCalls, type TableSchema } from "../../../../lib/replication/replication_log/statement_language";
import { WalFormatError } from "../../../../lib/replication/replication_log/storage_format";
import { MIX_TABLES, USERS_TABLE, randomStatements } from "../../../../lib/replication/replication_log/workload";

const PRODUCTS: TableSchema = { name: "products", key: "sku", columns: ["title", "qty"], autoIncrement: false };

describe("statement-based replication", () => {
  it("diverges when followers re-execute NOW() with their own clocks, and takes a ticket per node", () => {
    const c = createReplicationLogCluster({ seed: 1, method: "statement", tables: [USERS_TABLE], clocks: { f1: { offsetMs: 5000 } } });
    c.execute(sql.insert("users", { id: 1, name: "ada", created: sql.now(), ticket: sql.ticket() }), 10);
    c.sim.run({ untilMs: 200 });
    const created = (id: string) => c.store(id).get("users", 1)!["created"] as number;
    expect(created("f1") - created("leader")).toBeGreaterThanOrEqual(5000);
    expect(c.converged()).toBe(false);
    expect(c.tickets.issued.map((t) => t.node).sort()).toEqual(["f1", "f2", "leader"]);
  });

  it("reuses a deleted top id on a follower that restarted (counter rebuilt as max + 1)", () => {
    const c = createReplicationLogCluster({ seed: 2, method: "statement", tables: [USERS_TABLE] });
    c.executeAll([1, 2, 3].map((i) => sql.insert("users", { name: `u${i}`, created: 0 })), { startMs: 10, gapMs: 5 });
    c.execute(sql.delete("users", [sql.where("id", "=", 3)]), 40);
    c.sim.at(60, () => c.sim.crash("f1"));
    c.sim.at(70, () => c.sim.restart("f1"));
    c.execute(sql.insert("users", { name: "new", created: 0 }), 100);
    c.sim.run({ untilMs: 300 });
    expect(c.store("leader").rowsByKey("users").map((r) => r["id"])).toEqual([1, 2, 4]);
    expect(c.store("f1").rowsByKey("users").map((r) => r["id"])).toEqual([1, 2, 3]);
    expect(c.store("f2").rowsByKey("users").map((r) => r["id"])).toEqual([1, 2, 4]);
  });

  it("converges when a rewrite fixes the values at the leader", () => {
    const c = createReplicationLogCluster({
      seed: 3,
      method: "statement",
      tables: MIX_TABLES,
      clocks: { f1: { offsetMs: 700 }, f2: { offsetMs: -300 } },
      rewrite: (s, leader) => {
        // A minimal rewrite for this test: literal values for the calls of INSERT values only.
        if (s.kind !== "insert") return s;
        const values = Object.fromEntries(Object.entries(s.values).map(([k, e]) => [k, e.kind === "call" ? sql.lit(e.fn === "NOW" ? leader.now() : e.fn === "RAND" ? leader.random() : leader.nextTicket()) : e]));
        return { ...s, values };
      },
    });
    c.executeAll([sql.insert("users", { id: 1, name: "a", created: sql.now(), score: sql.rand() }), sql.insert("sessions", { token: "x", user_id: 1, expires: sql.now() })]);
    c.sim.run({ untilMs: 200 });
    expect(c.converged()).toBe(true);
    expect(c.leader().logged.every((l) => statementCalls(l.statement).length === 0)).toBe(true);
  });
});

describe("followers", () => {
  it("notice a gap after lost appends, ask again and catch up", () => {
    const c = createReplicationLogCluster({ seed: 10, method: "logical", tables: [USERS_TABLE] });
    c.executeAll(Array.from({ length: 20 }, (_, i) => sql.insert("users", { name: `u${i}`, created: i })), { startMs: 10, gapMs: 5 });
    c.sim.at(30, () => c.sim.blockLink("leader", "f1"));
    c.sim.at(60, () => c.sim.unblockLink("leader", "f1"));
    c.sim.run({ untilMs: 90 });
    const midway = c.follower("f1").appliedLsn;
    c.sim.run({ untilMs: 400 });
    expect(midway, "f1 is stuck behind the gap until it asks again").toBeLessThan(c.leader().committedLsn);
    expect(c.follower("f1").appliedLsn).toBe(20);
    expect(c.converged()).toBe(true);
  });
});

describe("write-ahead log shipping", () => {
  it("copies pages byte for byte to a same-format follower and stalls one on another format", () => {
    const c = createReplicationLogCluster({ seed: 4, method: "wal", tables: [USERS_TABLE], formats: { f2: 2 }, clocks: { f1: { offsetMs: 900 } } });
    c.executeAll([sql.insert("users", { name: "a", created: sql.now(), score: sql.rand() }), sql.update("users", { score: 1 })]);
    c.sim.run({ untilMs: 200 });
    expect(c.store("f1").pageImage()).toBe(c.store("leader").pageImage());
    const stalled = c.follower("f2").stalled!;
    expect(stalled.lsn).toBe(1);
    expect(stalled.error).toBeInstanceOf(WalFormatError);
    expect(c.follower("f2").appliedLsn).toBe(0);
    expect(c.converged()).toBe(false);
  });

  it("replicates when leader and followers all run the newer format", () => {
    const c = createReplicationLogCluster({ seed: 4, method: "wal", tables: [USERS_TABLE], formats: { leader: 2, f1: 2, f2: 2 } });
    c.executeAll([sql.insert("users", { name: "a", created: sql.now() }), sql.update("users", { score: 3 })]);
    c.sim.run({ untilMs: 200 });
    expect(c.compare("users").map((r) => r.sameAsLeader)).toEqual([true, true, true]);
    expect(c.converged()).toBe(true);
  });
});

describe("logical log and change data capture", () => {
  it("replicates to followers on any storage format and feeds a search index", () => {
    const c = createReplicationLogCluster({ seed: 5, method: "logical", tables: [PRODUCTS], formats: { f2: 2 }, cdc: { table: "products", column: "title" } });
    c.executeAll([
      sql.insert("products", { sku: "a", title: "Red lamp", qty: 1 }),
      sql.insert("products", { sku: "b", title: "Blue lamp", qty: 1 }),
      sql.update("products", { title: "Red desk" }, [sql.where("sku", "=", "a")]),
      sql.delete("products", [sql.where("sku", "=", "b")]),
      sql.update("products", { qty: 5 }),
    ]);
    c.sim.run({ untilMs: 200 });
    expect(c.converged()).toBe(true);
    expect(c.store("f2").format).toBe(2);
    expect(c.searchIndex().entries()).toEqual([{ word: "desk", keys: ["a"] }, { word: "red", keys: ["a"] }]);
    expect(c.leader().log.map((r) => (r.method === "logical" ? r.changes.map((ch) => ch.op).join() : "")).join(" ")).toBe("insert insert update delete update");
  });
});

describe("trigger-based replication", () => {
  it("replicates a subset of tables through the change table, purges it, and costs extra writes", () => {
    const statements = randomStatements(new RandomStream("w", "statements"), 40);
    const trig = createReplicationLogCluster({ seed: 6, method: "trigger", tables: MIX_TABLES, trigger: { tables: ["users"], pollIntervalMs: 50 } });
    trig.executeAll(statements);
    trig.sim.run({ untilMs: 2000 });
    expect(trig.store("warehouse").tableNames()).toEqual(["users"]);
    expect(JSON.stringify(trig.store("warehouse").rowsByKey("users"))).toBe(JSON.stringify(trig.store("leader").rowsByKey("users")));
    expect(trig.store("leader").rows(CHANGE_TABLE)).toEqual([]);
    const w = trig.leader().work;
    const userTableChanges = w.changeTablePageWrites / 2; // each replicated change is inserted, then purged
    expect(userTableChanges).toBeGreaterThan(0);
    expect(userTableChanges).toBeLessThanOrEqual(w.userRowChanges);
  });

  it("the same workload commits faster and replicates sooner with a logical log", () => {
    const statements = randomStatements(new RandomStream("w", "statements"), 40);
    const run = (method: "logical" | "trigger") => {
      const c = createReplicationLogCluster({ seed: 7, method, tables: MIX_TABLES, followers: method === "logical" ? 1 : undefined, writeCostMs: 0.5 });
      c.executeAll(statements);
      c.sim.run({ untilMs: 2000 });
      const lag = c.lag().map((s) => s.appliedMs - s.committedMs);
      const lat = c.commitLatenciesMs();
      return { lag: lag.reduce((a, b) => a + b, 0) / lag.length, latency: lat.reduce((a, b) => a + b, 0) / lat.length };
    };
    const logical = run("logical");
    const trigger = run("trigger");
    expect(trigger.latency).toBeGreaterThan(logical.latency);
    expect(trigger.lag).toBeGreaterThan(logical.lag);
  });
});

describe("cluster configuration", () => {
  it("rejects settings that make no sense, saying what to change", () => {
    const base = { seed: 1, tables: [USERS_TABLE] };
    expect(() => createReplicationLogCluster({ ...base, method: "binlog" as never })).toThrow(SimulationConfigError);
    expect(() => createReplicationLogCluster({ ...base, method: "wal", cdc: { table: "users", column: "name" } })).toThrow(/use method "logical"/);
    expect(() => createReplicationLogCluster({ ...base, method: "logical", rewrite: (s) => s })).toThrow(/statement method/);
    expect(() => createReplicationLogCluster({ ...base, method: "trigger", followers: 2 })).toThrow(/leave out followers/);
    expect(() => createReplicationLogCluster({ ...base, method: "wal", formats: { f9: 2 } })).toThrow(/f9 is not a data node/);
    expect(() => createReplicationLogCluster({ ...base, method: "statement", tables: [] })).toThrow(/at least one table/);
  });

  it("replays a seed byte for byte", () => {
    const digest = () => {
      const c = createReplicationLogCluster({ seed: 9, method: "statement", tables: MIX_TABLES, clocks: { f1: { offsetMs: 50 } } });
      c.executeAll(randomStatements(new RandomStream("9", "statements"), 30));
      c.sim.run({ untilMs: 500 });
      return c.sim.digest() + ["leader", "f1", "f2"].map((id) => c.store(id).dump()).join();
    };
    expect(digest()).toBe(digest());
  });
});
