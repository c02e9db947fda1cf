/**
 * How a row is laid out as bytes on a page, in two versions of the storage engine. Version 2
 * changed the layout (a magic header, length-prefixed fields, columns in name order), as real
 * engines do between major releases. Write-ahead log shipping copies these bytes, so a replica
 * can only replay them with the engine version that wrote them.
 */
import { StatementError, type TableSchema, type CellValue } from "./statement_language";

/** The storage engine's on-disk format versions. */
export type StorageFormatVersion = 1 | 2;

/** A byte-level log record written in one storage format was handed to an engine of another. */
export class WalFormatError extends Error {
  override readonly name = "WalFormatError";
  constructor(
    message: string,
    /** Format the record was written in. */
    readonly recordFormat: StorageFormatVersion,
    /** Format of the engine that refused it. */
    readonly engineFormat: StorageFormatVersion,
  ) {
    super(message);
  }
}

/** Throws unless `v` is a known format version. */
export function requireFormatVersion(v: unknown): asserts v is StorageFormatVersion {
  if (v !== 1 && v !== 2) throw new StatementError(`storage format version must be 1 or 2, got ${JSON.stringify(v)}.`);
}

const SEPARATOR = "\u001f";

function tagged(v: CellValue): string {
  return v === null ? "0" : typeof v === "number" ? "n" + String(v) : "s" + v;
}

function untag(s: string): CellValue {
  if (s === "0") return null;
  if (s[0] === "n") return Number(s.slice(1));
  if (s[0] === "s") return s.slice(1);
  throw new WalFormatError(`unreadable field ${JSON.stringify(s)}`, 1, 1);
}

function toHex(text: string): string {
  return Buffer.from(text, "utf8").toString("hex");
}

function fromHex(hex: string): string {
  return Buffer.from(hex, "hex").toString("utf8");
}

function columnsOf(schema: TableSchema, format: StorageFormatVersion): string[] {
  const all = [schema.key, ...schema.columns];
  return format === 1 ? all : all.slice().sort();
}

/** Encodes a row as hex bytes in the given format. */
export function encodeRow(row: Readonly<Record<string, CellValue>>, schema: TableSchema, format: StorageFormatVersion): string {
  const fields = columnsOf(schema, format).map((c) => tagged(row[c] ?? null));
  if (format === 1) return toHex(fields.join(SEPARATOR));
  return toHex("R2" + fields.map((f) => `${f.length}:${f}`).join(""));
}

/** Decodes hex bytes written in `format` (the caller has checked the format matches). */
export function decodeRow(hex: string, schema: TableSchema, format: StorageFormatVersion): Record<string, CellValue> {
  const text = fromHex(hex);
  const cols = columnsOf(schema, format);
  let fields: string[];
  if (format === 1) {
    fields = text.split(SEPARATOR);
  } else {
    if (!text.startsWith("R2")) throw new WalFormatError(`page bytes lack the format v2 header`, 1, 2);
    fields = [];
    let i = 2;
    while (i < text.length) {
      const colon = text.indexOf(":", i);
      const len = Number(text.slice(i, colon));
      fields.push(text.slice(colon + 1, colon + 1 + len));
      i = colon + 1 + len;
    }
  }
  if (fields.length !== cols.length) throw new WalFormatError(`page bytes hold ${fields.length} fields, table ${schema.name} has ${cols.length}`, format, format);
  const byColumn = new Map(cols.map((c, i) => [c, untag(fields[i]!)]));
  // Rows always come back in schema order (key first), whatever order the format stores them in.
  const row: Record<string, CellValue> = {};
  for (const c of [schema.key, ...schema.columns]) row[c] = byColumn.get(c) ?? null;
  return row;
}
