import { describe, expect, it } from "vitest";
import { WireProtocolError, decodeMessage, encodeMessage, newMessage } from "../../../scripts/notebooks/jupyter_wire";

describe("Jupyter wire protocol", () => {
  const key = "secret";
  const message = newMessage("execute_request", { code: "1 + 1" }, "session-1");

  it("round-trips a signed message, dropping routing ids", () => {
    const frames = [Buffer.from("router-id"), ...encodeMessage(message, key)];
    expect(decodeMessage(frames, key)).toEqual(message);
  });

  it("frames as <IDS|MSG>, HMAC-SHA256 hex, header, parent, metadata, content", () => {
    const frames = encodeMessage(message, key);
    expect(frames[0]!.toString()).toBe("<IDS|MSG>");
    expect(frames[1]!.toString()).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(frames[2]!.toString()).version).toBe("5.3");
    expect(frames).toHaveLength(6);
  });

  it("rejects a message signed with another key", () => {
    expect(() => decodeMessage(encodeMessage(message, "other"), key)).toThrow(WireProtocolError);
  });

  it("rejects frames without the delimiter", () => {
    expect(() => decodeMessage([Buffer.from("x")], key)).toThrow(/delimiter/);
  });
});
