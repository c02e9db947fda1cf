import { describe, expect, it } from "vitest";
import type { TraceEvent } from "../../../../lib/sim";
import { messageType } from "../../../../lib/viz/message_filter";
import { spaceTimeSvg } from "../../../../lib/viz/spacetime/svg";
import { PALETTE, SANS_CHAR_WIDTH } from "../../../../lib/viz/svg";
import { busySim, faultySim, ofKind } from "../scenario";
import { attributeValues, checkXml } from "../xml_check";

const count = (s: string, needle: string) => s.split(needle).length - 1;

describe("the XML check used by these tests", () => {
  it("finds unbalanced tags, bare ampersands and stray text, and accepts a good document", () => {
    expect(checkXml('<svg><g><rect x="1"/></g></svg>').errors).toEqual([]);
    expect(checkXml("<svg><g></svg>").errors.length).toBeGreaterThan(0);
    expect(checkXml("<svg><text>a & b</text></svg>").errors.length).toBeGreaterThan(0);
    expect(checkXml("<svg></svg>junk").errors.length).toBeGreaterThan(0);
    expect(checkXml('<svg x="1" x="2"></svg>').errors.length).toBeGreaterThan(0);
  });
});

describe("spaceTimeSvg on a run with a partition, a crash, a loss and a pause", () => {
  const sim = faultySim();
  const svg = spaceTimeSvg(sim.trace, { nodes: sim.nodes, clients: sim.clients, title: "Ping & faults" });
  const xml = checkXml(svg);

  it("is one well-formed <svg> element", () => {
    expect(xml.errors).toEqual([]);
    expect(xml.root).toBe("svg");
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.endsWith("</svg>")).toBe(true);
  });

  it("is self-contained: no stylesheet, script, external reference or id", () => {
    for (const banned of ["<style", "<script", "href=", "url(", " id=", "@import", "<foreignObject"]) expect(svg).not.toContain(banned);
  });

  it("draws one arrow line per delivered message, each with an arrowhead", () => {
    const delivered = ofKind(sim.trace, "deliver").length;
    expect(xml.counts.get("line")).toBe(delivered);
    expect(count(svg, '<line class="msg-arrow"')).toBe(delivered);
    expect(count(svg, '<g data-msg="')).toBe(delivered + ofKind(sim.trace, "drop").length + inFlight(sim.trace));
  });

  it("labels every lane at the top and the bottom", () => {
    for (const id of [...sim.nodes, ...sim.clients]) expect(count(svg, `font-weight="bold" fill="${id === "client1" ? "#1f5f9f" : "#222222"}">${id}</text>`)).toBe(2);
  });

  it("draws each dropped message as a dashed stub ending in a red cross, tagged with its reason", () => {
    const drops = ofKind(sim.trace, "drop");
    for (const reason of ["partition", "crashed", "loss"] as const) {
      expect(count(svg, `data-dropped="${reason}"`)).toBe(drops.filter((d) => d.reason === reason).length);
    }
    const dropGroups = svg.split('<g data-msg="').filter((g) => g.includes("data-dropped"));
    for (const g of dropGroups) {
      expect(g).toContain('stroke-dasharray="4 3"');
      expect(g).toContain('stroke="#d62728"');
      expect(g).toMatch(/<title>[^<]+dropped \((partition|crashed|loss)\)/);
    }
  });

  it("shades the crash period, marks the crash and the restart", () => {
    expect(svg).toContain("<title>c down from 28.00 ms to 35.00 ms</title>");
    expect(count(svg, 'data-event="crash"')).toBe(1);
    expect(count(svg, 'data-event="restart"')).toBe(1);
    expect(svg).toContain(">crash</text>");
  });

  it("hatches the pause", () => {
    expect(svg).toContain("<title>b paused from 41.00 ms to 46.00 ms</title>");
    const group = svg.slice(svg.indexOf("<title>b paused"), svg.indexOf("</g>", svg.indexOf("<title>b paused")));
    const [, x, y, w, h] = /<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/.exec(group)!.map(Number);
    const d = /<path d="([^"]+)"/.exec(group)![1]!;
    const segments = d.split("M").filter((p) => p.trim() !== "");
    // The default height gives this 50 ms run roughly 1000 px, so the 5 ms pause is ~100 px tall:
    // hatch lines 5 px apart make well over ten strokes.
    expect(segments.length).toBeGreaterThan(10);
    for (const seg of segments) {
      const [x1, y1, x2, y2] = seg.replace("L", " ").trim().split(/\s+/).map(Number);
      for (const [px, py] of [[x1!, y1!], [x2!, y2!]] as const) {
        expect(px).toBeGreaterThanOrEqual(x! - 0.1);
        expect(px).toBeLessThanOrEqual(x! + w! + 0.1);
        expect(py).toBeGreaterThanOrEqual(y! - 0.1);
        expect(py).toBeLessThanOrEqual(y! + h! + 0.1);
      }
      // Diagonal: going right goes up.
      expect(x2!).toBeGreaterThan(x1!);
      expect(y2!).toBeLessThan(y1!);
    }
  });

  it("draws the partition and the heal as dashed lines with captions, over a band", () => {
    expect(count(svg, 'data-event="partition"')).toBe(1);
    expect(count(svg, 'data-event="heal"')).toBe(1);
    expect(svg).toContain(">partition {a} | {b,c}</text>");
    expect(svg).toContain(">heal: all links restored</text>");
    expect(svg).toContain("<title>partitioned from 15.00 ms to 25.00 ms: {a} | {b,c}</title>");
  });

  it("marks client invocations and completions, and notes", () => {
    expect(count(svg, 'data-event="invoke"')).toBe(ofKind(sim.trace, "invoke").length);
    expect(count(svg, 'data-event="complete"')).toBe(ofKind(sim.trace, "complete").length);
    expect(count(svg, 'data-event="note"')).toBe(ofKind(sim.trace, "note").length);
    expect(svg).toContain("<title>client1 invokes op0 write 5 on a at 5.00 ms</title>");
  });

  it("escapes text (the title's ampersand) and shows it", () => {
    expect(svg).toContain(">Ping &amp; faults</text>");
  });

  it("has a time axis in ms whose tick labels increase downwards", () => {
    const axis = svg.slice(svg.indexOf('data-part="time-axis"'), svg.indexOf('data-part="lifelines"'));
    const ticks = [...axis.matchAll(/<text x="[\d.]+" y="([\d.]+)"[^>]*>([\d.]+)<\/text>/g)].map((m) => ({ y: Number(m[1]), t: Number(m[2]) }));
    expect(ticks.length).toBeGreaterThanOrEqual(4);
    for (let i = 1; i < ticks.length; i++) {
      expect(ticks[i]!.t).toBeGreaterThan(ticks[i - 1]!.t);
      expect(ticks[i]!.y).toBeGreaterThan(ticks[i - 1]!.y);
    }
    expect(axis).toContain(">t (ms)</text>");
  });

  it("places arrows from the sender's lifeline at its send time to the receiver's at its delivery time", () => {
    // Lifeline x positions, in lane order.
    const lifelines = svg.slice(svg.indexOf('data-part="lifelines"'));
    const xs = [...lifelines.matchAll(/<path d="M([\d.]+) [\d.]+ V/g)].slice(0, 4).map((m) => Number(m[1]));
    const lane = new Map([...sim.nodes, ...sim.clients].map((id, i) => [id, xs[i]!]));
    const delivered = ofKind(sim.trace, "deliver");
    const x1 = attributeValues(svg, "line", "x1").map(Number);
    const y1 = attributeValues(svg, "line", "y1").map(Number);
    const y2 = attributeValues(svg, "line", "y2").map(Number);
    delivered.forEach((d, i) => {
      expect(x1[i]).toBeCloseTo(lane.get(d.from)!, 0);
      // Time flows down: the end of an arrow is never above its start.
      expect(y2[i]!).toBeGreaterThanOrEqual(y1[i]! - 0.1);
    });
  });

  it("is deterministic: same trace, same string; a rerun with the same seed too", () => {
    expect(spaceTimeSvg(sim.trace, { nodes: sim.nodes, clients: sim.clients, title: "Ping & faults" })).toBe(svg);
    const again = faultySim();
    expect(spaceTimeSvg(again.trace, { nodes: again.nodes, clients: again.clients, title: "Ping & faults" })).toBe(svg);
  });

  it("prints coordinates with at most one decimal and never NaN", () => {
    expect(svg).not.toMatch(/NaN|Infinity/);
    const numbers = [...svg.matchAll(/ (?:x|y|x1|y1|x2|y2|cx|cy|width|height)="([^"]+)"/g)].map((m) => m[1]!);
    for (const n of numbers) expect(n).toMatch(/^-?\d+(\.\d)?$/);
  });
});

