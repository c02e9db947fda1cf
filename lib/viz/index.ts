/**
 * Visualisations of simulation runs. Every function returns a string (text, SVG or HTML) and
 * never touches tslab, so it works in tests and terminals as well as in notebooks:
 *
 * ```ts
 * import * as tslab from "tslab";
 * import { spaceTimeSvg, spaceTimeText, table, timelineText } from "../dist/lib/viz";
 * tslab.display.html(spaceTimeSvg(sim.trace, { nodes: sim.nodes, clients: sim.clients }));
 * console.log(spaceTimeText(sim.trace, { nodes: sim.nodes, toMs: 100, legend: true }));
 * ```
 *
 * - space-time diagrams of messages: `spaceTimeText`, `spaceTimeSvg`
 * - the trace as lines: `timelineText`
 * - charts: `lineChart`, `histogram` (text), `lineChartSvg`, `barChartSvg` (SVG),
 *   `valuePerNodeOverTime` to turn samples into series
 * - tables: `table` (text), `htmlTable` (HTML)
 *
 * The diagrams and the timeline take `messages: (label) => boolean` to leave out message types
 * (heartbeats...) entirely; see `MessageFilter`.
 */
export { VizInputError } from "./errors";
export { formatNumber, formatValue } from "./format";
export { GLYPH, describeEvent } from "./describe";
export { messageType, type MessageFilter } from "./message_filter";
export * from "./spacetime";
export * from "./timeline";
export * from "./charts";
export * from "./table";
