/**
 * Parsers for the two recorded-history formats of /work/shared/histories (both from the test data
 * of the Porcupine checker), turning a file's text into operations for `checkLinearizability`.
 * Times are line numbers: only the order of events matters for linearizability.
 *
 * - kv: one EDN-like map per line, `{:process 3, :type :invoke, :f :append, :key "4", :value "x"}`
 *   then `{:process 3, :type :ok, ...}` (get's value is known on its :ok line);
 * - Jepsen etcd logs: `INFO  jepsen.util - 2	:invoke	:cas	[3 0]` (process, type, f, value;
 *   tabs or spaces), for one register with read / write / cas.
 *
 * Types: `:ok` happened; `:fail` did not happen (ignored by the checker); `:info` unknown (may have
 * happened at any time after its invocation); an invocation with no completion is pending (also
 * unknown).
 */
import { HistoryParseError } from "../errors";
import type { CheckedOp, Model } from "../model";
import { kvModel, type KvModelInput } from "../models/kv";
import { registerModel } from "../models/register";
import { EdnLineError, parseEdnLine, type EdnValue } from "./edn_line";

/** The formats the parsers understand; "empty" is a file with no events at all. */
export type HistoryFormat = "kv" | "jepsen-etcd" | "empty";

/** A parsed file: its format, its operations and the model that checks them. */
export interface ParsedHistory {
  readonly format: HistoryFormat;
  readonly ops: CheckedOp[];
  readonly model: Model<any, any, any>;
}

type Status = CheckedOp["status"];

/** A half-built operation while its completion has not been seen. */
interface Open {
  id: number;
  client: number;
  f: string;
  input: unknown;
  invokeLine: number;
}

/** Pairs invocations with completions per process, the part both formats share. */
class Pairing {
  readonly ops: CheckedOp[] = [];
  private readonly open = new Map<number, Open>();
  constructor(private readonly file: string | undefined) {}

  invoke(client: number, f: string, input: unknown, line: number): void {
    const previous = this.open.get(client);
    if (previous !== undefined) {
      throw new HistoryParseError(
        `process ${client} invokes ${f} while its ${previous.f} from line ${previous.invokeLine} has not completed`,
        this.file,
        line,
      );
    }
    const op: Open = { id: this.ops.length, client, f, input, invokeLine: line };
    this.open.set(client, op);
    // Reserve the slot so ids follow invocation order.
    this.ops.push({ id: op.id, client, f, input, status: "pending", invokeMs: line });
  }

  complete(client: number, f: string, status: Status, output: unknown, line: number): void {
    const open = this.open.get(client);
    if (open === undefined) throw new HistoryParseError(`process ${client} completes ${f} but has no operation in progress`, this.file, line);
    if (open.f !== f) {
      throw new HistoryParseError(`process ${client} completes ${f} but invoked ${open.f} on line ${open.invokeLine}`, this.file, line);
    }
    this.open.delete(client);
    this.ops[open.id] = {
      id: open.id,
      client,
      f,
      input: open.input,
      status,
      ...(status === "ok" ? { output } : {}),
      invokeMs: open.invokeLine,
      // Kept for unknown outcomes too (when the timeout was reported); the checker ignores it.
      completeMs: line,
    };
  }
}

function typeStatus(type: string, file: string | undefined, line: number): Status | "invoke" {
  switch (type) {
    case ":invoke":
      return "invoke";
    case ":ok":
      return "ok";
    case ":fail":
      return "fail";
    case ":info":
      return "unknown";
    default:
      throw new HistoryParseError(`unknown :type ${type}; expected :invoke, :ok, :fail or :info`, file, line);
  }
}

function lines(text: string): string[] {
  return text.split(/\r?\n/);
}

/** Parses a kv history (EDN-like lines); `file` only names the file in error messages. */
export function parseKvHistory(text: string, file?: string): ParsedHistory {
  const pairing = new Pairing(file);
  lines(text).forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === "") return;
    let map: Map<string, EdnValue>;
    try {
      map = parseEdnLine(raw);
    } catch (err) {
      if (err instanceof EdnLineError) throw new HistoryParseError(`${err.message} (column ${err.column})`, file, line);
      throw err;
    }
    const field = (name: string): EdnValue => {
      if (!map.has(name)) throw new HistoryParseError(`missing :${name}`, file, line);
      return map.get(name)!;
    };
    const process = field("process");
    if (typeof process !== "number" || !Number.isInteger(process)) throw new HistoryParseError(`:process must be an integer`, file, line);
    const type = field("type");
    const f = field("f");
    if (type === null || typeof type !== "object" || !("keyword" in type)) throw new HistoryParseError(`:type must be a keyword such as :invoke`, file, line);
    if (f === null || typeof f !== "object" || !("keyword" in f) || ![":get", ":put", ":append"].includes(f.keyword)) {
      throw new HistoryParseError(`:f must be :get, :put or :append`, file, line);
    }
    const key = field("key");
    if (typeof key !== "string") throw new HistoryParseError(`:key must be a string`, file, line);
    const value = map.get("value") ?? null;
    if (value !== null && typeof value !== "string") throw new HistoryParseError(`:value must be a string or nil`, file, line);
    const name = f.keyword.slice(1);
    const status = typeStatus(type.keyword, file, line);
    if (status === "invoke") {
      const input: KvModelInput = name === "get" ? { key } : { key, value: value ?? "" };
      pairing.invoke(process, name, input, line);
    } else {
      pairing.complete(process, name, status, name === "get" ? (value ?? "") : null, line);
    }
  });
  return { format: "kv", ops: pairing.ops, model: kvModel };
}

