import { describe, expect, it } from "vitest";
import { HistoryParseError, detectHistoryFormat, parseHistoryFile, parseJepsenEtcdLog, parseKvHistory } from "../../../../../lib/checkers";

describe("parseKvHistory", () => {
  it("pairs invocations with completions per process; a get's value comes from its :ok", () => {
    const text = [
      '{:process 0, :type :invoke, :f :get, :key "1", :value nil}',
      '{:process 1, :type :invoke, :f :append, :key "1", :value "x 1 0 y"}',
      '{:process 0, :type :ok, :f :get, :key "1", :value ""}',
      '{:process 1, :type :ok, :f :append, :key "1", :value "x 1 0 y"}',
      '{:process 2, :type :invoke, :f :put, :key "2", :value "a \\"q\\""}',
    ].join("\n");
    const { format, ops } = parseKvHistory(text, "t.txt");
    expect(format).toBe("kv");
    expect(ops).toEqual([
      { id: 0, client: 0, f: "get", input: { key: "1" }, status: "ok", output: "", invokeMs: 1, completeMs: 3 },
      { id: 1, client: 1, f: "append", input: { key: "1", value: "x 1 0 y" }, status: "ok", output: null, invokeMs: 2, completeMs: 4 },
      { id: 2, client: 2, f: "put", input: { key: "2", value: 'a "q"' }, status: "pending", invokeMs: 5 },
    ]);
  });

  it("maps :fail to fail and :info to unknown", () => {
    const text = [
      '{:process 0, :type :invoke, :f :put, :key "1", :value "a"}',
      '{:process 0, :type :fail, :f :put, :key "1", :value "a"}',
      '{:process 0, :type :invoke, :f :put, :key "1", :value "b"}',
      '{:process 0, :type :info, :f :put, :key "1", :value "b"}',
    ].join("\n");
    expect(parseKvHistory(text).ops.map((o) => o.status)).toEqual(["fail", "unknown"]);
  });

  it("names the file and line of what it cannot read", () => {
    const err = (text: string) => {
      try {
        parseKvHistory(text, "h.txt");
      } catch (e) {
        expect(e).toBeInstanceOf(HistoryParseError);
        return (e as HistoryParseError).message;
      }
      throw new Error("expected a parse error");
    };
    expect(err('{:process 0, :type :invoke, :f :get, :key "1"}\n{:process 0, :type :ok, :f :get, :key "1", :value ""')).toMatch(/^h\.txt:2: the map is not closed/);
    expect(err('{:process 0, :type :ok, :f :get, :key "1", :value ""}')).toBe("h.txt:1: process 0 completes get but has no operation in progress");
    expect(err('{:process 0, :type :invoke, :f :cas, :key "1"}')).toMatch(/h\.txt:1: :f must be :get, :put or :append/);
    expect(err('\n{:process 0, :type :invoke, :f :get, :key "1"}\n{:process 0, :type :invoke, :f :get, :key "1"}')).toMatch(/h\.txt:3: process 0 invokes get while its get from line 2/);
  });
});

describe("parseJepsenEtcdLog", () => {
  it("reads tab or space separated lines, and the value of a read from its :ok", () => {
    const text = [
      "INFO  jepsen.util - 0\t:invoke\t:read\tnil",
      "INFO  jepsen.util - 1   :invoke :cas    [3 0]",
      "INFO  jepsen.core - something else happened",
      "INFO  jepsen.util - 0\t:ok\t:read\t3",
      "INFO  jepsen.util - 1\t:fail\t:cas\t[3 0]",
      "INFO  jepsen.util - 2\t:invoke\t:write\t4",
      "INFO  jepsen.util - 2\t:info\t:write\t:timed-out",
    ].join("\n");
    const { ops, model } = parseJepsenEtcdLog(text);
    expect(model.name).toBe("register");
    expect(ops.map((o) => [o.f, o.input, o.status, o.output, o.invokeMs, o.completeMs])).toEqual([
      ["read", null, "ok", 3, 1, 4],
      ["cas", [3, 0], "fail", undefined, 2, 5],
      ["write", 4, "unknown", undefined, 6, 7],
    ]);
  });

  it("rejects malformed lines with the line number", () => {
    expect(() => parseJepsenEtcdLog("INFO  jepsen.util - 0\t:invoke\t:read\n", "e.log")).toThrow(/^e\.log:1: expected "<process> :<type> :<f> <value>"/);
    expect(() => parseJepsenEtcdLog("INFO  jepsen.util - 0\t:invoke\t:incr\t1", "e.log")).toThrow(/e\.log:1: unknown operation :incr/);
    expect(() => parseJepsenEtcdLog("hello", "e.log")).toThrow(/e\.log:1: not a Jepsen log line/);
  });
});

describe("detectHistoryFormat and parseHistoryFile", () => {
  it("tells the formats apart from the first non-blank line", () => {
    expect(detectHistoryFormat('\n{:process 0, :type :invoke, :f :get, :key "1"}')).toBe("kv");
    expect(detectHistoryFormat("INFO  jepsen.util - 0\t:invoke\t:read\tnil")).toBe("jepsen-etcd");
    expect(detectHistoryFormat("")).toBe("empty");
    expect(detectHistoryFormat(" \n\n")).toBe("empty");
    expect(() => detectHistoryFormat("\nread x 1", "f.txt")).toThrow(/^f\.txt:2: cannot tell the format/);
  });

  it("gives an empty history for an empty file", () => {
    const parsed = parseHistoryFile("", "empty.log");
    expect(parsed.format).toBe("empty");
    expect(parsed.ops).toEqual([]);
  });
});
