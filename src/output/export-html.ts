/**
 * The HTML snapshot: one self-contained page (inline CSS and SVG, no script, no network) with the
 * credit gauge, the cycle chart with its forecast band, daily and per-model bars, and the tables.
 */
import { formatInt, formatPercent, formatTokens, formatUsdNonZero, formatUsdPrecise } from '../domain/format.js';
import { cycleHasEnded, ranOutText, unknownCounted } from '../domain/status-types.js';
import type { AggregateRow, RequestClass } from '../domain/types.js';
import { REQUEST_CLASSES } from '../domain/types.js';
import { dailyBarsChart, modelBarsChart } from './export-chart-bars.js';
import { cumulativeChart } from './export-chart-cumulative.js';
import { gaugeChart } from './export-chart-gauge.js';
import {
  countOf,
  describeView,
  escapeHtml as esc,
  extraTables,
  formatCycleDays,
  formatLocalTime,
  isNarrowed,
} from './export-format.js';
import { EXPORT_CSS } from './export-html-style.js';
import type { Snapshot } from './export-types.js';

/** Forbids every fetch: the page can only use what it carries. */
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/** Markup already escaped, as opposed to text to escape. */
interface Markup {
  html: string;
}

/**
 * Text that must not wrap inside itself (a date-time, a date range): a line breaks between such
 * values, never in one ("2026-12-" / "06 18:08").
 */
function nw(text: string): string {
  return `<span class="nw">${esc(text)}</span>`;
}

/**
 * A key (model, project path, session id, user) that a narrow column may break after its
 * separators (`claude-haiku-` / `4-5-` / `20251001`), not inside its words; `<wbr>` adds no text.
 */
function breakable(text: string): string {
  return esc(text).replace(/[-/_.@]/g, '$&<wbr>');
}

/** Date-times joined by " / ", each kept whole: a line may break only between them. */
function stamps(values: string[]): Markup {
  return { html: values.map(nw).join(' / ') };
}

