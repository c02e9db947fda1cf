import { describe, expect, it } from "vitest";
import type { TraceEvent } from "../../../../lib/sim";
import { SPACETIME_TEXT_LEGEND, spaceTimeText } from "../../../../lib/viz/spacetime/text";
import { VizInputError } from "../../../../lib/viz/errors";
import { busySim, faultySim, ofKind } from "../scenario";

/** Column of each lane name's lifeline, read from the header row (names are centred on it). */
function laneColumns(diagram: string, lanes: readonly string[]): Map<string, number> {
  const header = diagram.split("\n")[0]!;
  const cols = new Map<string, number>();
  let from = header.indexOf("│") + 1;
  for (const id of lanes) {
    const at = header.indexOf(id, from);
    expect(at, `lane ${id} in header ${header}`).toBeGreaterThan(0);
    cols.set(id, at + Math.floor((id.length - 1) / 2));
    from = at + id.length;
  }
  return cols;
}

/** The row whose description column is exactly `description` (unique in these tests). */
function rowFor(diagram: string, description: string): string[] {
  const rows = diagram.split("\n").filter((l) => l.includes(`│ ${description}`));
  expect(rows.length, `rows describing "${description}"`).toBeGreaterThan(0);
  return rows;
}

/** Characters of a row as an array, so columns count code points like the renderer does. */
const chars = (row: string) => Array.from(row);

describe("spaceTimeText on a run with a partition, a crash, a loss and a pause", () => {
  const sim = faultySim();
  const lanes = [...sim.nodes, ...sim.clients];
  const diagram = spaceTimeText(sim.trace, { nodes: sim.nodes, clients: sim.clients, width: 140 });
  const cols = laneColumns(diagram, lanes);

  it("puts every lane in the header, left to right in the order given", () => {
    const order = [...cols.values()];
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(cols.size).toBe(4);
  });

  it("draws one row per delivered message with ● on the sender's lane and the arrowhead on the receiver's", () => {
    const delivered = ofKind(sim.trace, "deliver");
    expect(delivered.length).toBeGreaterThan(20);
    for (const d of delivered) {
      const label = `${d.from} ──${d.label}──▶ ${d.to}`;
      expect(diagram).toContain(label);
      const rows = rowFor(diagram, label).filter((r) => r.includes(`(sent ${d.sentMs.toFixed(2)},`));
      expect(rows.length).toBeGreaterThan(0);
      const row = chars(rows[0]!);
      // The time column comes first, so the lane columns are offsets into the row.
      expect(row[cols.get(d.from)!], rows[0]).toBe("●");
      expect(row[cols.get(d.to)!], rows[0]).toBe(cols.get(d.to)! > cols.get(d.from)! ? "▶" : "◀");
    }
  });

  it("names both message types", () => {
    expect(diagram).toContain("──ping──▶");
    expect(diagram).toContain("──pong──▶");
  });

  it("marks each drop with ✗ and its reason: partition and loss beside the sender, crashed on the receiver", () => {
    const drops = ofKind(sim.trace, "drop");
    expect(new Set(drops.map((d) => d.reason))).toEqual(new Set(["partition", "crashed", "loss"]));
    for (const d of drops) {
      const rows = rowFor(diagram, `${d.from} ──${d.label}──✗ ${d.to}  dropped: ${d.reason}`);
      const row = chars(rows[0]!);
      const s = cols.get(d.from)!;
      const r = cols.get(d.to)!;
      expect(row[s]).toBe("●");
      const expectedCross = d.reason === "crashed" ? r : s + (r > s ? 2 : -2);
      expect(row[expectedCross], rows[0]).toBe("✗");
    }
  });

  it("shows the crash with ✖, the down period with ·, and the restart with ↻", () => {
    const crashRow = chars(rowFor(diagram, "✖ c crashed")[0]!);
    expect(crashRow[cols.get("c")!]).toBe("✖");
    // a → b at 32.15 ms happens while c is down: its lifeline is a dot.
    const whileDown = ofKind(sim.trace, "deliver").find((d) => d.timeMs > 28 && d.timeMs < 35 && d.to !== "c" && d.from !== "c")!;
    const row = chars(rowFor(diagram, `${whileDown.from} ──${whileDown.label}──▶ ${whileDown.to}`).find((r) => r.startsWith(` ${whileDown.timeMs.toFixed(2)}`))!);
    expect(row[cols.get("c")!]).toBe("·");
    expect(chars(rowFor(diagram, "↻ c restarted")[0]!)[cols.get("c")!]).toBe("↻");
  });

  it("shows the pause, the paused lifeline ┆ and the resume", () => {
    expect(chars(rowFor(diagram, "‖ b paused until 46.00")[0]!)[cols.get("b")!]).toBe("‖");
    expect(chars(rowFor(diagram, "○ client1 invokes op1 read 0 on b")[0]!)[cols.get("b")!]).toBe("┆");
    expect(chars(rowFor(diagram, "▷ b resumed")[0]!)[cols.get("b")!]).toBe("▷");
  });

  it("draws the partition and the heal as full-width lines", () => {
    const lanesArea = (row: string) => row.slice(row.indexOf("│") + 1, row.lastIndexOf("│ "));
    const partition = rowFor(diagram, "═ partition {a} | {b,c}")[0]!;
    expect(lanesArea(partition)).toMatch(/^═+$/);
    expect(partition.trimStart().startsWith("15.00")).toBe(true);
    const heal = rowFor(diagram, "┄ heal: all links restored")[0]!;
    expect(lanesArea(heal)).toMatch(/^┄+$/);
  });

  it("shows client invocations, completions and notes on their lanes", () => {
    expect(chars(rowFor(diagram, "○ client1 invokes op0 write 5 on a")[0]!)[cols.get("client1")!]).toBe("○");
    expect(chars(rowFor(diagram, "◉ client1 op0 ok 7 (from a)")[0]!)[cols.get("client1")!]).toBe("◉");
    expect(chars(rowFor(diagram, "◆ a: got write")[0]!)[cols.get("a")!]).toBe("◆");
  });

  it("ends with a count of delivered, dropped and in-flight messages that matches the trace", () => {
    const delivered = ofKind(sim.trace, "deliver").length;
    const drops = ofKind(sim.trace, "drop");
    const ended = new Set([...ofKind(sim.trace, "deliver"), ...drops].map((e) => e.msgId));
    const inFlight = ofKind(sim.trace, "send").filter((s) => !ended.has(s.msgId)).length;
    const count = (r: string) => drops.filter((d) => d.reason === r).length;
    expect(diagram).toContain(
      `messages: ${delivered} delivered, ${drops.length} dropped (crashed ${count("crashed")}, loss ${count("loss")}, partition ${count("partition")}), ${inFlight} still in flight at the end`,
    );
  });

  it("keeps every line within the width asked for", () => {
    for (const width of [80, 140]) {
      const text = spaceTimeText(sim.trace, { nodes: sim.nodes, clients: sim.clients, width });
      for (const line of text.split("\n").slice(0, -1)) expect(Array.from(line).length, line).toBeLessThanOrEqual(width);
    }
  });

  it("is deterministic: the same trace, or a rerun with the same seed, gives the same text", () => {
    expect(spaceTimeText(sim.trace, { nodes: sim.nodes, clients: sim.clients, width: 140 })).toBe(diagram);
    const again = faultySim();
    expect(spaceTimeText(again.trace, { nodes: again.nodes, clients: again.clients, width: 140 })).toBe(diagram);
  });

  it("appends the legend on request", () => {
    const withLegend = spaceTimeText(sim.trace, { nodes: sim.nodes, legend: true });
    expect(withLegend.split("\n").slice(-SPACETIME_TEXT_LEGEND.length)).toEqual([...SPACETIME_TEXT_LEGEND]);
    expect(diagram).not.toContain("legend:");
  });
});