describe("spaceTimeSvg options and edge cases", () => {
  const sim = faultySim();

  it("renders an empty trace as lanes without arrows", () => {
    const svg = spaceTimeSvg([], { nodes: ["a", "b"] });
    expect(checkXml(svg).errors).toEqual([]);
    expect(count(svg, "<line")).toBe(0);
    expect(count(svg, ">a</text>")).toBe(2);
  });

  it("clips to the window: arrows that overlap it are drawn, the rest are not", () => {
    const svg = spaceTimeSvg(sim.trace, { nodes: sim.nodes, clients: sim.clients, fromMs: 20, toMs: 30 });
    expect(checkXml(svg).errors).toEqual([]);
    const overlapping = ofKind(sim.trace, "deliver").filter((d) => d.timeMs >= 20 && d.sentMs <= 30).length;
    expect(count(svg, '<line class="msg-arrow"')).toBe(overlapping);
    // The crash at 28 ms is inside the window, the restart at 35 ms is not.
    expect(svg).toContain('data-event="crash"');
    expect(svg).not.toContain('data-event="restart"');
  });

  it("scales its height with the number of events unless a height is given", () => {
    const height = (s: string) => Number(/^<svg[^>]* height="([\d.]+)"/.exec(s)![1]);
    const small = spaceTimeSvg(sim.trace, { nodes: sim.nodes, toMs: 12 });
    const large = spaceTimeSvg(sim.trace, { nodes: sim.nodes });
    expect(height(large)).toBeGreaterThan(height(small));
    const fixedA = spaceTimeSvg(sim.trace, { nodes: sim.nodes, height: 500, toMs: 12 });
    const fixedB = spaceTimeSvg(sim.trace, { nodes: sim.nodes, height: 500 });
    expect(height(fixedA)).toBe(height(fixedB));
  });

  it("uses the width given", () => {
    expect(spaceTimeSvg(sim.trace, { nodes: sim.nodes, width: 777 })).toMatch(/^<svg[^>]* width="777"/);
  });

  it("keeps a message type's colour when zooming into another window", () => {
    const full = spaceTimeSvg(sim.trace, { nodes: sim.nodes });
    const late = spaceTimeSvg(sim.trace, { nodes: sim.nodes, fromMs: 40 });
    const pongColor = (svg: string) => {
      const g = svg.split('<g data-msg="').find((x) => x.includes("<title>") && /→ \w+ pong: sent/.test(x) && x.includes("msg-arrow"))!;
      return /stroke="([^"]+)"/.exec(g.slice(g.indexOf("<line")))![1];
    };
    expect(pongColor(late)).toBe(pongColor(full));
  });

  it("draws a self-message as a loop and an in-flight message as a dotted stub", () => {
    const trace: TraceEvent[] = [
      { kind: "send", timeMs: 1, from: "a", to: "a", msgId: 1, label: "self" },
      { kind: "send", timeMs: 1, from: "a", to: "b", msgId: 2, label: "late" },
      { kind: "deliver", timeMs: 3, from: "a", to: "a", msgId: 1, label: "self", sentMs: 1 },
    ];
    const svg = spaceTimeSvg(trace, { nodes: ["a", "b"] });
    expect(checkXml(svg).errors).toEqual([]);
    expect(svg).toMatch(/<g data-msg="1"><title>a → a self: sent 1.00 ms, delivered 3.00 ms \(2.00 ms\)<\/title><path d="M[\d.]+ [\d.]+ C/);
    expect(svg).toContain('<g data-msg="2" data-in-flight="true">');
  });

  it("leaves labels out when labels: false but keeps tooltips", () => {
    const svg = spaceTimeSvg(sim.trace, { nodes: sim.nodes, labels: false });
    expect(svg).not.toContain(">ping</text>");
    expect(svg).toContain("a → b ping: sent");
  });

  it("rejects bad options", () => {
    expect(() => spaceTimeSvg(sim.trace, { nodes: ["a"], height: 0 })).toThrow(/height must be/);
    expect(() => spaceTimeSvg(sim.trace, { nodes: ["a", "a"] })).toThrow(/listed twice/);
  });
});

