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

/** One node's clock: a reading that is a linear function of true simulated time. */
export class LocalClock {
  /** Where the current rate line crosses true time 0: reading = offsetMs + (1 + drift) * t. */
  offsetMs: number;
  /** Current rate error (see ClockSettings.drift). */
  drift: number;

  constructor(settings: ClockSettings = {}, nodeId = "?") {
    this.offsetMs = 0;
    this.drift = 0;
    this.set(settings, nodeId);
  }

  /**
   * Changes the clock at true time `atMs` (default 0, before the run). A new `offsetMs` steps the
   * clock, like an NTP correction. A new `drift` alone changes only the rate from `atMs` on: the
   * reading at `atMs` stays what it was, because a clock that starts running fast does not also
   * jump ahead by everything it would have gained since t = 0.
   */
  set(settings: ClockSettings, nodeId: string, atMs = 0): void {
    const drift = settings.drift ?? this.drift;
    const offset = settings.offsetMs ?? (Number.isFinite(drift) ? this.read(atMs) - (1 + drift) * atMs : this.offsetMs);
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