describe("spaceTimeText options", () => {
  const sim = faultySim();

  it("shows only the window between fromMs and toMs", () => {
    const text = spaceTimeText(sim.trace, { nodes: sim.nodes, clients: sim.clients, fromMs: 20, toMs: 30 });
    const times = text
      .split("\n")
      .slice(2, -1)
      .map((l) => Number(l.split("│")[0]!.trim()));
    const expected = sim.trace.filter((e) => e.timeMs >= 20 && e.timeMs <= 30 && e.kind !== "send" && e.kind !== "timer").length;
    expect(times.length).toBe(expected);
    for (const t of times) expect(t >= 20 && t <= 30).toBe(true);
  });

  it("stops after maxMessages message rows and says how much is left", () => {
    const text = spaceTimeText(sim.trace, { nodes: sim.nodes, clients: sim.clients, maxMessages: 5 });
    const messageRows = text.split("\n").filter((l) => /──[^─]+──[▶✗]/.test(l));
    expect(messageRows.length).toBe(5);
    const shown = sim.trace.filter((e) => e.kind !== "send" && e.kind !== "timer");
    const fifthMessage = shown.filter((e) => e.kind === "deliver" || e.kind === "drop")[4]!;
    const rest = shown.length - (shown.indexOf(fifthMessage) + 1);
    expect(text).toContain(`… ${rest} more events`);
  });

  it("draws sends and timers when asked through kinds", () => {
    const text = spaceTimeText(sim.trace, { nodes: sim.nodes, kinds: ["send", "timer"], toMs: 10 });
    expect(text).toContain("a ──ping──▷ b  sent");
    expect(text).toContain("◷ a timer tick");
    const row = text.split("\n").find((l) => l.includes("a ──ping──▷ b"))!;
    expect(row).toMatch(/●┄+▷/);
  });

  it("leaves out events of endpoints without a lane and says so", () => {
    const text = spaceTimeText(sim.trace, { nodes: ["a", "b"] });
    expect(text).not.toContain("──▶ c");
    expect(text).toMatch(/\d+ events involve endpoints without a lane/);
  });

  it("renders an empty trace as the header and a note", () => {
    const text = spaceTimeText([], { nodes: ["a", "b"] });
    expect(text.split("\n")[0]).toMatch(/t \(ms\) │\s+a\s+b\s+│/);
    expect(text).toContain("(nothing to show between 0.00 and 0.00 ms)");
    expect(text).toContain("messages: 0 delivered, 0 dropped");
  });

  it("draws a message a node sends to itself as ↺", () => {
    const trace: TraceEvent[] = [
      { kind: "send", timeMs: 1, from: "a", to: "a", msgId: 1, label: "self" },
      { kind: "deliver", timeMs: 2, from: "a", to: "a", msgId: 1, label: "self", sentMs: 1 },
    ];
    const text = spaceTimeText(trace, { nodes: ["a", "b"] });
    expect(text.split("\n")[2]).toMatch(/^ +2\.00 │ +↺ +│ +│ a ──self──▶ a/);
  });

  it("marks deliveries of duplicated copies", () => {
    const trace: TraceEvent[] = [
      { kind: "send", timeMs: 1, from: "a", to: "b", msgId: 1, label: "m" },
      { kind: "send", timeMs: 1, from: "a", to: "b", msgId: 2, label: "m", duplicate: true },
      { kind: "deliver", timeMs: 2, from: "a", to: "b", msgId: 1, label: "m", sentMs: 1 },
      { kind: "deliver", timeMs: 3, from: "a", to: "b", msgId: 2, label: "m", sentMs: 1 },
    ];
    const rows = spaceTimeText(trace, { nodes: ["a", "b"] }).split("\n");
    expect(rows[2]).not.toContain("[duplicate]");
    expect(rows[3]).toContain("[duplicate]");
  });

  it("rejects bad options with a VizInputError that says what to pass", () => {
    expect(() => spaceTimeText(sim.trace, {} as never)).toThrow(/nodes: sim.nodes/);
    expect(() => spaceTimeText(sim.trace, { nodes: [] })).toThrow(VizInputError);
    expect(() => spaceTimeText(sim.trace, { nodes: ["a", "a"] })).toThrow(/listed twice/);
    expect(() => spaceTimeText(sim.trace, { nodes: ["a"], fromMs: 10, toMs: 5 })).toThrow(/fromMs \(10\) is after toMs \(5\)/);
    expect(() => spaceTimeText(sim.trace, { nodes: ["a"], width: -1 })).toThrow(/width must be/);
  });
});