describe("spaceTimeSvg with a messages filter", () => {
  const sim = faultySim();
  const lanes = { nodes: sim.nodes, clients: sim.clients };

  it("draws nothing of the messages it leaves out: no arrow, cross, stub, label or tooltip", () => {
    const svg = spaceTimeSvg(sim.trace, { ...lanes, messages: (label) => label !== "pong" });
    expect(checkXml(svg).errors).toEqual([]);
    expect(svg).not.toContain("pong");
    const kept = (e: { label: string }) => e.label !== "pong";
    expect(count(svg, '<line class="msg-arrow"')).toBe(ofKind(sim.trace, "deliver").filter(kept).length);
    expect(count(svg, "data-dropped=")).toBe(ofKind(sim.trace, "drop").filter(kept).length);
    expect(count(svg, '<g data-msg="')).toBe(
      ofKind(sim.trace, "deliver").filter(kept).length + ofKind(sim.trace, "drop").filter(kept).length + inFlight(sim.trace.filter((e) => !("msgId" in e) || kept(e))),
    );
  });

  it("asks the filter once per label, for the arrows and their colours alike", () => {
    const asked: string[] = [];
    spaceTimeSvg(sim.trace, { ...lanes, messages: (label) => (asked.push(label), true) });
    expect(asked.length).toBeGreaterThan(2);
    expect(asked).toEqual([...new Set(asked)]);
  });

  it("leaves no in-flight stub for a left-out message sent just before the trace ends", () => {
    const trace: TraceEvent[] = [
      { kind: "send", timeMs: 1, from: "a", to: "b", msgId: 1, label: "append" },
      { kind: "deliver", timeMs: 2, from: "a", to: "b", msgId: 1, label: "append", sentMs: 1 },
      { kind: "send", timeMs: 3, from: "b", to: "a", msgId: 2, label: "heartbeat" },
    ];
    expect(spaceTimeSvg(trace, { nodes: ["a", "b"] })).toContain('data-in-flight="true"');
    const svg = spaceTimeSvg(trace, { nodes: ["a", "b"], messages: (label) => label !== "heartbeat" });
    expect(svg).not.toContain("data-in-flight");
    expect(svg).not.toContain("heartbeat");
  });

  it("gives the palette to the message types it draws, in order of first appearance", () => {
    const pongColor = (svg: string) => {
      const g = svg.split('<g data-msg="').find((x) => /→ \w+ pong: sent/.test(x) && x.includes("msg-arrow"))!;
      return /stroke="([^"]+)"/.exec(g.slice(g.indexOf("<line")))![1];
    };
    // Unfiltered, the client's "write" request and pings come first and take the first colours.
    expect(pongColor(spaceTimeSvg(sim.trace, lanes))).not.toBe(PALETTE[0]);
    expect(pongColor(spaceTimeSvg(sim.trace, { ...lanes, messages: (label) => messageType(label) === "pong" }))).toBe(PALETTE[0]);
  });
});