const JEPSEN_LINE = /^\S+\s+jepsen\.util\s+-\s+(.*)$/;
const OTHER_LOG_LINE = /^(TRACE|DEBUG|INFO|WARN|ERROR|FATAL)\s/;
const ETCD_FIELDS = /^(\d+)\s+(:\w+)\s+(:\w+)\s+(nil|-?\d+|\[\s*(?:nil|-?\d+)\s+(?:nil|-?\d+)\s*\]|:[\w-]+)\s*$/;

function etcdValue(s: string): unknown {
  if (s === "nil") return null;
  if (s.startsWith("[")) return s.slice(1, -1).trim().split(/\s+/).map(etcdValue);
  if (s.startsWith(":")) return { keyword: s };
  return Number(s);
}

/** Parses a Jepsen etcd log (one register); other log lines (jepsen.core...) are skipped. */
export function parseJepsenEtcdLog(text: string, file?: string): ParsedHistory {
  const pairing = new Pairing(file);
  lines(text).forEach((raw, i) => {
    const line = i + 1;
    const s = raw.trim();
    if (s === "") return;
    const m = JEPSEN_LINE.exec(s);
    if (m === null) {
      if (OTHER_LOG_LINE.test(s)) return;
      throw new HistoryParseError(`not a Jepsen log line: ${JSON.stringify(s.slice(0, 60))}`, file, line);
    }
    const fields = ETCD_FIELDS.exec(m[1]!);
    if (fields === null) {
      throw new HistoryParseError(`expected "<process> :<type> :<f> <value>" after "jepsen.util - ", got ${JSON.stringify(m[1]!.slice(0, 60))}`, file, line);
    }
    const process = Number(fields[1]);
    const f = fields[3]!.slice(1);
    if (f !== "read" && f !== "write" && f !== "cas") throw new HistoryParseError(`unknown operation :${f}; expected :read, :write or :cas`, file, line);
    const value = etcdValue(fields[4]!);
    const status = typeStatus(fields[2]!, file, line);
    if (status === "invoke") {
      if (f === "write" && typeof value !== "number") throw new HistoryParseError(`a write needs a number, got ${fields[4]}`, file, line);
      if (f === "cas" && !Array.isArray(value)) throw new HistoryParseError(`a cas needs [from to], got ${fields[4]}`, file, line);
      pairing.invoke(process, f, f === "read" ? null : value, line);
    } else {
      if (status === "ok" && f === "read" && typeof value !== "number" && value !== null) {
        throw new HistoryParseError(`a read's :ok needs the value read, got ${fields[4]}`, file, line);
      }
      // A successful cas answers true (the swap happened); a read answers its value.
      pairing.complete(process, f, status, f === "read" ? value : f === "cas" ? true : null, line);
    }
  });
  return { format: "jepsen-etcd", ops: pairing.ops, model: registerModel };
}

/** Which format a file's text is in, from its first non-blank line ("empty" if there is none). */
export function detectHistoryFormat(text: string, file?: string): HistoryFormat {
  const all = lines(text);
  const index = all.findIndex((l) => l.trim() !== "");
  if (index < 0) return "empty";
  const first = all[index]!.trim();
  if (first.startsWith("{")) return "kv";
  if (JEPSEN_LINE.test(first) || OTHER_LOG_LINE.test(first)) return "jepsen-etcd";
  throw new HistoryParseError(
    `cannot tell the format: expected an EDN map such as {:process 0, :type :invoke, ...} or a Jepsen log line such as "INFO  jepsen.util - 0 :invoke :read nil", got ${JSON.stringify(first.slice(0, 60))}`,
    file,
    index + 1,
  );
}

/**
 * Parses a history file's text in whichever format it is. An empty file is an empty history
 * (no operations), which is trivially linearizable; it is checked against the register model.
 */
export function parseHistoryFile(text: string, file?: string): ParsedHistory {
  const format = detectHistoryFormat(text, file);
  if (format === "kv") return parseKvHistory(text, file);
  if (format === "jepsen-etcd") return parseJepsenEtcdLog(text, file);
  return { format: "empty", ops: [], model: registerModel };
}
