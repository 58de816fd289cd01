/** The `report` result and its machine formats (JSON contract, RFC 4180 CSV). */
import { formatInt, formatUsd, roundUsd } from '../domain/format.js';
import type { AggregateRow, ReportBy, TelemetryCostCheck, UnpricedModel } from '../domain/types.js';
import { renderCsv } from './table.js';

/** Everything a report shows: grouped rows, their totals and the models no table could price. */
export interface ReportData {
  by: ReportBy;
  rows: AggregateRow[];
  totals: AggregateRow;
  unpriced: UnpricedModel[];
  /** Requests with Claude Code's own cost estimate (telemetry); absent or zero requests: none. */
  ownCost?: TelemetryCostCheck;
  /** By session id: Claude Code's own cost of the session, as its status line last reported it. */
  sessionOwnCost?: Record<string, number>;
}

/** The totals object of `report --json`: a row without its key. */
export type ReportTotalsJson = Omit<AggregateRow, 'key'>;

/** The `report --json` document (the contract scripts rely on). */
export interface ReportJson {
  rows: AggregateRow[];
  totals: ReportTotalsJson;
  unpriced: UnpricedModel[];
  /** Present when telemetry reported Claude Code's own cost for some of the requests. */
  claudeCodeCost?: { requests: number; creditmeterCost: number; claudeCodeCost: number; difference: number };
}

function rounded(row: AggregateRow): AggregateRow {
  return {
    key: row.key,
    requests: row.requests,
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    cacheReadTokens: row.cacheReadTokens,
    cacheWrite5mTokens: row.cacheWrite5mTokens,
    cacheWrite1hTokens: row.cacheWrite1hTokens,
    webSearchRequests: row.webSearchRequests,
    cost: roundUsd(row.cost),
    unpricedRequests: row.unpricedRequests,
  };
}

/** `{"rows":[...],"totals":{...},"unpriced":[...]}` with costs rounded to 6 decimals (USD). */
export function reportJson(data: ReportData): ReportJson {
  const { key: _key, ...totals } = rounded(data.totals);
  const own = data.by === 'session' ? data.sessionOwnCost : undefined;
  return {
    rows: data.rows.map((r) =>
      own?.[r.key] !== undefined ? { ...rounded(r), claudeCodeCost: roundUsd(own[r.key]!) } : rounded(r),
    ),
    totals,
    unpriced: data.unpriced.map((u) => ({ model: u.model, requests: u.requests })),
    ...(data.ownCost && data.ownCost.requests > 0
      ? {
          claudeCodeCost: {
            requests: data.ownCost.requests,
            creditmeterCost: roundUsd(data.ownCost.creditmeterCost),
            claudeCodeCost: roundUsd(data.ownCost.claudeCodeCost),
            difference: roundUsd(data.ownCost.creditmeterCost - data.ownCost.claudeCodeCost),
          },
        }
      : {}),
  };
}

/**
 * One sentence comparing creditmeter's price with Claude Code's own estimate, or null without
 * telemetry. Under $10 in all, amounts take four decimals (two would show $0.08 against $0.08 for
 * a gap of 3%); the difference is given in percent of Claude Code's estimate too.
 */
export function ownCostLine(data: ReportData): string | null {
  const c = data.ownCost;
  if (!c || c.requests === 0) return null;
  const diff = c.creditmeterCost - c.claudeCodeCost;
  const fine = Math.max(Math.abs(c.creditmeterCost), Math.abs(c.claudeCodeCost)) < 10;
  const money = (usd: number): string => (fine ? `${usd < 0 ? '-' : ''}$${Math.abs(usd).toFixed(4)}` : formatUsd(usd));
  // A difference that rounds to nothing has no sign (not "-$0.00") and no share.
  const shown = money(Math.abs(diff));
  const nothing = shown === money(0);
  const sign = nothing ? '' : diff >= 0 ? '+' : '-';
  const share =
    nothing || c.claudeCodeCost <= 0 ? '' : `, ${sign}${((100 * Math.abs(diff)) / c.claudeCodeCost).toFixed(1)}%`;
  return (
    `Claude Code's own estimate (telemetry cost_usd) for ${formatInt(c.requests)} of these requests: ${money(c.claudeCodeCost)}; ` +
    `creditmeter prices them at ${money(c.creditmeterCost)} (difference ${sign}${shown}${share}).`
  );
}

/** Column names of `report --csv`, the JSON row fields in order. */
export const CSV_HEADER: readonly (keyof AggregateRow)[] = [
  'key',
  'requests',
  'inputTokens',
  'outputTokens',
  'cacheReadTokens',
  'cacheWrite5mTokens',
  'cacheWrite1hTokens',
  'webSearchRequests',
  'cost',
  'unpricedRequests',
];

/**
 * One CSV record per row (no totals record, so columns sum to the totals), costs rounded like JSON;
 * cells are encoded by the same csvCell as the export CSV (formulas defused).
 */
export function reportCsv(data: ReportData): string {
  return renderCsv(
    [...CSV_HEADER],
    data.rows.map(rounded).map((r) => CSV_HEADER.map((h) => r[h])),
  );
}