describe("spaceTimeSvg partition shading", () => {
  const sim = faultySim();

  it("shades the partition only when partition events are drawn", () => {
    expect(spaceTimeSvg(sim.trace, { nodes: sim.nodes })).toContain('data-part="partitions"');
    const noPartitions = spaceTimeSvg(sim.trace, { nodes: sim.nodes, kinds: ["deliver", "drop", "crash", "restart"] });
    expect(noPartitions).not.toContain('data-part="partitions"');
    expect(noPartitions).not.toContain("partitioned from");
  });

  it("shades nothing in a window after the heal, and clips a band to the window it overlaps", () => {
    expect(spaceTimeSvg(sim.trace, { nodes: sim.nodes, fromMs: 30 })).not.toContain("partitioned from");
    const svg = spaceTimeSvg(sim.trace, { nodes: sim.nodes, fromMs: 20, toMs: 30, squeezeQuiet: false });
    const band = /<g data-part="partitions"><rect x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)"/.exec(svg)!;
    const axis = svg.slice(svg.indexOf('data-part="time-axis"'), svg.indexOf('data-part="lifelines"'));
    const ticks = [...axis.matchAll(/<text x="[\d.]+" y="([\d.]+)"[^>]*>([\d.]+)<\/text>/g)].map((m) => ({ y: Number(m[1]) - 4, t: Number(m[2]) }));
    const yOf = (t: number) => ticks.find((k) => k.t === t)!.y;
    // The band starts at the window's top (20 ms, inside the 15–25 ms partition) and ends at the heal.
    expect(Number(band[1])).toBeCloseTo(yOf(20), 0);
    expect(Number(band[1]) + Number(band[2])).toBeCloseTo(yOf(25), 0);
  });
});

