/**
 * Errors the simulator throws. Each message says what was wrong and what to change, because the
 * person reading it is usually a learner who just edited one parameter in a notebook cell.
 */

/** An invalid simulation setup: unknown node, impossible latency, probability outside [0, 1]... */
export class SimulationConfigError extends Error {
  override readonly name = "SimulationConfigError";
  constructor(message: string) {
    super(message);
  }
}

/** A run hit one of its limits (events or simulated time): usually a livelock or a runaway loop. */
export class RunLimitError extends Error {
  override readonly name = "RunLimitError";
  constructor(
    message: string,
    /** The seed that reproduces the run. */
    readonly seed: string,
    /** Simulated time (ms) when the run was stopped. */
    readonly timeMs: number,
    /** Events processed when the run was stopped. */
    readonly events: number,
  ) {
    super(message);
  }
}

/** An exception thrown by node, client or scheduled code, with where and when it happened. */
export class NodeCodeError extends Error {
  override readonly name = "NodeCodeError";
  constructor(
    message: string,
    /** The seed that reproduces the run. */
    readonly seed: string,
    /** Simulated time (ms) of the failing event. */
    readonly timeMs: number,
    /** What the node, client or action threw. */
    override readonly cause: unknown,
  ) {
    super(message);
  }
}

/** Throws a SimulationConfigError naming `what` unless `value` is a finite number >= 0. */
export function requireFiniteNonNegative(value: number, what: string, hint = ""): void {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new SimulationConfigError(
      `${what} must be a finite number >= 0, got ${String(value)}.${hint ? " " + hint : ""}`,
    );
  }
}

/** Throws a SimulationConfigError naming `what` unless `value` is a number in [0, 1]. */
export function requireProbability(value: number, what: string): void {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new SimulationConfigError(
      `${what} is a probability and must be between 0 and 1, got ${String(value)}. ` +
        `For example 0.05 drops one message in twenty.`,
    );
  }
}
