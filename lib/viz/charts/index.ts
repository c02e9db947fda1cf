/** Charts: text line charts and histograms for terminals, SVG line and bar charts for notebooks. */
export * from "./series";
export * from "./line_text";
export * from "./histogram";
export { lineChartSvg, type LineChartSvgOptions } from "./line_svg";
export * from "./bar_svg";
export { seriesStyle } from "./frame_svg";
