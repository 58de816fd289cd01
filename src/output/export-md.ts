/** The Markdown snapshot: a readable summary with tables, for an issue, a PR comment or a chat. */
import { formatInt, formatPercent, formatTokens, formatUsdNonZero, formatUsdPrecise } from '../domain/format.js';
import { cycleHasEnded, ranOutText, unknownCounted } from '../domain/status-types.js';
import type { AggregateRow } from '../domain/types.js';
import {
  countOf,
  describeView,
  escapeMarkdown as esc,
  extraTables,
  formatCycleDays,
  formatLocalTime,
  isNarrowed,
  shortId,
} from './export-format.js';
import type { Snapshot } from './export-types.js';

const TOP = 10;

function table(header: string[], rows: string[][], rightFrom = 1): string {
  const align = header.map((_, i) => (i >= rightFrom ? '---:' : '---'));
  return [header, align, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

function groupTable(title: string, rows: AggregateRow[], label: (key: string) => string, limit = TOP): string {
  if (rows.length === 0) return `## ${title}\n\nNo requests.`;
  const shown = rows
    .slice(0, limit)
    .map((r) => [
      label(r.key),
      formatInt(r.requests),
      formatTokens(r.inputTokens + r.cacheReadTokens + r.cacheWrite5mTokens + r.cacheWrite1hTokens),
      formatTokens(r.outputTokens),
      formatUsdPrecise(r.cost) + (r.unpricedRequests > 0 ? ` (+${r.unpricedRequests} unpriced)` : ''),
    ]);
  const more = rows.length > limit ? `\n\n…and ${rows.length - limit} more.` : '';
  return `## ${title}\n\n${table(['', 'Requests', 'Prompt tokens', 'Output tokens', 'Cost'], shown)}${more}`;
}

function creditSection(s: Snapshot): string {
  const st = s.status;
  const tz = st.cycle.timezone;
  const c = st.credit;
  const rows = [
    [
      'Credit used',
      `${formatUsdNonZero(c.used)} of ${formatUsdNonZero(st.cycle.credit)} (${formatPercent(c.usedFraction)})`,
    ],
    ['Remaining', formatUsdNonZero(c.remaining)],
    [c.usageCredits ? 'Overage (usage credits)' : 'Overage (usage credits off)', formatUsdNonZero(c.overage)],
    ...(c.overageCap === undefined
      ? []
      : [
          [
            'Usage credits cap',
            `${formatUsdNonZero(c.overageCap)}${c.overageCapReachedAt != null ? `, reached ${formatLocalTime(c.overageCapReachedAt, tz)}: programmatic access stopped` : ''}`,
          ],
        ]),
    ['Credit ran out', ranOutText(st, (t) => formatLocalTime(t, tz))],
    ['Cycle elapsed', formatPercent(st.cycle.elapsedFraction)],
    ['Programmatic', `${formatUsdNonZero(st.programmatic.cost)} in ${countOf(st.programmatic.requests, 'request')}`],
    [
      'Interactive (API-equivalent value, not charged to the credit)',
      `${formatUsdNonZero(st.interactive.cost)} in ${countOf(st.interactive.requests, 'request')}`,
    ],
    [
      unknownCounted(st)
        ? 'Unknown class (counted against the credit: countUnknown)'
        : 'Unknown class (no class signal; not charged to the credit)',
      `${formatUsdNonZero(st.unknown.cost)} in ${countOf(st.unknown.requests, 'request')}`,
    ],
  ];
  return `## Credit\n\n${table(['', ''], rows, 9)}`;
}

function forecastSection(s: Snapshot): string {
  const f = s.status.forecast;
  const tz = s.status.cycle.timezone;
  if (cycleHasEnded(s.status)) {
    // A past cycle: its rates and forecast would be those of now; only how it ended holds.
    const c = s.status.credit;
    const end =
      c.exhaustedAt === null
        ? 'the credit lasted the cycle'
        : `the credit ran out ${formatLocalTime(c.exhaustedAt, tz)}`;
    return `## Forecast\n\nNot applicable: the cycle has ended. Final spend ${formatUsdNonZero(c.used)}; ${end}. Burn rates: not applicable.`;
  }
  const b = s.status.burnRate;
  const rows = [
    [
      'Cycle-end spend',
      formatUsdNonZero(f.cycleEndSpend.p10),
      formatUsdNonZero(f.cycleEndSpend.p50),
      formatUsdNonZero(f.cycleEndSpend.p90),
    ],
    [
      // Percentiles of a time: P10 is the earliest (the high-spend case), P90 the latest, so a P90
      // spend past the credit may sit beside a P90 time that lasts the cycle.
      'Credit runs out (P10 earliest, P90 latest)',
      ...[f.exhaustionAt.p10, f.exhaustionAt.p50, f.exhaustionAt.p90].map((t) =>
        t === null ? 'not this cycle' : formatLocalTime(t, tz),
      ),
    ],
    [
      'Projected overage',
      formatUsdNonZero(f.projectedOverage.p10),
      formatUsdNonZero(f.projectedOverage.p50),
      formatUsdNonZero(f.projectedOverage.p90),
    ],
  ];
  const burn =
    `Burn rate: ${formatUsdNonZero(b.lastHourPerHour)}/h last hour, ${formatUsdNonZero(b.last24hPerHour)}/h last 24 h, ` +
    `${formatUsdNonZero(b.last7dPerDay)}/day last 7 days, ${formatUsdNonZero(b.cyclePerDay)}/day this cycle.`;
  return `## Forecast\n\n${table(['', 'P10', 'P50', 'P90'], rows)}\n\n${burn}`;
}

function coverageSection(s: Snapshot): string {
  const p = s.provenance;
  const c = p.coverage;
  const skipped = Object.entries(c.skippedLines).filter(([, n]) => n > 0);
  const unpriced = c.unpriced.map(
    (u) => `${esc(u.model)} (${countOf(u.requests, 'request')}, ${formatTokens(u.tokens)} tokens)`,
  );
  const lines = [
    `- Read ${countOf(c.files, 'file')} (${formatInt(c.missingFiles)} gone from disk), ${countOf(c.lines, 'line')}, ${countOf(c.requests, 'request')} stored.`,
    `- Duplicates: ${formatInt(c.duplicatesReplaced)} replaced by a fuller copy, ${formatInt(c.duplicatesDropped)} dropped; ${formatInt(c.noIdLines)} ${c.noIdLines === 1 ? 'line' : 'lines'} without a message id.`,
    `- Skipped lines: ${skipped.length === 0 ? 'none' : skipped.map(([r, n]) => `${esc(r)} ${formatInt(n)}`).join(', ')}.`,
    `- Unpriced models: ${unpriced.length === 0 ? 'none' : unpriced.join(', ')}.`,
    `- Requests from ${formatLocalTime(c.oldestRequest, p.timezone)} to ${formatLocalTime(c.newestRequest, p.timezone)}.`,
    `- Prices: table ${esc(p.priceTable.version)}, hash \`${p.priceTable.hash}\`. Roots: ${p.roots.length === 0 ? 'none' : p.roots.map(esc).join(', ')}.`,
    ...(p.telemetry.ownCost.requests > 0 || (p.telemetry.counts.received ?? 0) > 0
      ? [
          `- Telemetry: ${formatInt(p.telemetry.counts.received ?? 0)} api_request events received, ${countOf(p.telemetry.telemetryOnlyRequests, 'request')} known from telemetry only; Claude Code's own cost ${formatUsdNonZero(p.telemetry.ownCost.claudeCodeCost)} for ${countOf(p.telemetry.ownCost.requests, 'request')}, creditmeter ${formatUsdNonZero(p.telemetry.ownCost.creditmeterCost)} (difference ${formatUsdNonZero(p.telemetry.ownCost.difference)}).`,
        ]
      : []),
    ...c.warnings.map((w) => `- **Warning:** ${esc(w)}`),
  ];
  return `## Coverage\n\n${lines.join('\n')}`;
}

/** Renders the snapshot as Markdown: header, credit, forecast, models, top projects and sessions, coverage. */
export function renderMarkdown(s: Snapshot): string {
  const st = s.status;
  const tz = st.cycle.timezone;
  const p = s.provenance;
  const head = [
    `# creditmeter snapshot: cycle ${formatCycleDays(st.cycle.start, st.cycle.end, tz)}`,
    '',
    `Generated ${formatLocalTime(p.generatedAt, tz)} (${esc(tz)}) by creditmeter ${esc(p.creditmeterVersion)} · ` +
      `plan ${esc(st.cycle.plan)}${st.cycle.seats > 1 ? ` × ${st.cycle.seats} seats` : ''}, credit ${formatUsdNonZero(st.cycle.credit)}` +
      (st.unpriced.length > 0
        ? ` · ${countOf(st.unpriced.length, 'model')} without a price: their requests are counted apart, never as $0`
        : ''),
    '',
    `View: ${esc(describeView(s.view))}.${isNarrowed(s.view) ? ` The tables below show ${formatUsdPrecise(s.totals.cost)} in ${countOf(s.totals.requests, 'request')}.` : ''}`,
  ];
  const sections = [head.join('\n'), creditSection(s), forecastSection(s), groupTable('Models', s.groups.model, esc)];
  for (const t of extraTables(s))
    sections.push(groupTable(t.title, s.groups[t.by] ?? [], esc, t.calendar ? Infinity : TOP));
  sections.push(groupTable('Top projects', s.groups.project, esc));
  sections.push(groupTable('Top sessions', s.groups.session, (k) => esc(shortId(k))));
  sections.push(coverageSection(s));
  return `${sections.join('\n\n')}\n`;
}
