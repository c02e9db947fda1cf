import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { EXIT, checkHistoryFile, checkHistoryFiles } from "../../../scripts/history_check/check_files";

const fixtures = path.join(__dirname, "../../fixtures/histories");

describe("check-history", () => {
  it("prints the verdict and exits 0 or 1; --explain adds the explanation", () => {
    const good = checkHistoryFile(path.join(fixtures, "kv/c01-ok.txt"));
    expect([good.out, good.exitCode]).toEqual([["linearizable"], EXIT.linearizable]);
    const bad = checkHistoryFile(path.join(fixtures, "kv/c01-bad.txt"), { explain: true });
    expect(bad.out[0]).toBe("not linearizable");
    expect(bad.exitCode).toBe(EXIT.notLinearizable);
    expect(bad.out.join("\n")).toContain("returned before it could take effect");
  });

  it("says linearizable for an empty log, with a note", () => {
    const empty = checkHistoryFile(path.join(fixtures, "jepsen-etcd/etcd_095.log"));
    expect(empty.out).toEqual(["linearizable"]);
    expect(empty.err[0]).toContain("is empty");
  });

  it("exits 2 naming the file (and line) it cannot read or parse", () => {
    const missing = checkHistoryFile("/no/such/history.txt");
    expect([missing.exitCode, missing.err]).toEqual([EXIT.unreadable, ["cannot read /no/such/history.txt: no such file"]]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "history-"));
    const file = path.join(dir, "broken.log");
    fs.writeFileSync(file, "INFO  jepsen.util - 0\t:invoke\t:read\tnil\nINFO  jepsen.util - 0\t:ok\n");
    const broken = checkHistoryFile(file);
    expect(broken.exitCode).toBe(EXIT.unreadable);
    expect(broken.err[0]).toContain(`${file}:2:`);
  });

  it("answers unknown (exit 3) when the step limit is too small", () => {
    const r = checkHistoryFile(path.join(fixtures, "kv/c10-ok.txt"), { maxSteps: 10 });
    expect(r.out[0]).toBe("unknown (the step limit was reached)");
    expect(r.exitCode).toBe(EXIT.unknown);
  });

  it("with several files, reports the worst exit code", () => {
    const files = ["kv/c01-ok.txt", "kv/c01-bad.txt"].map((f) => path.join(fixtures, f));
    expect(checkHistoryFiles(files).exitCode).toBe(EXIT.notLinearizable);
    expect(checkHistoryFiles([...files, "/no/such/file"]).exitCode).toBe(EXIT.unreadable);
  });
});
