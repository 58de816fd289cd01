/**
 * A request as its row reads on screen: the time, cost and token texts the request list draws,
 * kept here so the `/` filter matches what the row shows (the views import them from here too).
 */
import { formatTokens, formatUsd, usdUnderACent } from '../domain/format.js';
import { DateTime } from '../domain/luxon.js';
import type { RequestDetail } from './types.js';

/** `Nov 24 14:32:05` in `tz` (request lists and details: the dashboard's one date format, with seconds). */
export function stampTime(at: number | string, tz: string): string {
  const t = typeof at === 'number' ? DateTime.fromMillis(at) : DateTime.fromISO(at);
  return t.setZone(tz).toFormat('LLL d HH:mm:ss');
}

/**
 * A per-request cost: `$0.00` for zero, two significant digits under a cent (`$0.0012`,
 * `$0.0000034`) so a tiny streaming copy never reads as `$0.0000`, else `$1.23`.
 */
export function requestCost(usd: number): string {
  const a = Math.abs(usd);
  if (a === 0 || !Number.isFinite(usd)) return '$0.00';
  return a >= 0.01 ? formatUsd(usd) : usdUnderACent(usd);
}

/** A request's cost as lists show it, `unpriced` when its model has no price. */
export function requestCostText(cost: number | null): string {
  return cost === null ? 'unpriced' : requestCost(cost);
}

/**
 * Every text a request's row can show, at any width: time, model, entrypoint, the tokens of each
 * kind (both cache writes also as one), cost and class. A narrow column's forms (the time to the
 * minute, a short model name) are parts of these, so they match too; the request's id is not shown.
 */
export function requestTexts(d: RequestDetail, tz: string): string[] {
  const u = d.usage;
  const tokens = [u.input, u.output, u.cacheRead, u.cacheWrite5m, u.cacheWrite1h, u.cacheWrite5m + u.cacheWrite1h];
  return [
    stampTime(d.ts, tz),
    d.model,
    d.entrypoint ?? '-',
    ...tokens.map(formatTokens),
    requestCostText(d.cost),
    d.class,
  ];
}
