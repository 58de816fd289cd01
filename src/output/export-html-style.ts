/**
 * The HTML export's one inline stylesheet: system fonts only, colours as variables with a dark
 * scheme (prefers-color-scheme) and a print layout. Charts take their colours from here.
 */
export const EXPORT_CSS = `
:root { color-scheme: light dark;
  --bg: #ffffff; --fg: #1b1f24; --muted: #57606a; --grid: #e1e4e8; --card: #f6f8fa; --border: #d0d7de;
  --accent: #2563eb; --band: rgba(37, 99, 235, 0.16); --inter: #8c959f; --unk: #bf8700; --model: #7c3aed;
  --warn: #d97706; --over: #dc2626; --credit: #cf222e; }
@media (prefers-color-scheme: dark) { :root {
  --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --grid: #262c36; --card: #161b22; --border: #30363d;
  --accent: #58a6ff; --band: rgba(88, 166, 255, 0.2); --inter: #6e7681; --unk: #d29922; --model: #a371f7;
  --warn: #f0a030; --over: #f85149; --credit: #ff7b72; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1040px; margin: 0 auto; padding: 24px 20px 40px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 0 0 10px; }
.sub, .note { color: var(--muted); margin: 2px 0; }
section { background: var(--card); border: 1px solid var(--border); border-radius: 8px; padding: 16px; margin: 16px 0; overflow-x: auto; }
.row { display: flex; flex-wrap: wrap; gap: 24px; align-items: center; }
.gauge-box { flex: 0 0 280px; }
.stats { flex: 1 1 320px; display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
.stats dt { color: var(--muted); }
.stats dd { margin: 0; font-variant-numeric: tabular-nums; }
.warning { color: var(--over); font-weight: 600; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--border); vertical-align: top; }
th { color: var(--muted); font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.key { overflow-wrap: break-word; }
.nw, td.key.nw { white-space: nowrap; overflow-wrap: normal; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
svg.chart { display: block; width: 100%; height: auto; }
svg.chart-gauge { max-width: 280px; }
svg text { fill: var(--fg); font-size: 12px; font-family: inherit; }
svg .axis, svg .legend, svg .bar-value { fill: var(--muted); font-size: 11px; }
svg .grid { stroke: var(--grid); stroke-width: 1; }
svg .axis-line, svg .tick { stroke: var(--muted); stroke-width: 1; }
svg .gauge-track { fill: none; stroke: var(--grid); stroke-width: 20; }
svg .gauge-fill { fill: none; stroke-width: 20; stroke: var(--accent); }
svg .gauge-fill.sev-warn { stroke: var(--warn); }
svg .gauge-fill.sev-over { stroke: var(--over); }
svg .gauge-p50 { stroke: var(--fg); stroke-width: 3; }
svg .gauge-value { font-size: 28px; font-weight: 700; }
svg .gauge-sub, svg .gauge-p50-label { fill: var(--muted); font-size: 13px; }
svg .actual { fill: none; stroke: var(--accent); stroke-width: 2.5; stroke-linejoin: round; }
svg .band { fill: var(--band); stroke: none; }
svg .p50 { stroke: var(--accent); stroke-width: 2; stroke-dasharray: 6 4; }
svg .now { stroke: var(--muted); stroke-width: 1; stroke-dasharray: 2 3; }
svg .credit-line { stroke: var(--credit); stroke-width: 1.5; stroke-dasharray: 8 4; }
svg .exhaust { stroke: var(--credit); stroke-width: 1; stroke-dasharray: 2 2; }
svg .label-credit { fill: var(--credit); font-size: 11px; }
svg .label-p50 { fill: var(--accent); font-size: 11px; }
svg .plate { paint-order: stroke fill; stroke: var(--card); stroke-width: 4px; stroke-linejoin: round; }
svg .cls-programmatic { fill: var(--accent); }
svg .cls-interactive { fill: var(--inter); }
svg .cls-unknown { fill: var(--unk); }
svg .cls-model { fill: var(--model); }
footer { color: var(--muted); font-size: 12px; margin-top: 24px; }
@media (max-width: 600px) {
  main { padding: 12px 8px 24px; }
  section { padding: 12px 8px; }
  table { font-size: 12px; }
  th, td { padding: 4px 4px; }
  th.num { white-space: normal; }
  svg.chart:not(.chart-gauge) { min-width: 600px; }
  .stats { grid-template-columns: 1fr; }
  .stats dd { margin-bottom: 6px; }
}
@media print {
  :root { --bg: #ffffff; --fg: #000000; --muted: #444444; --grid: #dddddd; --card: #ffffff; --border: #bbbbbb;
    --accent: #1d4ed8; --band: rgba(29, 78, 216, 0.18); --inter: #888888; --unk: #a16207; --model: #6d28d9; --credit: #b91c1c; }
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  section { break-inside: avoid; page-break-inside: avoid; border-radius: 0; }
  svg.chart { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
`;
