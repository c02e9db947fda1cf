/**
 * What a leader offers a statement rewriter (the `deterministic_statements` exercise): the
 * leader's own sources of the non-deterministic values, so that it can replace them with
 * literals before the statement is logged.
 */
import type { Statement, TableSchema } from "./statement_language";

/** The leader's view, for rewriting one statement before it executes and is logged. */
export interface LeaderFacts {
  /** The leader's clock now, in whole ms: what NOW() returns on the leader. */
  now(): number;
  /** A draw from the leader's random stream, in [0, 1): what RAND() returns on the leader. */
  random(): number;
  /** Takes the next ticket from the external ticket service: what TICKET() does (each call consumes one). */
  nextTicket(): number;
  /** Allocates the next auto-increment id of `table` from the leader's counter. */
  nextId(table: string): number;
  /** A table's schema (key column, columns, auto-increment), or undefined for an unknown table. */
  schema(table: string): TableSchema | undefined;
}

/** Rewrites a statement at the leader before it is executed and logged. */
export type StatementRewriter = (statement: Statement, leader: LeaderFacts) => Statement;