describe("spaceTimeText with a messages filter", () => {
  const sim = faultySim();

  it("leaves out every row of the messages it rejects (sends too) and counts them in the summary", () => {
    const kinds = ["send", "deliver", "drop", "crash"] as const;
    const text = spaceTimeText(sim.trace, { nodes: sim.nodes, clients: sim.clients, kinds, messages: (label) => label !== "ping", width: 140 });
    const pings = ofKind(sim.trace, "send").filter((s) => s.label === "ping").length;
    const rows = text.split("\n");
    expect(rows.some((r) => r.includes("ping"))).toBe(false);
    expect(rows.filter((r) => r.includes("──pong──")).length).toBe(
      sim.trace.filter((e) => (e.kind === "send" || e.kind === "deliver" || e.kind === "drop") && e.label === "pong").length,
    );
    expect(rows[rows.length - 1]).toMatch(new RegExp(`; ${pings} more left out by the messages filter$`));
    expect(spaceTimeText(sim.trace, { nodes: sim.nodes, clients: sim.clients })).not.toContain("messages filter");
  });
});

describe("spaceTimeText on a busy five-node run", () => {
  const sim = busySim();
  const delivered = ofKind(sim.trace, "deliver").length;

  it("has more than 60 messages, all drawn, with every row inside the width", () => {
    expect(delivered).toBeGreaterThan(60);
    const text = spaceTimeText(sim.trace, { nodes: sim.nodes, width: 110 });
    const arrows = text.split("\n").filter((l) => l.includes("──▶"));
    expect(arrows.length).toBe(delivered);
    for (const line of text.split("\n").slice(0, -1)) expect(Array.from(line).length).toBeLessThanOrEqual(110);
  });

  it("keeps the lanes in fixed columns on every row", () => {
    const text = spaceTimeText(sim.trace, { nodes: sim.nodes });
    const lines = text.split("\n").slice(0, -1);
    const first = Array.from(lines[0]!).indexOf("│");
    // Five lanes named n1..n5 are 5 columns each (name + 2, at least 5): the lane area is 25 wide.
    for (const line of lines) {
      const c = Array.from(line);
      expect(c[first], line).toMatch(/[│┼]/);
      expect(c[first + 26], line).toMatch(/[│┼]/);
    }
  });
});
