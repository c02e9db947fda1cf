import { SimulationConfigError } from "../../sim/errors";

/**
 * An impossible leaderless configuration: w larger than n, r below 1, more replicas than nodes...
 * A subclass of SimulationConfigError, so code that catches configuration errors in general
 * still catches it; the message names the setting to change.
 */
export class LeaderlessConfigError extends SimulationConfigError {}
