import { SimulationConfigError, requireFiniteNonNegative, requireProbability } from "./errors";
import { validateLatency, type Latency } from "./latency";
import type { NodeId } from "./trace";

/** How one direction of a link behaves. */
export interface LinkBehaviour {
  /** One-way delay of each message. */
  latency: Latency;
  /** Chance that a message is silently lost. */
  lossProbability: number;
}

/** Overrides the default behaviour between two endpoints, e.g. two datacenters 80 ms apart. */
export interface LinkOverride {
  /** One end of the link (the sender when `symmetric` is false). */
  from: NodeId;
  /** The other end (the receiver when `symmetric` is false). */
  to: NodeId;
  /** Latency on this link (default: what the link had before). */
  latency?: Latency;
  /** Loss on this link (default: what the link had before). */
  lossProbability?: number;
  /** Apply to both directions (default true). */
  symmetric?: boolean;
}

/** How the network behaves by default, and where it behaves differently. */
export interface NetworkConfig {
  /** Default one-way latency (default: uniform 1-5 ms). */
  latency?: Latency;
  /** Default chance that a message is lost (default 0). */
  lossProbability?: number;
  /** Chance that a message is delivered twice, each copy with its own latency (default 0). */
  duplicateProbability?: number;
  /** Chance that a message is held back by an extra random delay, overtaking order (default none). */
  reorder?: { probability: number; maxExtraDelayMs: number };
  /** Per-link exceptions to the defaults. */
  links?: readonly LinkOverride[];
}

/** The latency of a network configured without one: uniform 1-5 ms, a LAN. */
export const DEFAULT_LATENCY: Latency = { kind: "uniform", minMs: 1, maxMs: 5 };

/**
 * Throws a SimulationConfigError naming the field when the network config cannot be used.
 * `knownEndpoint` tells node and client ids apart from typos; `known` lists them for the message.
 */
export function validateNetworkConfig(config: NetworkConfig, knownEndpoint: (id: NodeId) => boolean, known: string): void {
  if (config.latency !== undefined) validateLatency(config.latency, "network.latency");
  if (config.lossProbability !== undefined) requireProbability(config.lossProbability, "network.lossProbability");
  if (config.duplicateProbability !== undefined) {
    requireProbability(config.duplicateProbability, "network.duplicateProbability");
  }
  if (config.reorder !== undefined) {
    requireProbability(config.reorder.probability, "network.reorder.probability");
    requireFiniteNonNegative(config.reorder.maxExtraDelayMs, "network.reorder.maxExtraDelayMs");
  }
  for (const [i, link] of (config.links ?? []).entries()) {
    validateLinkOverride(link, `network.links[${i}]`, knownEndpoint, known);
  }
}

/** Throws a SimulationConfigError when a link override names unknown endpoints or bad values. */
export function validateLinkOverride(
  link: LinkOverride,
  where: string,
  knownEndpoint: (id: NodeId) => boolean,
  known: string,
): void {
  for (const end of [link.from, link.to]) {
    if (!knownEndpoint(end)) {
      throw new SimulationConfigError(`${where} names unknown node "${end}". Known nodes and clients: ${known}.`);
    }
  }
  if (link.from === link.to) {
    throw new SimulationConfigError(`${where} links "${link.from}" to itself; a link joins two different nodes.`);
  }
  if (link.latency !== undefined) validateLatency(link.latency, where);
  if (link.lossProbability !== undefined) requireProbability(link.lossProbability, `${where}.lossProbability`);
}
