/**
 * The one-line status for Claude Code's status-line hook, short enough for 80 columns:
 * `session $1.20 · today $4.10 · credit $37.12/$100 37% · runs out Thu 14:05`, plus `· 2 unpriced`
 * when requests of the cycle have a model no price table knows (their cost is missing from every
 * figure). The run-out is the P50 moment, shown only when it falls within the cycle.
 */
import { DateTime } from '../domain/luxon.js';
import type { StatusReport } from '../domain/status-types.js';
import { formatUsdShort, groupThousands } from './export-format.js';
import { formatPercent, formatUsd } from '../domain/format.js';

const SEP = ' · ';
const ANSI = {
  reset: '\u001b[0m',
  dim: '\u001b[2m',
  green: '\u001b[32m',
  yellow: '\u001b[33m',
  red: '\u001b[31m',
} as const;

/** When something happens, as briefly as the distance allows: `14:05`, `Thu 14:05`, `Aug 28`. */
export function briefTime(iso: string, nowIso: string, tz: string): string {
  const t = DateTime.fromISO(iso, { zone: tz });
  const now = DateTime.fromISO(nowIso, { zone: tz });
  if (!t.isValid || !now.isValid) return '—';
  if (t.hasSame(now, 'day')) return t.toFormat('HH:mm');
  if (Math.abs(t.toMillis() - now.toMillis()) < 6 * 86_400_000) return t.toFormat('ccc HH:mm');
  return t.toFormat('LLL d');
}

/** What the status line shows: a few figures of the status, possibly refreshed from a cached forecast. */
export interface StatusLineFigures {
  now: string;
  timezone: string;
  credit: number;
  used: number;
  usedFraction: number;
  usageCredits: boolean;
  overage: number;
  exhaustedAt: string | null;
  p50End: number;
  p50ExhaustionAt: string | null;
  /** Requests of the cycle so far without a price (unknown model): left out of the figures. */
  unpricedRequests: number;
  /** Counted spend since local midnight. */
  today: number;
  /** This session's cost at API rates (creditmeter's price of its requests, else Claude Code's own); null when unknown. */
  session: number | null;
}

/** The status line's figures of a full status report, with today's spend and the session's cost. */
export function figuresOfStatus(
  s: StatusReport,
  extra: { today: number; session: number | null } = { today: 0, session: null },
): StatusLineFigures {
  return {
    now: s.now,
    timezone: s.cycle.timezone,
    credit: s.cycle.credit,
    used: s.credit.used,
    usedFraction: s.credit.usedFraction,
    usageCredits: s.credit.usageCredits,
    overage: s.credit.overage,
    exhaustedAt: s.credit.exhaustedAt,
    p50End: s.forecast.cycleEndSpend.p50,
    p50ExhaustionAt: s.forecast.exhaustionAt.p50,
    unpricedRequests: s.unpriced.reduce((n, u) => n + u.requests, 0),
    today: extra.today,
    session: extra.session,
  };
}

/** The widest line the status line prints (README: short enough for 80 columns). */
const STATUS_LINE_WIDTH = 80;

/**
 * Renders the status line; `color` adds ANSI colours (green / yellow from 70% / red from 90%).
 * Within 80 columns: amounts of $10 and more lose their cents, then today's spend goes, then the
 * session's, before anything about the credit.
 */
export function formatStatusLine(f: StatusLineFigures, options: { color: boolean }): string {
  let line = '';
  for (let compact = 0; compact <= 3; compact++) {
    line = statusLineAt(f, options.color, compact);
    if (line.replace(/\u001b\[\d+m/g, '').length <= STATUS_LINE_WIDTH) break;
  }
  return line;
}

function statusLineAt(f: StatusLineFigures, color: boolean, compact: number): string {
  const paint = (code: string, text: string): string => (color ? `${code}${text}${ANSI.reset}` : text);
  const level = f.usedFraction >= 0.9 ? ANSI.red : f.usedFraction >= 0.7 ? ANSI.yellow : ANSI.green;
  // Dollars and cents ($3.00 beside $3.01, $0.00 for none); compact, whole dollars from $10.
  const usd = (v: number): string =>
    compact >= 1 && Math.abs(v) >= 10 ? `$${groupThousands(Math.round(v))}` : formatUsd(v);
  const parts: string[] = [];
  // The plan's credit as it is named ($100).
  if (f.session !== null && compact < 3) parts.push(`session ${usd(f.session)}`);
  if (compact < 2) parts.push(`today ${usd(f.today)}`);
  parts.push(`credit ${usd(f.used)}/${formatUsdShort(f.credit)} ${paint(level, formatPercent(f.usedFraction))}`);
  if (f.exhaustedAt !== null) {
    parts.push(paint(ANSI.red, `ran out ${briefTime(f.exhaustedAt, f.now, f.timezone)}`));
    if (f.usageCredits) parts.push(paint(ANSI.red, `overage ${usd(f.overage)}`));
  } else if (f.p50ExhaustionAt !== null) {
    // P50: the credit runs out within this cycle on the middle forecast.
    parts.push(paint(ANSI.red, `runs out ${briefTime(f.p50ExhaustionAt, f.now, f.timezone)}`));
  }
  // Figures without these requests' cost are too low: say so, as every other output does.
  if (f.unpricedRequests > 0) parts.push(paint(ANSI.yellow, `${groupThousands(f.unpricedRequests)} unpriced`));
  return parts.join(SEP);
}