describe("spaceTimeSvg captions stay inside the picture", () => {
  // Six long notes at one moment on the rightmost lane: the three places left of the lifeline
  // fill up, and the rest must go to its right, where the picture's edge is close.
  const text = (i: number) => `note ${i}: the follower has caught up with the leader at last`;
  const trace: TraceEvent[] = Array.from({ length: 6 }, (_, i) => ({ kind: "note" as const, timeMs: 10, node: "c", text: text(i) }));
  const svg = spaceTimeSvg(trace, { nodes: ["a", "b", "c"] });
  const width = Number(/^<svg[^>]* width="([\d.]+)"/.exec(svg)![1]);
  const captions = [...svg.matchAll(/<text x="([\d.]+)" y="[\d.]+" font-size="10" fill="#555555"[^>]*><title>([^<]*)<\/title>([^<]*)<\/text>/g)].map((m) => ({
    x: Number(m[1]),
    tip: m[2]!,
    shown: m[3]!,
  }));

  it("cuts captions at the right edge with …, using the renderer's own estimate of glyph width", () => {
    expect(captions.length).toBe(6);
    for (const c of captions) {
      expect(c.x).toBeGreaterThanOrEqual(0);
      expect(c.x + Array.from(c.shown).length * 10 * SANS_CHAR_WIDTH, c.shown).toBeLessThanOrEqual(width);
    }
    const lifelines = svg.slice(svg.indexOf('data-part="lifelines"'));
    const lifelineC = Number([...lifelines.matchAll(/<path d="M([\d.]+) [\d.]+ V/g)][2]![1]);
    expect(captions.filter((c) => c.x > lifelineC).length).toBe(3);
    expect(captions.filter((c) => c.shown.endsWith("…")).length).toBeGreaterThanOrEqual(3);
  });

  it("keeps each note's whole text in a tooltip", () => {
    for (let i = 0; i < 6; i++) {
      expect(svg).toContain(`<title>c at 10.00 ms: ${text(i)}</title>`);
    }
    // A cut caption repeats its note's tooltip, so hovering it shows the whole text too.
    for (const c of captions) expect(c.tip).toContain(c.shown.replace(/…$/, ""));
  });
});

describe("spaceTimeSvg on a busy five-node run", () => {
  const sim = busySim();
  const svg = spaceTimeSvg(sim.trace, { nodes: sim.nodes });

  it("draws every one of its 60+ messages, well-formed and deterministic", () => {
    const delivered = ofKind(sim.trace, "deliver").length;
    expect(delivered).toBeGreaterThan(60);
    expect(checkXml(svg).errors).toEqual([]);
    expect(count(svg, '<line class="msg-arrow"')).toBe(delivered);
    expect(spaceTimeSvg(busySim().trace, { nodes: sim.nodes })).toBe(svg);
  });

  it("squeezes the quiet stretches between ping rounds, and only truly quiet ones", () => {
    const breaks = [...svg.matchAll(/<g data-part="axis-break"><title>nothing happens from ([\d.]+) to ([\d.]+) ms/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(breaks.length).toBeGreaterThanOrEqual(2);
    for (const [from, to] of breaks) {
      // Nothing drawn happens strictly inside, and no message is in flight across it.
      expect(sim.trace.some((e) => e.kind !== "send" && e.kind !== "timer" && e.timeMs > from! + 0.005 && e.timeMs < to! - 0.005)).toBe(false);
      expect(ofKind(sim.trace, "deliver").some((d) => d.sentMs < from! - 0.005 && d.timeMs > to! + 0.005)).toBe(false);
    }
    expect(spaceTimeSvg(sim.trace, { nodes: sim.nodes, squeezeQuiet: false })).not.toContain("axis-break");
  });

  it("does not stack message labels on top of each other", () => {
    const labels = [...svg.matchAll(/<text x="([\d.]+)" y="([\d.]+)" text-anchor="middle" font-family="[^"]+" font-size="10"[^>]*><title>[^<]*<\/title>([^<]+)<\/text>/g)].map(
      (m) => ({ x: Number(m[1]), y: Number(m[2]), w: Array.from(m[3]!).length * 6 }),
    );
    expect(labels.length).toBeGreaterThan(30);
    for (let i = 0; i < labels.length; i++) {
      for (let j = i + 1; j < labels.length; j++) {
        const a = labels[i]!;
        const b = labels[j]!;
        const overlapX = Math.abs(a.x - b.x) < (a.w + b.w) / 2;
        const overlapY = Math.abs(a.y - b.y) < 11.9;
        expect(overlapX && overlapY, `labels at (${a.x}, ${a.y}) and (${b.x}, ${b.y})`).toBe(false);
      }
    }
  });
});

function inFlight(trace: readonly TraceEvent[]): number {
  const ended = new Set(trace.filter((e) => e.kind === "deliver" || e.kind === "drop").map((e) => (e as { msgId: number }).msgId));
  return ofKind(trace, "send").filter((s) => !ended.has(s.msgId)).length;
}
