/**
 * Grading suite for the deterministic_statements exercise (chapter 03). It runs against the
 * learner's exercises/ folder, the reference solutions/ and the generated starter (where it must
 * fail); see grading/README.md. Test names are written for the learner: they read them in
 * `npm run grade`.
 */
import { describe, expect, it } from "vitest";
import { makeDeterministic } from "@exercise/deterministic_statements";
import { latency } from "../lib/sim/latency";
import { RandomStream } from "../lib/sim/random";
import {
  RowStore,
  SESSIONS_TABLE,
  USERS_TABLE,
  createReplicationLogCluster,
  executeStatement,
  randomStatements,
  sql,
  statementCalls,
  statementText,
  type ExecutionEnv,
  type LeaderFacts,
  type Statement,
  type TableSchema,
} from "../lib/replication/replication_log";

const PRODUCTS: TableSchema = { name: "products", key: "sku", columns: ["title", "qty", "price"], autoIncrement: false };
const TABLES = [USERS_TABLE, SESSIONS_TABLE, PRODUCTS];
const NOW = 1_700_000_000_000;

/** A leader whose values are known in advance, counting every call. */
function scriptedLeader(options: { randoms?: number[]; firstTicket?: number; nextIds?: Record<string, number> } = {}) {
  const randoms = options.randoms ?? [0.25, 0.5, 0.75, 0.125, 0.625];
  let ticket = options.firstTicket ?? 500;
  const ids: Record<string, number> = { ...(options.nextIds ?? { users: 41 }) };
  const calls = { now: 0, random: 0, nextTicket: 0, nextId: [] as string[] };
  const facts: LeaderFacts = {
    now: () => (calls.now++, NOW),
    random: () => {
      const v = randoms[calls.random % randoms.length]!;
      calls.random++;
      return v;
    },
    nextTicket: () => (calls.nextTicket++, ticket++),
    nextId: (table) => {
      calls.nextId.push(table);
      const id = ids[table] ?? 1;
      ids[table] = id + 1;
      return id;
    },
    schema: (table) => TABLES.find((t) => t.name === table),
  };
  return { facts, calls };
}

/** Freezes a statement all the way down, so a rewrite that edits its input throws. */
function frozen<T>(value: T): T {
  if (value !== null && typeof value === "object") {
    for (const v of Object.values(value)) frozen(v);
    Object.freeze(value);
  }
  return value;
}

/** An environment that refuses every call: the statement must not need the executing node. */
const NO_CALLS: ExecutionEnv = {
  now: () => {
    throw new Error("the rewritten statement still calls NOW()");
  },
  random: () => {
    throw new Error("the rewritten statement still calls RAND()");
  },
  nextTicket: () => {
    throw new Error("the rewritten statement still calls TICKET()");
  },
};

/** A store with a few rows, the users counter at 41 (so a forgotten id rewrite shows up as a wrong id). */
function sampleStore(): RowStore {
  const store = new RowStore(TABLES);
  const env: ExecutionEnv = { now: () => NOW - 100, random: () => 0.5, nextTicket: () => 1 };
  for (let id = 1; id <= 3; id++) executeStatement(store, sql.insert("users", { id, name: `u${id}`, created: NOW - 100 * id, score: 10 * id }), env);
  executeStatement(store, sql.insert("users", { id: 40, name: "top", created: NOW, score: 0 }), env);
  executeStatement(store, sql.insert("sessions", { token: "a", user_id: 1, expires: NOW - 1 }), env);
  executeStatement(store, sql.insert("sessions", { token: "b", user_id: 2, expires: NOW + 1 }), env);
  executeStatement(store, sql.insert("products", { sku: "p1", title: "lamp", qty: 5, price: 20 }), env);
  return store;
}

/** Rewrites `statement` with a scripted leader and executes the result where no call may happen. */
function rewriteAndRun(statement: Statement, leaderOptions: Parameters<typeof scriptedLeader>[0] = {}) {
  const leader = scriptedLeader(leaderOptions);
  const rewritten = makeDeterministic(frozen(statement), leader.facts);
  const store = sampleStore();
  executeStatement(store, rewritten, NO_CALLS);
  return { rewritten, store, calls: leader.calls };
}

const replaying = process.env.REPLAY_SEED !== undefined;

