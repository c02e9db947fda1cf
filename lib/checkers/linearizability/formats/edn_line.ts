/**
 * Reads one line of the EDN-like maps Jepsen and Porcupine print, e.g.
 * `{:process 3, :type :invoke, :f :append, :key "4", :value "x 3 1 y"}`: a flat map from keywords
 * to strings, keywords, numbers, nil, true/false or vectors of those. Not a general EDN reader.
 */

/** A value of the map: keywords keep their leading colon (":invoke"), nil is null. */
export type EdnValue = string | number | boolean | null | { keyword: string } | EdnValue[];

/** Thrown with the column (1-based) where the line stops making sense. */
export class EdnLineError extends Error {
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(message);
  }
}

const SPACE = /[\s,]*/y;
const KEYWORD = /:[A-Za-z_*+!?<>=\-.][\w*+!?<>=\-./]*/y;
const STRING = /"((?:[^"\\]|\\.)*)"/y;
const NUMBER = /-?\d+(?:\.\d+)?(?![\w.])/y;
const SYMBOL = /(nil|true|false)(?![\w-])/y;

function match(re: RegExp, s: string, at: number): RegExpExecArray | null {
  re.lastIndex = at;
  return re.exec(s);
}

function unescape(body: string): string {
  return body.replace(/\\(.)/g, (_m, c: string) => (c === "n" ? "\n" : c === "t" ? "\t" : c));
}

/** Parses one value at `at`; returns it and the position after it. */
function readValue(s: string, at: number): [EdnValue, number] {
  let m: RegExpExecArray | null;
  if ((m = match(STRING, s, at)) !== null) return [unescape(m[1]!), STRING.lastIndex];
  if ((m = match(KEYWORD, s, at)) !== null) return [{ keyword: m[0] }, KEYWORD.lastIndex];
  if ((m = match(NUMBER, s, at)) !== null) return [Number(m[0]), NUMBER.lastIndex];
  if ((m = match(SYMBOL, s, at)) !== null) return [m[1] === "nil" ? null : m[1] === "true", SYMBOL.lastIndex];
  if (s[at] === "[") {
    const items: EdnValue[] = [];
    let i = skip(s, at + 1);
    while (s[i] !== "]") {
      if (i >= s.length) throw new EdnLineError("a vector [ is not closed", at + 1);
      const [v, next] = readValue(s, i);
      items.push(v);
      i = skip(s, next);
    }
    return [items, i + 1];
  }
  throw new EdnLineError(`expected a value (string, keyword, number, nil or vector) but found ${JSON.stringify(s.slice(at, at + 12))}`, at + 1);
}

function skip(s: string, at: number): number {
  SPACE.lastIndex = at;
  SPACE.exec(s);
  return SPACE.lastIndex;
}

/** Parses `{:k v, ...}` into a Map from keyword (without colon) to value. */
export function parseEdnLine(line: string): Map<string, EdnValue> {
  const s = line.trim();
  if (!s.startsWith("{")) throw new EdnLineError("a line must be a map starting with {", 1);
  const out = new Map<string, EdnValue>();
  let i = skip(s, 1);
  while (s[i] !== "}") {
    if (i >= s.length) throw new EdnLineError("the map is not closed with }", s.length);
    const k = match(KEYWORD, s, i);
    if (k === null) throw new EdnLineError(`expected a :keyword but found ${JSON.stringify(s.slice(i, i + 12))}`, i + 1);
    i = skip(s, KEYWORD.lastIndex);
    const [v, next] = readValue(s, i);
    out.set(k[0].slice(1), v);
    i = skip(s, next);
  }
  if (skip(s, i + 1) < s.length) throw new EdnLineError("unexpected text after the closing }", i + 2);
  return out;
}
