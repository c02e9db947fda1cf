/**
 * Simulator throughput benchmark: `npm run bench [-- --help]`.
 *
 * Measures, in one process:
 *  (a) delivered messages per wall-clock second of a many-node forwarding workload on the
 *      Simulation (tracing off): every node keeps a fixed number of messages in flight by
 *      forwarding each message it receives to its next peer, so the event queue holds
 *      nodes x inFlightPerNode messages throughout;
 *  (b) the same number of pop + push pairs through a bare EventQueue holding the same number of
 *      events, each push allocating a fresh event object like the simulator does.
 * The ratio (b)/(a) is the simulator's cost over its own priority queue. Each measurement is
 * warmed up first and reported as the median of several repetitions. Real time is fine here:
 * this is a benchmark, not simulation code.
 */
import { Command, InvalidArgumentError } from "commander";
import * as cliProgress from "cli-progress";
import { performance } from "node:perf_hooks";
import * as os from "node:os";
import { EventQueue, type Scheduled } from "../lib/sim/event_queue";
import { RandomStreams } from "../lib/sim/random";
import { SimulationConfigError } from "../lib/sim/errors";
import { latency as latencyOf, describeLatency, sampleLatency, validateLatency, type Latency } from "../lib/sim/latency";
import { Simulation } from "../lib/sim/simulation";
import type { NodeContext, NodeLogic } from "../lib/sim/node";

/** Everything that defines one benchmark run; printed with the results. */
interface BenchParameters {
  nodes: number;
  inFlightPerNode: number;
  /** Deliveries (and bare-queue pop+push pairs) per repetition. */
  messagesPerRep: number;
  repetitions: number;
  warmups: number;
  latency: Latency;
  seed: string;
}

/** The throughput aim this benchmark reports against (it only reports; nothing fails). */
const TARGET_DELIVERED_PER_S = 1_000_000;
const TARGET_MAX_RATIO = 4;

/**
 * Forwards every message it receives to its next peer (round robin), so the number of messages
 * in flight stays constant. The payload is a number, so the workload allocates nothing itself.
 */
class Forwarder implements NodeLogic<number> {
  private nextPeer = 0;

  constructor(private readonly inFlight: number) {}

  onStart(ctx: NodeContext<number>): void {
    for (let i = 0; i < this.inFlight; i++) this.forward(ctx, i);
  }

  onMessage(ctx: NodeContext<number>, _from: string, message: number): void {
    this.forward(ctx, message);
  }

  private forward(ctx: NodeContext<number>, message: number): void {
    const peers = ctx.peers;
    ctx.send(peers[this.nextPeer] as string, message);
    this.nextPeer = this.nextPeer + 1 === peers.length ? 0 : this.nextPeer + 1;
  }
}

interface Measurement {
  operations: number;
  seconds: number;
}

/** (a) One simulator run until `messagesPerRep` messages were delivered. */
function measureSimulator(p: BenchParameters): Measurement {
  const ids = Array.from({ length: p.nodes }, (_, i) => `n${i}`);
  const sim = new Simulation<number>({
    seed: p.seed,
    nodes: ids,
    createNode: () => new Forwarder(p.inFlightPerNode),
    network: { latency: p.latency },
    trace: false,
    limits: { maxEvents: Number.MAX_SAFE_INTEGER },
  });
  sim.run({ untilMs: 0 }); // boot: every node puts its messages in flight
  const startDelivered = sim.stats.delivered;
  const start = performance.now();
  // Short slices of simulated time, so the run stops close to the target without a per-event
  // `until` callback distorting the measurement.
  while (sim.stats.delivered - startDelivered < p.messagesPerRep) sim.run({ forMs: 5 });
  const seconds = (performance.now() - start) / 1000;
  return { operations: sim.stats.delivered - startDelivered, seconds };
}

interface BareEvent extends Scheduled {
  target: number;
}

/**
 * (b) The same number of pop + push pairs through a bare EventQueue of the same size. Latencies
 * are drawn up front (from the same distribution), so this loop times the queue alone.
 */