describe.skipIf(replaying)("makeDeterministic: non-deterministic calls become the leader's values", () => {
  const cases: { name: string; statement: Statement; table: string; key: string | number; expected: Record<string, unknown> }[] = [
    {
      name: "NOW() in INSERT values",
      statement: sql.insert("users", { id: 7, name: "ada", created: sql.now(), score: 1 }),
      table: "users",
      key: 7,
      expected: { created: NOW },
    },
    {
      name: "NOW() in UPDATE ... SET",
      statement: sql.update("users", { created: sql.now() }, [sql.where("id", "=", 2)]),
      table: "users",
      key: 2,
      expected: { created: NOW, score: 20 },
    },
    {
      name: "RAND() nested inside FLOOR(RAND() * 100)",
      statement: sql.insert("users", { id: 8, name: "bob", created: 0, score: sql.floor(sql.times(sql.rand(), 100)) }),
      table: "users",
      key: 8,
      expected: { score: 25 },
    },
    {
      name: "NOW() nested in arithmetic (NOW() + 5000)",
      statement: sql.insert("sessions", { token: "z", user_id: 3, expires: sql.plus(sql.now(), 5000) }),
      table: "sessions",
      key: "z",
      expected: { expires: NOW + 5000 },
    },
    {
      name: "TICKET() in INSERT values",
      statement: sql.insert("users", { id: 9, name: "cy", created: 0, ticket: sql.ticket() }),
      table: "users",
      key: 9,
      expected: { ticket: 500 },
    },
    {
      name: "an INSERT that leaves out its auto-increment key (it gets the leader's next id)",
      statement: sql.insert("users", { name: "dee", created: 1, score: 2 }),
      table: "users",
      key: 41,
      expected: { name: "dee", created: 1, score: 2 },
    },
    {
      name: "column arithmetic next to a call (score = score + FLOOR(RAND() * 10))",
      statement: sql.update("users", { score: sql.plus(sql.col("score"), sql.floor(sql.times(sql.rand(), 10))) }, [sql.where("id", "=", 3)]),
      table: "users",
      key: 3,
      expected: { score: 32 },
    },
  ];

  for (const c of cases) {
    it(`rewrites ${c.name}`, () => {
      const { rewritten, store } = rewriteAndRun(c.statement);
      expect(statementCalls(rewritten), `calls left in ${statementText(rewritten)}`).toEqual([]);
      const row = store.get(c.table, c.key);
      expect(row, `after ${statementText(rewritten)}, ${c.table} has no row with key ${JSON.stringify(c.key)}`).toBeDefined();
      expect(row).toMatchObject(c.expected);
    });
  }

  it("rewrites NOW() inside WHERE (DELETE FROM sessions WHERE expires < NOW())", () => {
    const { rewritten, store } = rewriteAndRun(sql.delete("sessions", [sql.where("expires", "<", sql.now())]));
    expect(statementCalls(rewritten)).toEqual([]);
    expect(store.rows("sessions").map((r) => r["token"]), "only session a had expired at the leader's NOW()").toEqual(["b"]);
  });

  it("rewrites calls in both SET and WHERE of one UPDATE", () => {
    const { rewritten, store } = rewriteAndRun(sql.update("users", { score: sql.ticket() }, [sql.where("created", "<", sql.minus(sql.now(), 150))]));
    expect(statementCalls(rewritten)).toEqual([]);
    expect(store.rowsByKey("users").map((r) => [r["id"], r["score"]])).toEqual([[1, 10], [2, 500], [3, 500], [40, 0]]);
  });

  it("gives each RAND() its own draw (two RAND() calls must not share one value)", () => {
    const { rewritten, store, calls } = rewriteAndRun(sql.insert("users", { id: 10, name: "eve", created: sql.floor(sql.times(sql.rand(), 1000)), score: sql.floor(sql.times(sql.rand(), 1000)) }));
    expect(statementCalls(rewritten)).toEqual([]);
    expect(calls.random, "leader.random() calls for two RAND()").toBe(2);
    const row = store.get("users", 10)!;
    expect([row["created"], row["score"]].sort()).toEqual([250, 500]);
  });

  it("calls leader.nextTicket() exactly once per TICKET(): every call consumes a ticket", () => {
    const { calls } = rewriteAndRun(sql.insert("users", { id: 11, name: "fay", created: 0, score: sql.ticket(), ticket: sql.ticket() }));
    expect(calls.nextTicket).toBe(2);
    const none = rewriteAndRun(sql.update("users", { score: 1 }, [sql.where("id", "=", 1)]));
    expect(none.calls.nextTicket, "a statement without TICKET() must not take tickets").toBe(0);
  });

  it("allocates an id only for INSERTs that leave out the key of an auto-increment table", () => {
    expect(rewriteAndRun(sql.insert("users", { name: "gus", created: 0 })).calls.nextId).toEqual(["users"]);
    expect(rewriteAndRun(sql.insert("sessions", { token: "q", user_id: 1, expires: 5 })).calls.nextId, "sessions has no auto-increment key").toEqual([]);
  });
});

