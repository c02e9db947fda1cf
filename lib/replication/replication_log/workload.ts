/**
 * The chapter's tables and a seeded generator of random statement mixes over them, used by the
 * notebook and by the grading of `deterministic_statements`. About half of the statements use a
 * non-deterministic call or an auto-increment id; the rest are deterministic (literals, column
 * arithmetic, WHERE on keys).
 */
import type { RandomStream } from "../../sim/random";
import { sql, type Condition, type Expr, type Statement, type TableSchema } from "./statement_language";

/** users: auto-increment id, a name, when it was created, a score and a ticket number. */
export const USERS_TABLE: TableSchema = { name: "users", key: "id", columns: ["name", "created", "score", "ticket"], autoIncrement: true };

/** sessions: keyed by a token the application chooses; expires is a timestamp (ms). */
export const SESSIONS_TABLE: TableSchema = { name: "sessions", key: "token", columns: ["user_id", "expires"], autoIncrement: false };

/** The two tables of the random mixes. */
export const MIX_TABLES: readonly TableSchema[] = [USERS_TABLE, SESSIONS_TABLE];

const NAMES = ["ada", "bob", "cy", "dee", "eve", "fay", "gus", "hal"];

function numberExpr(random: RandomStream): Expr {
  switch (random.int(0, 5)) {
    case 0:
      return sql.now();
    case 1:
      return sql.floor(sql.times(sql.rand(), 100));
    case 2:
      return sql.ticket();
    case 3:
      return sql.plus(sql.now(), random.int(1, 9) * 1000);
    default:
      return sql.lit(random.int(0, 99));
  }
}

function userCondition(random: RandomStream): Condition {
  switch (random.int(0, 3)) {
    case 0:
      return sql.where("score", "<", sql.floor(sql.times(sql.rand(), 100)));
    case 1:
      return sql.where("created", "<", sql.minus(sql.now(), random.int(0, 30)));
    default:
      return sql.where("id", random.pick(["=", ">=", "<="] as const), random.int(1, 12));
  }
}

/** One random statement over MIX_TABLES. */
export function randomStatement(random: RandomStream): Statement {
  const roll = random.float();
  if (random.chance(0.7)) {
    // users
    if (roll < 0.45) {
      const values: Record<string, Expr> = { name: sql.lit(random.pick(NAMES)), created: sql.now(), score: numberExpr(random) };
      if (random.chance(0.3)) values["ticket"] = sql.ticket();
      if (random.chance(0.2)) values["id"] = sql.lit(random.int(1, 15)); // an explicit id (may collide: then every node refuses it)
      return sql.insert("users", values);
    }
    if (roll < 0.8) {
      const set: Record<string, Expr> = random.chance(0.5) ? { score: sql.plus(sql.col("score"), random.int(1, 5)) } : { score: numberExpr(random) };
      if (random.chance(0.3)) set["name"] = sql.concat(sql.col("name"), "!");
      return sql.update("users", set, [userCondition(random)]);
    }
    return sql.delete("users", random.chance(0.5) ? [sql.where("id", "=", random.int(1, 12))] : [userCondition(random)]);
  }
  // sessions
  const token = `t${random.int(1, 6)}`;
  if (roll < 0.5) return sql.insert("sessions", { token, user_id: random.int(1, 10), expires: sql.plus(sql.now(), random.int(5, 50)) });
  if (roll < 0.75) return sql.update("sessions", { expires: sql.plus(sql.now(), 40) }, [sql.where("token", "=", token)]);
  return sql.delete("sessions", [sql.where("expires", "<", sql.now())]);
}

/** `count` random statements from the stream. */
export function randomStatements(random: RandomStream, count: number): Statement[] {
  return Array.from({ length: count }, () => randomStatement(random));
}