function measureBareQueue(p: BenchParameters, latencies: Float64Array): Measurement {
  const queue = new EventQueue<BareEvent>();
  const size = p.nodes * p.inFlightPerNode;
  let l = 0;
  const nextLatency = (): number => {
    const x = latencies[l] as number;
    l = l + 1 === latencies.length ? 0 : l + 1;
    return x;
  };
  for (let i = 0; i < size; i++) queue.push({ time: nextLatency(), seq: 0, target: i % p.nodes });
  const start = performance.now();
  for (let i = 0; i < p.messagesPerRep; i++) {
    const ev = queue.pop() as BareEvent;
    queue.push({ time: ev.time + nextLatency(), seq: 0, target: (ev.target + 1) % p.nodes });
  }
  const seconds = (performance.now() - start) / 1000;
  return { operations: p.messagesPerRep, seconds };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

function formatRate(perSecond: number): string {
  return `${Math.round(perSecond).toLocaleString("en-US")}/s`;
}

function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive integer, got "${value}".`);
    return n;
  };
}

/** Parses `--latency`; rejects what the simulator would reject, and a network with no delay at all. */
export function parseLatency(value: string): Latency {
  const constant = /^constant:(\d+(?:\.\d+)?)$/.exec(value);
  const uniform = /^uniform:(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)$/.exec(value);
  let parsed: Latency;
  if (constant) parsed = latencyOf.constant(Number(constant[1]));
  else if (uniform) parsed = latencyOf.uniform(Number(uniform[1]), Number(uniform[2]));
  else throw new InvalidArgumentError(`latency must look like "constant:5" or "uniform:1-10", got "${value}".`);
  try {
    validateLatency(parsed, "--latency");
  } catch (err) {
    if (err instanceof SimulationConfigError) throw new InvalidArgumentError(err.message);
    throw err;
  }
  // With every delay 0, forwarded messages all arrive at the same instant: simulated time never
  // advances and the run (which stops on simulated time) would never end.
  const maxMs = parsed.kind === "constant" ? parsed.ms : parsed.kind === "uniform" ? parsed.maxMs : 1;
  if (maxMs === 0) throw new InvalidArgumentError(`latency must allow a delay above 0 ms, got "${value}": with none, simulated time never advances.`);
  return parsed;
}

function parseArguments(argv: string[]): BenchParameters {
  const program = new Command()
    .name("npm run bench --")
    .description("Delivered messages per second of the simulator, against a bare event-queue loop.")
    .option("--nodes <n>", "nodes in the cluster", positiveInt("--nodes"), 64)
    .option("--in-flight <n>", "messages each node keeps in flight", positiveInt("--in-flight"), 64)
    .option("--messages <n>", "deliveries per repetition", positiveInt("--messages"), 2_000_000)
    .option("--reps <n>", "measured repetitions (the median is reported)", positiveInt("--reps"), 5)
    .option("--warmups <n>", "unmeasured warm-up repetitions", (v) => (v === "0" ? 0 : positiveInt("--warmups")(v)), 2)
    .option("--latency <spec>", 'message latency: "constant:<ms>" or "uniform:<min>-<max>"', parseLatency, latencyOf.uniform(1, 10))
    .option("--seed <seed>", "simulation seed", "bench")
    .parse(argv);
  const o = program.opts<{ nodes: number; inFlight: number; messages: number; reps: number; warmups: number; latency: Latency; seed: string }>();
  if (o.nodes < 2) program.error("error: --nodes must be at least 2 (every message goes to a peer).");
  return {
    nodes: o.nodes,
    inFlightPerNode: o.inFlight,
    messagesPerRep: o.messages,
    repetitions: o.reps,
    warmups: o.warmups,
    latency: o.latency,
    seed: o.seed,
  };
}

function main(): void {
  const p = parseArguments(process.argv);
  const inFlight = p.nodes * p.inFlightPerNode;
  console.log(`Node ${process.version} (V8 ${process.versions.v8}), ${os.cpus().length} CPU(s): ${os.cpus()[0]?.model ?? "unknown"}`);
  console.log(
    `Parameters: ${p.nodes} nodes x ${p.inFlightPerNode} in flight = ${inFlight} queued messages, ` +
      `latency ${describeLatency(p.latency)}, ${p.messagesPerRep.toLocaleString("en-US")} messages per repetition, ` +
      `${p.warmups} warm-up + ${p.repetitions} measured repetitions, seed "${p.seed}", trace off`,
  );

  // Latencies for the bare loop, drawn from the same distribution as the simulator's.
  const rng = new RandomStreams(p.seed).stream("bench");
  const latencies = new Float64Array(1 << 16);
  for (let i = 0; i < latencies.length; i++) latencies[i] = sampleLatency(p.latency, rng);

  const totalSteps = 2 * (p.warmups + p.repetitions);
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: "{bar} {value}/{total} {phase}", hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(totalSteps, 0, { phase: "" });

  const simRates: number[] = [];
  const bareRates: number[] = [];
  // Alternate the two loops so that drift in machine load affects both alike.
  for (let rep = 0; rep < p.warmups + p.repetitions; rep++) {
    const warm = rep < p.warmups;
    bar.update({ phase: `${warm ? "warm-up" : "measuring"}: simulator` });
    const s = measureSimulator(p);
    bar.increment();
    bar.update({ phase: `${warm ? "warm-up" : "measuring"}: bare queue` });
    const b = measureBareQueue(p, latencies);
    bar.increment();
    if (!warm) {
      simRates.push(s.operations / s.seconds);
      bareRates.push(b.operations / b.seconds);
    }
  }
  bar.stop();

  const simMedian = median(simRates);
  const bareMedian = median(bareRates);
  const ratio = bareMedian / simMedian;
  console.log(`(a) simulator:  ${formatRate(simMedian)} delivered messages (median; runs: ${simRates.map(formatRate).join(", ")})`);
  console.log(`(b) bare queue: ${formatRate(bareMedian)} pop+push pairs (median; runs: ${bareRates.map(formatRate).join(", ")})`);
  console.log(`ratio bare/simulator: ${ratio.toFixed(2)}x`);
  const meetsRate = simMedian >= TARGET_DELIVERED_PER_S;
  const meetsRatio = ratio <= TARGET_MAX_RATIO;
  console.log(
    `aim: >= ${TARGET_DELIVERED_PER_S.toLocaleString("en-US")} delivered/s ${meetsRate ? "met" : "NOT met"}; ` +
      `within ${TARGET_MAX_RATIO}x of the bare queue ${meetsRatio ? "met" : "NOT met"}`,
  );
}

if (require.main === module) main();
