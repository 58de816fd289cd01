/** Text helpers shared by the human-readable exports (Markdown, HTML, status line). */
import { DateTime } from '../domain/luxon.js';
import { formatInt, headOf } from '../domain/format.js';
import { escapeControls } from '../domain/terminal-text.js';
import type { ReportBy } from '../domain/types.js';
import { DRILL_FIELDS, type Snapshot, type SnapshotView } from './export-types.js';

/** `2026-08-25 14:05` in `tz`, or `—` for null / an unreadable instant. */
export function formatLocalTime(iso: string | null, tz: string): string {
  if (iso === null) return '—';
  const dt = DateTime.fromISO(iso, { zone: tz });
  return dt.isValid ? dt.toFormat('yyyy-LL-dd HH:mm') : '—';
}

/** `2026-08-25` in `tz` (the cycle start in file names and titles). */
export function formatLocalDay(iso: string, tz: string): string {
  const dt = DateTime.fromISO(iso, { zone: tz });
  return dt.isValid ? dt.toFormat('yyyy-LL-dd') : iso.slice(0, 10);
}

/**
 * A cycle's days as the status and the dashboard name them: its first day to its last, inclusive
 * (`2026-12-01 to 2026-12-31`; the stored end is the next cycle's first instant).
 */
export function formatCycleDays(startIso: string, endIso: string, tz: string): string {
  const end = DateTime.fromISO(endIso, { zone: tz });
  const last = end.isValid ? end.minus({ milliseconds: 1 }).toFormat('yyyy-LL-dd') : endIso.slice(0, 10);
  return `${formatLocalDay(startIso, tz)} to ${last}`;
}

/** `$100` for whole dollars, else `$37.12` (short money for headlines and the status line). */
export function formatUsdShort(usd: number): string {
  const cents = Math.round(Math.abs(usd) * 100);
  const sign = usd < 0 && cents > 0 ? '-' : '';
  const whole = formatInt(Math.floor(cents / 100));
  return cents % 100 === 0 ? `${sign}$${whole}` : `${sign}$${whole}.${String(cents % 100).padStart(2, '0')}`;
}

/** `$88` (whole dollars, for forecasts whose cents are noise). */
export function formatUsdWhole(usd: number): string {
  return `${usd < -0.5 ? '-' : ''}$${formatInt(Math.abs(usd))}`;
}

/** One line that says which view a snapshot shows: class, grouping, drill-down, text filter. */
export function describeView(view: SnapshotView): string {
  const parts = [
    view.classFilter === 'all' ? 'all classes' : `${view.classFilter} only`,
    `grouped by ${view.grouping}`,
  ];
  for (const [field, word] of DRILL_FIELDS)
    if (view.drill[field] !== undefined) parts.push(`${word} ${view.drill[field]}`);
  if (view.textFilter !== null && view.textFilter !== '') parts.push(`filter "${view.textFilter}"`);
  return parts.join(', ');
}

/** True when the view narrows the cycle's requests (a class, drill-down or text filter). */
export function isNarrowed(view: SnapshotView): boolean {
  return (
    view.classFilter !== 'all' ||
    DRILL_FIELDS.some(([field]) => view.drill[field] !== undefined) ||
    (view.textFilter !== null && view.textFilter !== '')
  );
}

/**
 * Escapes text for HTML element content and quoted attribute values. Control characters and
 * bidirectional overrides show as the text reports show them (`\u{202e}`), so a name cannot
 * reorder the page (`\u{202e}oper/emca` read as `acme/repo`); line breaks and tabs stay (white space).
 */
export function escapeHtml(text: string): string {
  return escapeControls(text, HTML_WHITE_SPACE)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const HTML_WHITE_SPACE: ReadonlySet<string> = new Set(['\n', '\r', '\t']);

/** Escapes text for one Markdown table cell: no line breaks, no pipes, no markup or raw HTML. */
export function escapeMarkdown(text: string): string {
  // Line breaks become spaces (a table row stays one line); other control characters (a sender's
  // terminal escape codes) show as `\u{1b}`, as in the text tables, so a pasted page runs none.
  // `&` too: `&amp;` in a name would read as `&` (an entity).
  return escapeControls(text.replace(/[\r\n]+/g, ' ')).replace(/([\\`*_{}[\]()<>#|!~&])/g, '\\$1');
}

/** `1,234` and `1 request` / `3 requests`: the one implementation lives in domain/format.ts. */
export { countOf, formatInt as groupThousands } from '../domain/format.js';

/** A session id shortened for display (`3f2a9c1b…`). */
export function shortId(id: string): string {
  return id.length > 12 ? `${headOf(id, 8)}…` : id;
}

/** A table the Markdown and HTML pages show besides the ones they always have. */
export interface ExtraTable {
  by: ReportBy;
  /** `view`: the view's own grouping; `who`: who ran the requests (telemetry's attribution). */
  kind: 'view' | 'who';
  title: string;
  /** The key column's heading. */
  label: string;
  /** Calendar periods: every row is listed, oldest first. */
  calendar: boolean;
}

/** Groupings every page has a table of. */
const ALWAYS_SHOWN: readonly ReportBy[] = ['model', 'project', 'session'];
const WHO_TABLES = [
  ['workflow', 'Top workflows', 'Workflow'],
  ['user', 'Top users', 'User'],
  ['repo', 'Top repositories', 'Repository'],
] as const;

/**
 * The pages' other tables, in order: the view's grouping when the pages lack it, then the
 * workflows, users and repositories when the store has them (each once).
 */
export function extraTables(s: Snapshot): ExtraTable[] {
  const g = s.view.grouping;
  const out: ExtraTable[] = [];
  if (!ALWAYS_SHOWN.includes(g)) {
    const calendar = g === 'day' || g === 'week' || g === 'month';
    out.push({ by: g, kind: 'view', title: `By ${g}`, label: g.charAt(0).toUpperCase() + g.slice(1), calendar });
  }
  for (const [by, title, label] of WHO_TABLES)
    if (s.groups[by] !== undefined && by !== g) out.push({ by, kind: 'who', title, label, calendar: false });
  return out;
}
