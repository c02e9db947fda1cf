/**
 * An external ticket service (think of a numbering service or a counter in another system) that
 * the database calls through `TICKET()`. Every call hands out a new number: calling it is a side
 * effect outside the database, so re-executing a statement on three replicas uses three tickets.
 *
 * Modelling shortcut: it is a plain object shared by the nodes and answered synchronously, like a
 * user-defined function making a blocking call; it never fails.
 */
import type { NodeId } from "../../sim/trace";

/** One ticket handed out: to whom, and its number. */
export interface TicketIssue {
  readonly node: NodeId;
  readonly ticket: number;
}

export class TicketService {
  private nextTicket: number;
  /** Every ticket handed out, in order. */
  readonly issued: TicketIssue[] = [];

  constructor(firstTicket = 1000) {
    this.nextTicket = firstTicket;
  }

  /** Hands out the next ticket to `node`. */
  take(node: NodeId): number {
    const ticket = this.nextTicket++;
    this.issued.push({ node, ticket });
    return ticket;
  }
}