function dl(items: Array<[string, string | Markup]>): string {
  const value = (v: string | Markup): string => (typeof v === 'string' ? esc(v) : v.html);
  return `<dl class="stats">${items.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${value(v)}</dd>`).join('')}</dl>`;
}

/** The view's grouping when the page lacks it, and who ran the requests when telemetry says (export-format.ts). */
function extraSections(s: Snapshot, inView: string): string {
  return extraTables(s)
    .map((t) => {
      const rows = s.groups[t.by] ?? [];
      return t.kind === 'view'
        ? `<section id="by-${t.by}"><h2>${esc(t.title)}${inView}</h2>${groupTable(rows, t.label, t.calendar ? 400 : 25, t.calendar ? 'calendar' : 'text')}</section>\n`
        : `<section id="who-${t.by}"><h2>${t.title}${inView}</h2>${groupTable(rows, t.label, 10)}</section>\n`;
    })
    .join('');
}

/** How a table shows its keys: as text, as code (ids), or kept whole (days, weeks, months). */
type KeyStyle = 'text' | 'code' | 'calendar';

function groupTable(rows: AggregateRow[], keyLabel: string, limit: number, style: KeyStyle = 'text'): string {
  if (rows.length === 0) return '<p class="note">No requests in this view.</p>';
  const head = `<tr><th>${esc(keyLabel)}</th><th class="num">Requests</th><th class="num">Prompt tokens</th><th class="num">Output tokens</th><th class="num">Cost</th></tr>`;
  const body = rows.slice(0, limit).map((r) => {
    const key =
      style === 'code' ? `<code>${breakable(r.key)}</code>` : style === 'calendar' ? nw(r.key) : breakable(r.key);
    const cost = formatUsdPrecise(r.cost) + (r.unpricedRequests > 0 ? ` (+${r.unpricedRequests} unpriced)` : '');
    const prompt = r.inputTokens + r.cacheReadTokens + r.cacheWrite5mTokens + r.cacheWrite1hTokens;
    return (
      `<tr><td class="key">${key}</td><td class="num">${formatInt(r.requests)}</td><td class="num">${formatTokens(prompt)}</td>` +
      `<td class="num">${formatTokens(r.outputTokens)}</td><td class="num">${esc(cost)}</td></tr>`
    );
  });
  const more = rows.length > limit ? `<p class="note">…and ${rows.length - limit} more.</p>` : '';
  return `<table>${head}${body.join('')}</table>${more}`;
}

/** The forecast and burn rates of a cycle still running. */
function currentCycleRows(st: Snapshot['status']): Array<[string, string | Markup]> {
  const tz = st.cycle.timezone;
  const f = st.forecast;
  const b = st.burnRate;
  const when = (t: string | null): string => (t === null ? 'not this cycle' : formatLocalTime(t, tz));
  return [
    [
      'Cycle-end spend P10 / P50 / P90',
      `${formatUsdNonZero(f.cycleEndSpend.p10)} / ${formatUsdNonZero(f.cycleEndSpend.p50)} / ${formatUsdNonZero(f.cycleEndSpend.p90)}`,
    ],
    [
      // Percentiles of a time: P10 is the earliest (the high-spend case), P90 the latest.
      'Runs out P10 (earliest) / P50 / P90 (latest)',
      stamps([when(f.exhaustionAt.p10), when(f.exhaustionAt.p50), when(f.exhaustionAt.p90)]),
    ],
    [
      'Projected overage P50 (P10-P90)',
      `${formatUsdNonZero(f.projectedOverage.p50)} (${formatUsdNonZero(f.projectedOverage.p10)}-${formatUsdNonZero(f.projectedOverage.p90)})`,
    ],
    [
      'Burn rate',
      `${formatUsdNonZero(b.lastHourPerHour)}/h last hour · ${formatUsdNonZero(b.last24hPerHour)}/h last 24 h · ${formatUsdNonZero(b.last7dPerDay)}/day last 7 days · ${formatUsdNonZero(b.cyclePerDay)}/day this cycle`,
    ],
  ];
}

/** An ended cycle: its rates and forecast would be those of now; only how it ended holds. */
function pastCycleRows(st: Snapshot['status']): Array<[string, string | Markup]> {
  return [
    ['Final spend', formatUsdNonZero(st.credit.used)],
    ['Forecast and burn rate', 'not applicable: the cycle has ended'],
  ];
}

function creditSection(s: Snapshot): string {
  const st = s.status;
  const tz = st.cycle.timezone;
  return `<section id="credit"><h2>Credit</h2><div class="row"><div class="gauge-box">${gaugeChart(st)}</div>${dl([
    [
      'Credit used',
      `${formatUsdNonZero(st.credit.used)} of ${formatUsdNonZero(st.cycle.credit)} (${formatPercent(st.credit.usedFraction)})`,
    ],
    ['Remaining', formatUsdNonZero(st.credit.remaining)],
    [
      st.credit.usageCredits ? 'Overage (usage credits on)' : 'Overage (usage credits off)',
      formatUsdNonZero(st.credit.overage),
    ],
    ['Credit ran out', stamps([ranOutText(st, (t) => formatLocalTime(t, tz))])],
    ...(cycleHasEnded(st) ? pastCycleRows(st) : currentCycleRows(st)),
    ['Programmatic', `${formatUsdNonZero(st.programmatic.cost)} (${countOf(st.programmatic.requests, 'request')})`],

    [
      'Interactive',
      `${formatUsdNonZero(st.interactive.cost)} API-equivalent value, not charged to the credit (${countOf(st.interactive.requests, 'request')})`,
    ],
    [
      'Unknown class',
      `${formatUsdNonZero(st.unknown.cost)} ${unknownCounted(st) ? 'counted against the credit (countUnknown)' : 'no class signal, not charged to the credit'} (${countOf(st.unknown.requests, 'request')})`,
    ],
  ])}</div></section>`;
}

function provenanceSection(s: Snapshot): string {
  const p = s.provenance;
  const c = p.coverage;
  const skipped =
    Object.entries(c.skippedLines)
      .filter(([, v]) => v > 0)
      .map(([k, v]) => `${k} ${formatInt(v)}`)
      .join(', ') || 'none';
  const unpriced =
    c.unpriced
      .map((u) => `${u.model} (${countOf(u.requests, 'request')}, ${formatTokens(u.tokens)} tokens)`)
      .join(', ') || 'none';
  const warnings = c.warnings.map((w) => `<p class="warning">${esc(w)}</p>`).join('');
  return `<section id="provenance"><h2>Provenance and coverage</h2>${warnings}${dl([
    ['creditmeter', p.creditmeterVersion],
    ['Generated', { html: `${nw(formatLocalTime(p.generatedAt, p.timezone))} (${esc(p.timezone)})` }],
    ['Roots read', p.roots.join(', ') || 'none'],
    ['Price table', `${p.priceTable.version} · hash ${p.priceTable.hash}`],
    ['Files', `${formatInt(c.files)} read, ${formatInt(c.missingFiles)} gone from disk`],
    ['Lines', formatInt(c.lines)],
    ['Requests stored', formatInt(c.requests)],
    [
      'Duplicates',
      `${formatInt(c.duplicatesReplaced)} replaced by a fuller copy, ${formatInt(c.duplicatesDropped)} dropped`,
    ],
    ['Lines without message id', formatInt(c.noIdLines)],
    ['Skipped lines', skipped],
    ['Unpriced models', unpriced],
    [
      'Oldest / newest request',
      stamps([formatLocalTime(c.oldestRequest, p.timezone), formatLocalTime(c.newestRequest, p.timezone)]),
    ],
    ['Oldest transcript on disk', stamps([formatLocalTime(c.oldestTranscriptOnDisk, p.timezone)])],
    ...telemetryRows(s),
  ])}</section>`;
}

/** Provenance rows about telemetry, only when the store received any. */
function telemetryRows(s: Snapshot): [string, string][] {
  const t = s.provenance.telemetry;
  const received = t.counts.received ?? 0;
  if (received === 0 && t.ownCost.requests === 0) return [];
  const refused = Object.entries(t.counts)
    .filter(([k]) => k.startsWith('rejected:') || k.startsWith('http:'))
    .reduce((n, [, v]) => n + v, 0);
  return [
    [
      'Telemetry',
      `${formatInt(received)} api_request events received, ${formatInt(t.counts.ignored ?? 0)} other events ignored, ${formatInt(refused)} refused; ${countOf(t.telemetryOnlyRequests, 'request')} known from telemetry only`,
    ],
    [
      "Claude Code's own cost",
      `${formatUsdNonZero(t.ownCost.claudeCodeCost)} for ${countOf(t.ownCost.requests, 'request')}; creditmeter ${formatUsdNonZero(t.ownCost.creditmeterCost)} (difference ${formatUsdNonZero(t.ownCost.difference)})`,
    ],
  ];
}

/** Renders the snapshot as a complete HTML document; every string from the data is escaped. */
export function renderHtml(s: Snapshot): string {
  const st = s.status;
  const tz = st.cycle.timezone;
  const days = formatCycleDays(st.cycle.start, st.cycle.end, tz);
  const title = `creditmeter · cycle ${days}`;
  const classes: readonly RequestClass[] = s.view.classFilter === 'all' ? REQUEST_CLASSES : [s.view.classFilter];
  const narrowed = isNarrowed(s.view)
    ? ` The view holds ${formatUsdPrecise(s.totals.cost)} in ${countOf(s.totals.requests, 'request')}.`
    : '';
  const inView = isNarrowed(s.view) ? ' (this view)' : '';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark">
<title>${esc(title)}</title><style>${EXPORT_CSS}</style></head>
<body><main>
<header><h1>creditmeter · cycle ${nw(days)}</h1>
<p class="sub">Plan ${esc(st.cycle.plan)}${st.cycle.seats > 1 ? ` × ${st.cycle.seats} seats` : ''}, credit ${esc(formatUsdNonZero(st.cycle.credit))} · ${esc(formatPercent(st.cycle.elapsedFraction))} of the cycle elapsed · as of ${nw(formatLocalTime(st.now, tz))} (${esc(tz)})</p>
<p class="sub">View: ${esc(describeView(s.view))}.${esc(narrowed)}</p></header>
${creditSection(s)}
<section id="cycle"><h2>${cycleHasEnded(st) ? 'Credit spend over the cycle' : 'Credit spend over the cycle, with the P10-P90 forecast band'}</h2>${cumulativeChart(st, s.creditDaily)}</section>
<section id="daily"><h2>Spend per day${inView}</h2>${dailyBarsChart(s.daily, tz, classes)}</section>
<section id="models"><h2>Models${inView}</h2>${modelBarsChart(s.groups.model)}${s.groups.model.length === 0 ? '' : groupTable(s.groups.model, 'Model', 25)}</section>
${extraSections(s, inView)}<section id="projects"><h2>Top projects${inView}</h2>${groupTable(s.groups.project, 'Project', 10)}</section>
<section id="sessions"><h2>Top sessions${inView}</h2>${groupTable(s.groups.session, 'Session', 10, 'code')}</section>
${provenanceSection(s)}
<footer>Costs are API-equivalent prices of the requests creditmeter read from Claude Code's transcripts and telemetry. Programmatic use (Agent SDK, claude -p) draws on the credit; interactive use is shown for reference.</footer>
</main></body></html>
`;
}
