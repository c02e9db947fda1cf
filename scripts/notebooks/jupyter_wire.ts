/**
 * The Jupyter messaging protocol (v5.3) on the wire: building, signing, framing and parsing
 * messages. Pure functions over Buffers; the sockets live in kernel_client.ts.
 *
 * A message on the wire is a list of frames:
 *   [routing ids..., "<IDS|MSG>", HMAC hex, header, parent_header, metadata, content, buffers...]
 * The HMAC-SHA256 signature covers header, parent_header, metadata and content, in that order.
 * https://jupyter-client.readthedocs.io/en/latest/messaging.html#the-wire-protocol
 */
import { createHmac, randomUUID } from "node:crypto";

/** The Jupyter messaging protocol version this client speaks. */
export const PROTOCOL_VERSION = "5.3";
const DELIMITER = Buffer.from("<IDS|MSG>");

/** A Jupyter message header. */
export interface MessageHeader {
  msg_id: string;
  msg_type: string;
  session: string;
  username: string;
  date: string;
  version: string;
}

/** A decoded Jupyter message. */
export interface JupyterMessage<Content = Record<string, unknown>> {
  header: MessageHeader;
  /** The header of the request this message answers, or `{}`. */
  parent_header: Partial<MessageHeader>;
  metadata: Record<string, unknown>;
  content: Content;
}

/** Thrown for frames that are not a valid, correctly signed Jupyter message. */
export class WireProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WireProtocolError";
  }
}

/** A new request of `msgType` in `session`, with a fresh id and no parent. */
export function newMessage<Content extends object>(
  msgType: string,
  content: Content,
  session: string,
): JupyterMessage<Content> {
  return {
    header: {
      msg_id: randomUUID(),
      msg_type: msgType,
      session,
      username: "replication-course",
      date: new Date().toISOString(),
      version: PROTOCOL_VERSION,
    },
    parent_header: {},
    metadata: {},
    content,
  };
}

function sign(key: string, parts: Buffer[]): string {
  const hmac = createHmac("sha256", key);
  for (const part of parts) hmac.update(part);
  return hmac.digest("hex");
}

/** The frames to send on a DEALER socket (no routing ids: the kernel's ROUTER adds ours). */
export function encodeMessage(message: JupyterMessage<object>, key: string): Buffer[] {
  const parts = [message.header, message.parent_header, message.metadata, message.content].map((part) =>
    Buffer.from(JSON.stringify(part)),
  );
  return [DELIMITER, Buffer.from(sign(key, parts)), ...parts];
}

/** Parses and verifies received frames (any routing ids before the delimiter are dropped). */
export function decodeMessage(frames: Buffer[], key: string): JupyterMessage {
  const delimiterAt = frames.findIndex((frame) => frame.equals(DELIMITER));
  if (delimiterAt < 0) throw new WireProtocolError("message has no <IDS|MSG> delimiter");
  const signature = frames[delimiterAt + 1]?.toString();
  const parts = frames.slice(delimiterAt + 2, delimiterAt + 6);
  if (signature === undefined || parts.length < 4) {
    throw new WireProtocolError(`message has ${frames.length - delimiterAt - 1} frames after the delimiter, expected at least 5`);
  }
  if (key !== "" && signature !== sign(key, parts)) {
    throw new WireProtocolError("message signature does not match (wrong key?)");
  }
  const [header, parentHeader, metadata, content] = parts.map((part) => JSON.parse(part.toString("utf8")));
  return { header, parent_header: parentHeader, metadata, content };
}
