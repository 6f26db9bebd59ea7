/** The report's stylesheet, inlined in the page: readable on screen, at 390 px, and printed to PDF. */
export const REPORT_CSS = `
:root { color-scheme: light; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; margin: 0; background: #fff; }
main p, main li { overflow-wrap: anywhere; }
main { max-width: 1100px; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; margin: 0.5rem 0; }
h2 { font-size: 1.2rem; border-bottom: 1px solid #ccc; padding-bottom: 0.2rem; margin-top: 1.8rem; }
.cheers { font-size: 0.75rem; font-weight: normal; color: #555; background: #eef; border-radius: 3px; padding: 0 0.3rem; }
.lead { color: #333; }
.small { font-size: 0.8rem; color: #555; }
.scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; margin: 0.6rem 0; font-size: 0.85rem; }
caption { text-align: left; font-size: 0.8rem; color: #444; padding-bottom: 0.2rem; }
th, td { border: 1px solid #ccc; padding: 0.2rem 0.4rem; vertical-align: top; text-align: left; }
thead th { background: #f2f2f2; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
table.inputs { width: 100%; }
table.inputs td { font-size: 0.78rem; overflow-wrap: anywhere; }
table.inputs td.num .small { white-space: normal; text-align: left; min-width: 10rem; }
.url { word-break: break-all; color: #335; }
.changed { color: #8a4b00; font-size: 0.75rem; display: block; }
figure { margin: 1rem 0; break-inside: avoid; }
figure svg { width: 100%; max-width: 680px; height: auto; display: block; }
figcaption { font-size: 0.8rem; color: #444; }
svg text { font: 11px system-ui, sans-serif; fill: #333; }
svg .label { font-size: 12px; }
svg .grid { stroke: #e4e4e4; }
svg .axis { stroke: #777; }
svg .move { stroke: #777; stroke-width: 1.2; }
svg .state { fill: #e8f0fb; stroke: #4477AA; stroke-width: 1.5; }
svg .state.dead { fill: #eee; stroke: #777; }
svg .state-id { font-weight: 600; font-size: 9px; }
.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.3rem 1rem; font-size: 0.8rem; margin: 0.3rem 0; }
.swatch { display: inline-block; width: 0.8rem; height: 0.8rem; margin-right: 0.3rem; vertical-align: -0.1rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; }
dd { margin: 0; word-break: break-all; }
nav ol { columns: 2; }
@media (max-width: 600px) { nav ol { columns: 1; } dl { grid-template-columns: 1fr; } main { padding: 0.6rem; } }
@media print {
  @page { size: A4; margin: 14mm; }
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  .scroll { overflow: visible; }
  table { font-size: 8pt; page-break-inside: auto; max-width: 100%; }
  table.inputs td { font-size: 7pt; }
  table.inputs td.num .small { min-width: 0; }
  table.inputs { table-layout: fixed; }
  table.inputs th:nth-child(1) { width: 11%; }
  table.inputs th:nth-child(2) { width: 17%; }
  table.inputs th:nth-child(3), table.inputs th:nth-child(4), table.inputs th:nth-child(5) { width: 8%; }
  table.inputs th:nth-child(6) { width: 9%; }
  table.inputs th:nth-child(7) { width: 5%; }
  table.inputs th:nth-child(8) { width: 34%; }
  .small { font-size: 7pt; }
  tr, figure { break-inside: avoid; }
  thead { display: table-header-group; }
  h2 { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
}
`;
