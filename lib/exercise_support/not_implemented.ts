/**
 * Thrown by every starter function until the learner writes it. The grader recognises it by
 * name (not by class: exercises may load a second copy of this module) and reports the exercise
 * as "not started" rather than failing.
 */
export class NotImplementedError extends Error {
  override readonly name = "NotImplementedError";
  constructor(readonly functionName: string) {
    super(`not implemented yet: ${functionName}`);
  }
}

/** The error a starter function throws: `throw notImplemented("electNewLeader")`. */
export function notImplemented(functionName: string): NotImplementedError {
  return new NotImplementedError(functionName);
}

/** True for a NotImplementedError from any copy of this module. */
export function isNotImplemented(err: unknown): err is NotImplementedError {
  return err instanceof Error && err.name === "NotImplementedError";
}
