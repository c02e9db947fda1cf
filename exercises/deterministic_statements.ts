/**
 * Exercise: deterministic_statements (chapter 03).
 *
 * Statement-based replication ships each statement to the followers, which execute it again.
 * A statement that calls NOW(), RAND() or TICKET(), or an INSERT that lets the auto-increment
 * counter pick its id, gives a different result on every node. Your job: rewrite each statement
 * at the leader, before it is executed and logged, so that it is deterministic.
 *
 *   makeDeterministic(statement, leader)
 *     - replace every NOW() call with a literal holding leader.now();
 *     - replace every RAND() call with a literal holding a fresh leader.random() draw (one draw per
 *       RAND() in the statement: two RAND() calls must not share one value);
 *     - replace every TICKET() call with a literal holding leader.nextTicket(), called exactly once
 *       per TICKET() (each call consumes a ticket of an external service);
 *     - look everywhere: INSERT values, UPDATE's SET, and the WHERE conditions of UPDATE and
 *       DELETE, including calls nested inside other expressions (FLOOR(RAND() * 100), NOW() - 30);
 *     - an INSERT into an auto-increment table that leaves out the key column gets the key as a
 *       literal from leader.nextId(table) (leader.schema(table) tells you the key column and
 *       whether it auto-increments);
 *     - leave everything else exactly as it is: literals, column references, operators, tables,
 *       conditions. A statement without any of the above must come back unchanged in meaning.
 *     - do not modify the statement you are given: build a new one (the objects are read-only).
 *
 * The leader executes what you return and logs it; every follower re-executes that logged
 * statement. Grade with `npm run grade deterministic_statements`; hints with
 * `npm run hint deterministic_statements`.
 */
import type { LeaderFacts } from "../lib/replication/replication_log/rewrite";
import type { CallName, Condition, Expr, Statement } from "../lib/replication/replication_log/statement_language";
import { notImplemented } from "../lib/exercise_support/not_implemented";

export type { CallName, Condition, Expr, LeaderFacts, Statement };

/** Returns a deterministic version of `statement`, using the leader's values. */
export function makeDeterministic(statement: Statement, leader: LeaderFacts): Statement {
  throw notImplemented("makeDeterministic");
}
