import { SimulationConfigError } from "./errors";

/**
 * A node's local clock. Real clocks start wrong (offset) and run at the wrong rate (drift):
 * with drift 0.001 the clock gains 1 ms per simulated second. Local time = offset + (1 + drift) * t.
 * Timers are set in local time, so a fast clock fires its timeouts early in real (simulated) time.
 */
export interface ClockSettings {
  /** Local minus true time at t = 0, in ms. May be negative. */
  offsetMs?: number;
  /** Rate error: 0.0001 is 100 ppm fast, -0.0001 is 100 ppm slow. Must be > -1. */
  drift?: number;
}

export class LocalClock {
  offsetMs: number;
  drift: number;

  constructor(settings: ClockSettings = {}, nodeId = "?") {
    this.offsetMs = 0;
    this.drift = 0;
    this.set(settings, nodeId);
  }

  set(settings: ClockSettings, nodeId: string): void {
    const offset = settings.offsetMs ?? this.offsetMs;
    const drift = settings.drift ?? this.drift;
    if (!Number.isFinite(offset)) {
      throw new SimulationConfigError(`clock offsetMs of node "${nodeId}" must be a finite number, got ${offset}.`);
    }
    if (!Number.isFinite(drift) || drift <= -1) {
      throw new SimulationConfigError(
        `clock drift of node "${nodeId}" must be a finite number greater than -1 (a clock cannot run backwards), got ${drift}.`,
      );
    }
    this.offsetMs = offset;
    this.drift = drift;
  }

  /** Local reading at true simulated time `t`. */
  read(t: number): number {
    return this.offsetMs + (1 + this.drift) * t;
  }

  /** True duration that a local duration takes on this clock. */
  toTrueDuration(localMs: number): number {
    return localMs / (1 + this.drift);
  }
}
