/** The human `report` table: aligned columns, a totals line and a warning for unpriced models. */
import { formatInt, formatUsdPrecise } from '../domain/format.js';
import type { AggregateRow } from '../domain/types.js';
import { ownCostLine, type ReportData } from './report-data.js';
import { fitTable, sanitizeCell, type Column } from './table.js';
import { wrapText } from './wrap.js';

/** A sentence naming the unpriced models, or null when every request was priced. */
export function unpricedWarning(data: ReportData): string | null {
  if (data.unpriced.length === 0) return null;
  const n = data.unpriced.reduce((s, u) => s + u.requests, 0);
  // Model names come from the logs: keep the sentence on one line whatever they hold.
  const list = data.unpriced.map((u) => `${sanitizeCell(u.model)} (${formatInt(u.requests)})`).join(', ');
  return (
    `Warning: ${formatInt(n)} request${n === 1 ? '' : 's'} of ${data.unpriced.length} unknown model${data.unpriced.length === 1 ? '' : 's'} ` +
    `${n === 1 ? 'is' : 'are'} not in the cost: ${list}. Add a price with --prices FILE, then run creditmeter reprice.`
  );
}

/** Columns a terminal too narrow for the whole table goes without, least useful first. */
const DROPPABLE = ['web search', '5m write', '1h write', 'input', 'cache read', 'output', "Claude Code's cost"];

/**
 * Renders the report; `title` is the first line (what was selected). With `width` (a terminal's
 * columns), a wider table leaves out its least useful columns and says which.
 */
export function reportText(data: ReportData, title: string, width?: number): string {
  // On a terminal, the table fits it and sentences wrap between words.
  const wrap = (text: string): string => wrapText(text, width);
  if (data.totals.requests === 0) return `${wrap(title)}\n\nNo requests match.\n`;
  const withUnpriced = data.totals.unpricedRequests > 0;
  // By session: Claude Code's own figure of each session beside creditmeter's, where it is known.
  const own = data.by === 'session' ? data.sessionOwnCost : undefined;
  const withOwn = own !== undefined && data.rows.some((r) => own[r.key] !== undefined);
  const columns: Column[] = [
    { header: data.by },
    { header: 'requests', align: 'right' },
    { header: 'input', align: 'right' },
    { header: 'output', align: 'right' },
    { header: 'cache read', align: 'right' },
    { header: '5m write', align: 'right' },
    { header: '1h write', align: 'right' },
    { header: 'web search', align: 'right' },
    { header: 'cost', align: 'right' },
    ...(withUnpriced ? [{ header: 'unpriced', align: 'right' as const }] : []),
    ...(withOwn ? [{ header: "Claude Code's cost", align: 'right' as const }] : []),
  ];
  const cells = (r: AggregateRow): string[] => [
    r.key,
    formatInt(r.requests),
    formatInt(r.inputTokens),
    formatInt(r.outputTokens),
    formatInt(r.cacheReadTokens),
    formatInt(r.cacheWrite5mTokens),
    formatInt(r.cacheWrite1hTokens),
    formatInt(r.webSearchRequests),
    // `?` as in the dashboard's lists: some of the row's requests have no price, and are in no cost.
    formatUsdPrecise(r.cost) + (r.unpricedRequests > 0 ? '?' : ''),
    ...(withUnpriced ? [formatInt(r.unpricedRequests)] : []),
    ...(withOwn ? [own[r.key] === undefined ? '' : formatUsdPrecise(own[r.key]!)] : []),
  ];
  const fitted = fitTable(columns, data.rows.map(cells), [cells(data.totals)], (width ?? Infinity) - 1, DROPPABLE);
  const left = fitted.left.join(', ');
  const table = `${fitted.table}${left ? `${wrap(`Left out to fit the terminal: ${left} (--csv and --json have every column).`)}\n` : ''}`;
  const warning = unpricedWarning(data);
  const ownLine = ownCostLine(data);
  return `${wrap(title)}\n\n${table}${warning ? `\n${wrap(warning)}\n` : ''}${ownLine ? `\n${wrap(ownLine)}\n` : ''}`;
}
