/**
 * The one-line status for Claude Code's status-line hook:
 * `credit $37.12/$100 37% · P50 end $88 · runs out Thu 14:05`.
 */
import { DateTime } from 'luxon';
import type { StatusReport } from '../domain/status-types.js';
import { formatPercent } from '../domain/format.js';
import { formatUsdShort, formatUsdWhole } from './export-format.js';

const SEP = ' · ';
const ANSI = { reset: '\u001b[0m', dim: '\u001b[2m', green: '\u001b[32m', yellow: '\u001b[33m', red: '\u001b[31m' } as const;

/** When something happens, as briefly as the distance allows: `14:05`, `Thu 14:05`, `Aug 28`. */
export function briefTime(iso: string, nowIso: string, tz: string): string {
  const t = DateTime.fromISO(iso, { zone: tz });
  const now = DateTime.fromISO(nowIso, { zone: tz });
  if (!t.isValid || !now.isValid) return '—';
  if (t.hasSame(now, 'day')) return t.toFormat('HH:mm');
  if (Math.abs(t.toMillis() - now.toMillis()) < 6 * 86_400_000) return t.toFormat('ccc HH:mm');
  return t.toFormat('LLL d');
}

/** Renders the status line; `color` adds ANSI colours (green / yellow from 70% / red from 90%). */
export function formatStatusLine(s: StatusReport, options: { color: boolean }): string {
  const paint = (code: string, text: string): string => (options.color ? `${code}${text}${ANSI.reset}` : text);
  const tz = s.cycle.timezone;
  const fraction = s.credit.usedFraction;
  const level = fraction >= 0.9 ? ANSI.red : fraction >= 0.7 ? ANSI.yellow : ANSI.green;
  const parts = [`credit ${formatUsdShort(s.credit.used)}/${formatUsdShort(s.cycle.credit)} ${paint(level, formatPercent(fraction))}`];
  parts.push(`P50 end ${formatUsdWhole(s.forecast.cycleEndSpend.p50)}`);
  if (s.credit.exhaustedAt !== null) {
    parts.push(paint(ANSI.red, `ran out ${briefTime(s.credit.exhaustedAt, s.now, tz)}`));
    if (s.credit.usageCredits) parts.push(paint(ANSI.red, `overage ${formatUsdShort(s.credit.overage)}`));
  } else {
    const out = s.forecast.exhaustionAt.p50;
    parts.push(out === null ? `runs out ${paint(ANSI.dim, '—')}` : paint(ANSI.red, `runs out ${briefTime(out, s.now, tz)}`));
  }
  return parts.join(SEP);
}

/** What the status line prints before there is any data: a hint, never an error. */
export const STATUSLINE_NO_STORE = 'creditmeter: no data yet · run `creditmeter` once';
