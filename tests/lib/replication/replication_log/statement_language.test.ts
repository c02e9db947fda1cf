import { describe, expect, it } from "vitest";
import { sql, statementCalls, statementText } from "../../../../lib/replication/replication_log/statement_language";

describe("statement language", () => {
  it("prints statements as SQL, quoting strings and parenthesising nested arithmetic", () => {
    expect(statementText(sql.insert("users", { name: "o'hara", created: sql.now(), score: sql.floor(sql.times(sql.rand(), 100)) }))).toBe(
      "INSERT INTO users (name, created, score) VALUES ('o''hara', NOW(), FLOOR(RAND() * 100))",
    );
    expect(statementText(sql.update("stock", { qty: sql.minus(sql.col("qty"), 1) }, [sql.where("sku", "=", "p1"), sql.where("qty", ">", 0)]))).toBe(
      "UPDATE stock SET qty = qty - 1 WHERE sku = 'p1' AND qty > 0",
    );
    expect(statementText(sql.delete("sessions", []))).toBe("DELETE FROM sessions");
    expect(statementText(sql.insert("t", { a: null, b: sql.plus(sql.plus(1, 2), 3) }))).toBe("INSERT INTO t (a, b) VALUES (NULL, (1 + 2) + 3)");
  });

  it("lists calls in evaluation order: values, then SET, then WHERE, depth first", () => {
    const s = sql.update("t", { a: sql.plus(sql.ticket(), sql.rand()), b: sql.now() }, [sql.where("c", "<", sql.floor(sql.rand()))]);
    expect(statementCalls(s)).toEqual(["TICKET", "RAND", "NOW", "RAND"]);
    expect(statementCalls(sql.insert("t", { a: 1, b: sql.col("x") }))).toEqual([]);
  });
});