describe.skipIf(replaying)("makeDeterministic: deterministic statements keep their meaning", () => {
  const unchanged: Statement[] = [
    sql.insert("users", { id: 12, name: "hal", created: 5, score: 0 }),
    sql.insert("products", { sku: "p2", title: "desk", qty: 1, price: 99 }),
    sql.update("products", { qty: sql.minus(sql.col("qty"), 1) }, [sql.where("sku", "=", "p1"), sql.where("qty", ">", 0)]),
    sql.update("users", { name: sql.concat(sql.col("name"), "!"), score: sql.times(sql.col("score"), 2) }, []),
    sql.delete("users", [sql.where("score", ">=", 20)]),
    sql.delete("products", []),
  ];
  for (const statement of unchanged) {
    it(`leaves ${statementText(statement)} as it is`, () => {
      const { facts, calls } = scriptedLeader();
      expect(makeDeterministic(frozen(statement), facts)).toEqual(statement);
      expect(calls, "a deterministic statement needs none of the leader's values").toEqual({ now: 0, random: 0, nextTicket: 0, nextId: [] });
    });
  }

  it("keeps everything around a rewritten call (table, other columns, operators, conditions)", () => {
    const statement = sql.update("products", { qty: sql.plus(sql.col("qty"), 2), price: sql.floor(sql.times(sql.rand(), 50)) }, [sql.where("sku", "=", "p1")]);
    const { facts } = scriptedLeader();
    expect(makeDeterministic(frozen(statement), facts)).toEqual(
      sql.update("products", { qty: sql.plus(sql.col("qty"), 2), price: sql.floor(sql.times(0.25, 50)) }, [sql.where("sku", "=", "p1")]),
    );
  });
});

/** Seeds of the randomised replication runs: 1..40, or only REPLAY_SEED when the learner replays one. */
const SEEDS: number[] = process.env.REPLAY_SEED ? [Number(process.env.REPLAY_SEED)] : Array.from({ length: 40 }, (_, i) => i + 1);

/**
 * One replicated run: 60 random statements, followers with skewed clocks, f1 crashing and
 * restarting half-way (its auto-increment counter is rebuilt from its rows).
 */
function replicatedRun(seed: number) {
  const random = new RandomStream(String(seed), "statements");
  const statements = randomStatements(random, 60);
  const cluster = createReplicationLogCluster({
    seed,
    method: "statement",
    tables: [USERS_TABLE, SESSIONS_TABLE],
    followers: 2,
    rewrite: makeDeterministic,
    clocks: { f1: { offsetMs: random.int(-3000, 3000) }, f2: { offsetMs: random.int(-3000, 3000), drift: 0.01 } },
    network: { latency: latency.uniform(1, 8), reorder: { probability: 0.2, maxExtraDelayMs: 10 } },
  });
  cluster.executeAll(statements, { startMs: 10, gapMs: 4 });
  cluster.sim.at(130, () => cluster.sim.crash("f1"));
  cluster.sim.at(150, () => cluster.sim.restart("f1"));
  cluster.sim.run({ untilMs: 1000 });
  return { cluster, statements };
}

function explain(seed: number, problem: string, detail: string): string {
  return [`seed ${seed} failed: ${problem}`, `replay: npm run grade deterministic_statements -- --seed ${seed}`, detail].join("\n");
}

describe("replicas converge over random statement mixes in the simulator", () => {
  it("every follower ends byte-identical to the leader, and only the leader takes tickets", () => {
    for (const seed of SEEDS) {
      if (!Number.isSafeInteger(seed)) throw new Error(`--seed must be a whole number (like the seeds this exercise prints), got ${process.env.REPLAY_SEED}`);
      let run: ReturnType<typeof replicatedRun>;
      try {
        run = replicatedRun(seed);
      } catch (err) {
        // The simulator wraps what the rewrite threw; hand the learner their own error (and line).
        const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
        if (cause instanceof Error && cause.name !== "NotImplementedError") {
          cause.message = `${cause.message}\nseed ${seed} failed\nreplay: npm run grade deterministic_statements -- --seed ${seed}`;
        }
        throw cause;
      }
      const { cluster } = run;
      const logged = cluster.leader().logged.find((l) => statementCalls(l.statement).length > 0);
      if (logged) throw new Error(explain(seed, "the leader logged a statement that still calls a function", `LSN ${logged.lsn}: ${statementText(logged.statement)}`));
      const autoInsert = cluster.leader().logged.find((l) => l.statement.kind === "insert" && l.statement.table === "users" && !("id" in l.statement.values));
      if (autoInsert) throw new Error(explain(seed, "the leader logged an INSERT without its auto-increment id", `LSN ${autoInsert.lsn}: ${statementText(autoInsert.statement)}`));
      if (!cluster.converged()) {
        const diffs = ["users", "sessions"].flatMap((t) => cluster.compare(t).filter((r) => !r.sameAsLeader).map((r) => `  ${t} on ${r.node}: ${r.differences}`));
        throw new Error(explain(seed, "a follower differs from the leader", diffs.join("\n")));
      }
      const foreign = cluster.tickets.issued.find((t) => t.node !== "leader");
      if (foreign) throw new Error(explain(seed, `${foreign.node} took ticket ${foreign.ticket}: followers must not call the ticket service again`, ""));
    }
  });
});
