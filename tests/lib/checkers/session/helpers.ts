import type { SessionRead, SessionWrite } from "../../../../lib/checkers/session";

let nextId = 1;

/** A write of `key` at `position` by `session`, taking [at, at + 1] ms. */
export function w(session: string, key: string, position: number, at: number, extra: Partial<SessionWrite> = {}): SessionWrite {
  return { kind: "write", id: nextId++, session, key, position, invokeMs: at, completeMs: at + 1, ...extra };
}

/** A read of `key` by `session` from `replica` that returned `seen`, taking [at, at + 1] ms. */
export function r(session: string, key: string, seen: number | null, at: number, extra: Partial<SessionRead> = {}): SessionRead {
  return { kind: "read", id: nextId++, session, key, seen, replica: "n2", invokeMs: at, completeMs: at + 1, ...extra };
}
