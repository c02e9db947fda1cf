import type { NodeId } from "../../sim/trace";

/** The operations of the key-value store. `get` goes through the log too, so reads are linearizable. */
export type RaftKvOp = "put" | "append" | "get";

/**
 * A client command as it travels in client requests and in log entries. `clientId` and
 * `requestId` identify it: a client retries a request under the same ids, and the state machine
 * applies each (clientId, requestId) once even if the log holds it twice.
 */
export interface RaftCommand {
  readonly op: RaftKvOp;
  readonly key: string;
  /** The value to write (put) or to add at the end (append); absent for get. */
  readonly value?: string;
  readonly clientId: NodeId;
  /** Increases by one per new request of this client; a retry keeps its number. */
  readonly requestId: number;
}

/** What the store answers: the value of the key after the operation ("" when the key is absent). */
export interface RaftOutput {
  readonly value: string;
}

/**
 * The replicated state machine: a map of strings, plus a table of the last request applied per
 * client and its answer. Applying the same (clientId, requestId) twice changes nothing and
 * returns the first answer again, which makes client retries safe.
 */
export class RaftKvStore {
  private readonly data = new Map<string, string>();
  private readonly lastByClient = new Map<NodeId, { requestId: number; output: RaftOutput }>();

  /** Applies one committed command and returns its answer. */
  apply(command: RaftCommand): RaftOutput {
    const last = this.lastByClient.get(command.clientId);
    if (last !== undefined && command.requestId <= last.requestId) {
      // A duplicate: the retry of a request that is already applied. Only the latest answer is
      // kept; an older duplicate has nobody waiting for it.
      return last.output;
    }
    const before = this.data.get(command.key) ?? "";
    let after = before;
    if (command.op === "put") after = command.value ?? "";
    else if (command.op === "append") after = before + (command.value ?? "");
    if (command.op !== "get") this.data.set(command.key, after);
    const output: RaftOutput = { value: after };
    this.lastByClient.set(command.clientId, { requestId: command.requestId, output });
    return output;
  }

  /** The current value of `key` ("" when absent), for tables and tests. */
  read(key: string): string {
    return this.data.get(key) ?? "";
  }

  /** All keys and values in key order. */
  snapshot(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const k of [...this.data.keys()].sort()) out[k] = this.data.get(k)!;
    return out;
  }
}

/** Same command? (same client and request: the identity retries keep) */
export function sameRaftRequest(a: RaftCommand, b: RaftCommand): boolean {
  return a.clientId === b.clientId && a.requestId === b.requestId;
}

/** A short label for a command, e.g. "put x=1 (c1#3)". */
export function describeRaftCommand(c: RaftCommand): string {
  const what = c.op === "get" ? `get ${c.key}` : `${c.op} ${c.key}${c.op === "put" ? "=" : "+="}${c.value ?? ""}`;
  return `${what} (${c.clientId}#${c.requestId})`;
}
