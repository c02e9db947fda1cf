import { describe, expect, it } from "vitest";
import { checkConsistentPrefix, checkSessionGuarantees } from "../../../../lib/checkers/session";
import { r, w } from "./helpers";

/** Mr Poons asks in partition p1; Mrs Cake answers in p2 (the answer depends on the question). */
function conversation() {
  const question = w("poons", "question", 5, 0, { partition: "p1", label: "the question" });
  const answer = w("cake", "answer", 3, 10, { partition: "p2", dependsOn: [question.id], label: "the answer" });
  return { question, answer };
}

describe("checkConsistentPrefix", () => {
  it("reports an answer seen without its question in the same view", () => {
    const { question, answer } = conversation();
    const seesQuestion = r("observer", "question", null, 20, { partition: "p1", group: "page1", replica: "p1n3" });
    const seesAnswer = r("observer", "answer", 3, 21, { partition: "p2", group: "page1", replica: "p2n2" });
    const v = checkConsistentPrefix([question, answer, seesQuestion, seesAnswer]);
    expect(v).toHaveLength(1);
    expect(v[0]!.read).toBe(seesQuestion);
    expect(v[0]!.because).toBe(seesAnswer);
    expect(v[0]!.explanation).toContain("saw the answer");
    expect(v[0]!.explanation).toContain("in the same view");
    expect(v[0]!.explanation).toContain("the question, which it depends on (p1 position 5), was missing");
  });

  it("accepts a view with both, or with the question only (a prefix)", () => {
    const { question, answer } = conversation();
    const both = [r("o", "question", 5, 20, { partition: "p1", group: "g" }), r("o", "answer", 3, 21, { partition: "p2", group: "g" })];
    const prefix = [r("o", "question", 5, 20, { partition: "p1", group: "h" }), r("o", "answer", null, 21, { partition: "p2", group: "h" })];
    expect(checkConsistentPrefix([question, answer, ...both, ...prefix])).toEqual([]);
  });

  it("does not blame an earlier, separate look at the question (it may not have existed yet)", () => {
    const { question, answer } = conversation();
    const ops = [question, answer, r("o", "question", null, 1, { partition: "p1" }), r("o", "answer", 3, 20, { partition: "p2" })];
    expect(checkConsistentPrefix(ops)).toEqual([]);
  });

  it("flags a later read that loses the cause after the effect was seen", () => {
    const { question, answer } = conversation();
    const ops = [question, answer, r("o", "answer", 3, 20, { partition: "p2" }), r("o", "question", 4, 30, { partition: "p1" })];
    const v = checkConsistentPrefix(ops);
    expect(v).toHaveLength(1);
    expect(v[0]!.explanation).toContain("afterwards");
  });

  it("follows dependencies transitively and ignores unknown ids", () => {
    const { question, answer } = conversation();
    const thanks = w("poons", "thanks", 8, 15, { partition: "p3", dependsOn: [answer.id, 999] });
    const ops = [question, answer, thanks, r("o", "thanks", 8, 20, { partition: "p3", group: "g" }), r("o", "question", null, 20, { partition: "p1", group: "g" })];
    expect(checkConsistentPrefix(ops).map((v) => v.read.key)).toEqual(["question"]);
  });

  it("only counts the exact version that carries the dependency", () => {
    const { question, answer } = conversation();
    // Position 2 of "answer" is an older, unrelated value: it depends on nothing.
    const ops = [question, answer, r("o", "answer", 2, 20, { partition: "p2", group: "g" }), r("o", "question", null, 20, { partition: "p1", group: "g" })];
    expect(checkConsistentPrefix(ops)).toEqual([]);
  });
});

describe("checkSessionGuarantees", () => {
  it("runs all three and counts each anomalous read once", () => {
    const ops = [w("s1", "x", 5, 0), r("s1", "x", 6, 5), r("s1", "x", 4, 10)];
    const report = checkSessionGuarantees(ops);
    expect(report.readYourWrites).toHaveLength(1);
    expect(report.monotonicReads).toHaveLength(1);
    expect(report.anomalousReads).toBe(1);
    expect(report.reads).toBe(2);
  });
});
