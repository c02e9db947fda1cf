/**
 * The checker on real recorded histories (copies in tests/fixtures/histories, from Porcupine's test
 * data). The kv answers come from the files' names and the table in their README; the etcd ones
 * are derived here: a linearizable verdict is confirmed by replaying the returned order with an
 * independent validator, and etcd_000's violation is explained in the fixtures' README.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { checkLinearizability, explainLinearizability, parseHistoryFile } from "../../../../lib/checkers";
import { isLinearization } from "./helpers";

const fixtures = path.join(__dirname, "../../../fixtures/histories");
const shared = "/work/shared/histories";

function check(file: string) {
  const parsed = parseHistoryFile(fs.readFileSync(file, "utf8"), file);
  return { parsed, result: checkLinearizability(parsed.model, parsed.ops, { maxSteps: 5_000_000 }) };
}

/** Every linearizable partition's order must pass the independent validator. */
function expectValidOrders(result: ReturnType<typeof check>["result"]): void {
  for (const p of result.partitions) {
    if (p.verdict !== "linearizable") continue;
    const ops = p.ops.map((r) => ({ f: r.op.f, input: r.op.input, output: r.output, invokeMs: r.op.invokeMs, returnTime: r.returnTime }));
    expect(isLinearization(result.model === "register" ? registerLike() : kvLike(), ops, p.order!), `key ${p.key}`).toBe(true);
  }
}

// Plain re-statements of the two models for the validator (not the library's code).
function registerLike() {
  return {
    init: () => null as unknown,
    step(s: unknown, f: string, input: any, output: any) {
      if (f === "read") return { ok: output === undefined || s === output, state: s };
      if (f === "write") return { ok: true, state: input as unknown };
      const [from, to] = input as [unknown, unknown];
      if (output === undefined) return { ok: true, state: s === from ? to : s };
      return { ok: s === from, state: to };
    },
  };
}
function kvLike() {
  return {
    init: () => "",
    step(s: string, f: string, input: any, output: any) {
      if (f === "get") return { ok: output === undefined || output === s, state: s };
      return { ok: true, state: f === "put" ? (input.value as string) : s + (input.value as string) };
    },
  };
}

describe("the six kv histories (answers from their names)", () => {
  for (const name of ["c01-ok", "c01-bad", "c10-ok", "c10-bad", "c50-ok", "c50-bad"]) {
    it(`${name} is ${name.endsWith("ok") ? "linearizable" : "not linearizable"}`, () => {
      const { result } = check(path.join(fixtures, "kv", `${name}.txt`));
      expect(result.verdict).toBe(name.endsWith("ok") ? "linearizable" : "not linearizable");
      expectValidOrders(result);
      if (name.endsWith("bad")) expect(explainLinearizability(result)).toMatch(/Not linearizable: key "\d+" cannot be ordered/);
    });
  }
});

describe("Jepsen etcd logs", () => {
  it("etcd_000 is not linearizable, and the explanation names the read of 2 at line 85", () => {
    const { result } = check(path.join(fixtures, "jepsen-etcd", "etcd_000.log"));
    expect(result.verdict).toBe("not linearizable");
    const failure = result.partitions[0]!.failure!;
    expect(failure.blocking.op.invokeMs).toBe(85);
    expect(failure.blocking.description).toBe("read() → 2");
  });

  it("etcd_002 is linearizable, and the order found passes an independent replay", () => {
    const { result } = check(path.join(fixtures, "jepsen-etcd", "etcd_002.log"));
    expect(result.verdict).toBe("linearizable");
    expectValidOrders(result);
  });

  it("the empty etcd_095 is an empty history, hence linearizable", () => {
    const { parsed, result } = check(path.join(fixtures, "jepsen-etcd", "etcd_095.log"));
    expect(parsed.format).toBe("empty");
    expect(result.verdict).toBe("linearizable");
  });
});

describe.skipIf(!fs.existsSync(shared))("every shared history (only where /work/shared/histories exists)", () => {
  it("decides every Jepsen etcd log, and every linearizable order replays", () => {
    const dir = path.join(shared, "jepsen-etcd");
    for (const f of fs.readdirSync(dir).sort()) {
      const { result } = check(path.join(dir, f));
      expect(result.verdict, f).not.toBe("unknown");
      expectValidOrders(result);
    }
  });
});

if (!fs.existsSync(shared)) {
  console.log(`Skipping the all-etcd-logs test: ${shared} does not exist here (the fixtures still cover 3 logs).`);
}
