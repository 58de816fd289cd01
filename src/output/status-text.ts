/**
 * The human summary of a StatusReport: a few lines for a terminal, a pipe or the dashboard when
 * stdout is not a TTY. Colour only when asked (callers pass false under NO_COLOR or a pipe).
 */
import { DateTime } from '../domain/luxon.js';
import {
  cycleHasEnded,
  NO_USER,
  PLAN_LABELS,
  unknownCounted,
  type SeatStatus,
  type StatusReport,
} from '../domain/status-types.js';
import { cycleDays } from '../domain/cycle.js';
import { rateDays } from '../domain/burn.js';
import { cutText, refusedRequestsText, refusedText } from '../domain/telemetry.js';
import { countOf, formatInt, formatPercent, formatUsd, formatUsdNonZero } from '../domain/format.js';
import { sanitizeCell } from './table.js';
import { headToWidth, padToWidth, textWidth } from '../domain/terminal-text.js';
import { wrapText } from './wrap.js';

export interface StatusTextOptions {
  color: boolean;
  /** True when no config named the plan: the summary says what it assumed and how to set it. */
  assumed?: boolean;
  /** Width of the gauge bar in cells. */
  gaugeWidth?: number;
  /** The terminal's columns: longer lines wrap between words under their label (none: not a terminal). */
  columns?: number;
  /**
   * The cycle's counted spend by who ran it (telemetry's attribution), most first: one line per
   * grouping the store has, after the models.
   */
  attribution?: ReadonlyArray<{ by: 'workflow' | 'user' | 'repo'; rows: ReadonlyArray<{ key: string; cost: number }> }>;
}

/**
 * A sender's name as `status` shows it: control characters escaped, and past 48 columns cut with
 * `…` (telemetry names run to 511 characters: one would fill the terminal's lines, and pad every
 * seat's line to it); `--json` has it whole.
 */
const NAME_COLUMNS = 48;
function shownName(name: string): string {
  const safe = sanitizeCell(name);
  return textWidth(safe) > NAME_COLUMNS ? `${headToWidth(safe, NAME_COLUMNS - 1)}…` : safe;
}

/** Groups named on an attribution line; the rest are counted. */
const ATTRIBUTION_LISTED = 3;
const ATTRIBUTION_LABELS = { workflow: 'Workflows     ', user: 'Users         ', repo: 'Repositories  ' } as const;

/** "Workflows    nightly-triage $12.30 · release-notes $4.10 · +3 more": requests without the attribute show as "(none)". */
function attributionLines(options: StatusTextOptions): string[] {
  const out: string[] = [];
  for (const { by, rows } of options.attribution ?? []) {
    const spent = rows.filter((r) => r.cost > 0);
    if (spent.length === 0) continue;
    // Names come from senders' telemetry: control characters are shown, never sent to the terminal.
    const named = spent.slice(0, ATTRIBUTION_LISTED).map((r) => `${shownName(r.key)} ${formatUsdNonZero(r.cost)}`);
    const more = spent.length - ATTRIBUTION_LISTED;
    out.push(`${ATTRIBUTION_LABELS[by]}${[...named, ...(more > 0 ? [`+${formatInt(more)} more`] : [])].join(' · ')}`);
  }
  return out;
}

/** Programmatic models listed one per line, most spent first; the rest are summed on one line. */
const MODELS_LISTED = 5;
function basisNote(report: StatusReport): string {
  const basis = report.forecast.basis;
  if (basis === undefined || basis.method === 'complete') return '';
  return `\n          based on ${basis.text}`;
}

function paint(on: boolean, code: string, text: string): string {
  return on ? `\u001b[${code}m${text}\u001b[0m` : text;
}

function when(iso: string, withTime = true): string {
  const dt = DateTime.fromISO(iso, { setZone: true });
  return dt.toFormat(withTime ? 'LLL d HH:mm' : 'LLL d');
}

function ordinal(n: number): string {
  const s =
    n % 100 >= 11 && n % 100 <= 13 ? 'th' : (({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th');
  return `${n}${s}`;
}

/** A bar of `width` cells filled to the used fraction, with `|` where the cycle's elapsed time is. */
export function gauge(usedFraction: number, elapsedFraction: number, width: number, color: boolean): string {
  const filled = Math.round(Math.min(1, Math.max(0, usedFraction)) * width);
  const mark = Math.min(width - 1, Math.floor(Math.min(1, Math.max(0, elapsedFraction)) * width));
  const cells = Array.from({ length: width }, (_, i) => (i === mark ? '|' : i < filled ? '█' : '░')).join('');
  const code = usedFraction >= 1 ? '31' : usedFraction >= 0.75 ? '33' : '32';
  return paint(color, code, cells);
}

/** The running cycle's forecast lines: the band, what it rests on, when the credit runs out, overage. */
function currentForecastLines(r: StatusReport, lines: string[], bold: (t: string) => string): void {
  const c = r.credit;
  const f = r.forecast;
  lines.push(
    `Forecast  cycle end ${bold(formatUsdNonZero(f.cycleEndSpend.p50))} (P10 ${formatUsdNonZero(f.cycleEndSpend.p10)} - P90 ${formatUsdNonZero(f.cycleEndSpend.p90)})${basisNote(r)}`,
  );
  const e = f.exhaustionAt;
  if (c.exhaustedAt === null) {
    const exhaustion =
      e.p50 === null
        ? e.p10 === null
          ? 'credit lasts the cycle'
          : `credit lasts the cycle (P50); runs out by ${when(e.p10)} in the busiest 10%`
        : `credit runs out ${when(e.p50)} (P10 ${when(e.p10 ?? e.p50)}, P90 ${e.p90 === null ? 'lasts the cycle' : when(e.p90)})`;
    lines.push(`          ${exhaustion}${!c.usageCredits && e.p50 !== null ? ', then programmatic access stops' : ''}`);
  }
  if (c.usageCredits) {
    const o = f.projectedOverage;
    lines.push(
      `Overage   projected ${formatUsdNonZero(o.p50)} (P10 ${formatUsdNonZero(o.p10)} - P90 ${formatUsdNonZero(o.p90)}) billed as usage credits${c.overageCap === undefined ? '' : `, capped at ${formatUsd(c.overageCap)}`}`,
    );
  }
}

/** The compact human summary of `report`. */
export function formatStatusText(report: StatusReport, options: StatusTextOptions): string {
  const { color } = options;
  const r = report;
  const bold = (t: string): string => paint(color, '1', t);
  const dim = (t: string): string => paint(color, '2', t);
  const lines: string[] = [];
  const seats = r.cycle.seats > 1 ? ` x${r.cycle.seats} seats` : '';
  // Seats with their own credit: each seat's share first, the account's sum after it.
  const credit =
    r.seats !== undefined && r.cycle.seats > 1
      ? `${formatUsd(r.cycle.credit / r.cycle.seats)} per seat (${formatUsd(r.cycle.credit)} in all)`
      : formatUsd(r.cycle.credit);
  lines.push(
    `${bold('creditmeter')}  ${PLAN_LABELS[r.cycle.plan]}${seats}, credit ${credit}; cycle ${cycleDays(Date.parse(r.cycle.start), Date.parse(r.cycle.end) - 1, Date.parse(r.now), r.cycle.timezone)} (${r.cycle.timezone}), ${formatPercent(r.cycle.elapsedFraction)} elapsed`,
  );
  const c = r.credit;
  lines.push(
    // A credit of $0 (`--credit 0`) has no share to give: spend is said as it is.
    `Credit    ${bold(formatUsdNonZero(c.used))} of ${formatUsd(r.cycle.credit)} used (${r.cycle.credit > 0 ? formatPercent(c.usedFraction) : 'no credit'}), ${formatUsd(c.remaining)} left`,
  );
  // 40 cells, fewer on a terminal too narrow for them after the label's 10 columns.
  const cells =
    options.gaugeWidth ?? (options.columns === undefined ? 40 : Math.max(10, Math.min(40, options.columns - 11)));
  lines.push(`          ${gauge(c.usedFraction, r.cycle.elapsedFraction, cells, color)}`);
  if (c.exhaustedAt !== null) {
    lines.push(
      paint(
        color,
        '31',
        c.usageCredits
          ? `          Credit used up ${when(c.exhaustedAt)}; usage credits billed so far ${formatUsdNonZero(c.overage)}${c.overageCap === undefined ? '' : ` of the ${formatUsd(c.overageCap)} cap`}`
          : `          Credit used up ${when(c.exhaustedAt)}: programmatic access stopped (usage credits off)`,
      ),
    );
  }
  if (c.overageCapReachedAt != null)
    lines.push(
      paint(
        color,
        '31',
        `          Usage credits cap reached ${when(c.overageCapReachedAt)}: programmatic access stopped`,
      ),
    );
  const b = r.burnRate;
  if (cycleHasEnded(r)) {
    // A past cycle: no rates or forecast, only how it ended.
    lines.push('Burn      not applicable: the cycle has ended');
    lines.push(
      `Forecast  not applicable: final spend ${bold(formatUsdNonZero(c.used))}, ${c.exhaustedAt === null ? 'the credit lasted the cycle' : `the credit ran out ${when(c.exhaustedAt)}`}`,
    );
  } else {
    lines.push(
      `Burn      ${formatUsdNonZero(b.lastHourPerHour)}/h last hour, ${formatUsdNonZero(b.last24hPerHour)}/h last 24 h, ${formatUsdNonZero(b.last7dPerDay)}/day last 7 days, ${formatUsdNonZero(b.cyclePerDay)}/day this cycle`,
    );
    currentForecastLines(r, lines, bold);
  }
  if (r.seats !== undefined) lines.push(...seatLines(r.seats, r.cycle.seats));
  lines.push(`Programmatic ${formatUsdNonZero(r.programmatic.cost)} in ${countOf(r.programmatic.requests, 'request')}`);
  const elapsedDays = rateDays(
    { startMs: Date.parse(r.cycle.start), endMs: Date.parse(r.cycle.end) },
    Date.parse(r.now),
  );
  const spent = r.byModel.filter((m) => m.class === 'programmatic' && m.cost > 0);
  const models = spent.slice(0, MODELS_LISTED);
  // In columns: the names, then the costs right-aligned.
  const nameWidth = Math.max(0, ...models.map((m) => m.model.length));
  const costWidth = Math.max(0, ...models.map((m) => formatUsdNonZero(m.cost).length));
  // What follows the cost, in the longest form every row's line fits on a terminal (whole when piped).
  const asides: Array<(m: (typeof models)[number]) => string> = [
    (m) =>
      `  (${countOf(m.requests, 'request')}${elapsedDays > 0 ? `, ${formatUsdNonZero(m.cost / elapsedDays)}/day` : ''})`,
    (m) => `  (${formatInt(m.requests)} req${elapsedDays > 0 ? `, ${formatUsdNonZero(m.cost / elapsedDays)}/d` : ''})`,
    (m) => `  (${formatInt(m.requests)} req)`,
    () => '',
  ];
  const room = options.columns === undefined ? Infinity : options.columns - 1;
  const head = (m: (typeof models)[number]): string =>
    `  ${m.model.padEnd(nameWidth)}  ${formatUsdNonZero(m.cost).padStart(costWidth)}`;
  const aside = asides.find((a) => models.every((m) => head(m).length + a(m).length <= room)) ?? asides[0]!;
  for (const m of models) lines.push(head(m) + aside(m));
  const rest = spent.slice(MODELS_LISTED);
  if (rest.length > 0) {
    const restCost = rest.reduce((t, m) => t + m.cost, 0);
    lines.push(
      dim(
        `  +${countOf(rest.length, 'more model')}, ${formatUsdNonZero(restCost)} (creditmeter report --by model has them all)`,
      ),
    );
  }
  lines.push(...attributionLines(options));
  lines.push(
    `Interactive  ${formatUsdNonZero(r.interactive.cost)} in ${countOf(r.interactive.requests, 'request')} ${dim('(API-equivalent value, not charged to the credit)')}`,
  );
  if (r.unknown.requests > 0) {
    const counted = unknownCounted(r);
    lines.push(
      `Unknown      ${formatUsdNonZero(r.unknown.cost)} in ${countOf(r.unknown.requests, 'request')} ${dim(counted ? '(no class signal; counted against the credit)' : '(no class signal; not counted, config countUnknown counts it)')}`,
    );
  }
  if (r.unpriced.length > 0) {
    const total = r.unpriced.reduce((s, u) => s + u.requests, 0);
    const names =
      r.unpriced
        .slice(0, 3)
        .map((u) => sanitizeCell(u.model))
        .join(', ') + (r.unpriced.length > 3 ? `, +${formatInt(r.unpriced.length - 3)} more` : '');
    lines.push(
      paint(
        color,
        '33',
        `Unpriced  ${countOf(total, 'request')} of ${countOf(r.unpriced.length, 'model')} without a price (${names}) ${total === 1 ? 'is' : 'are'} missing from the totals; add them with --prices`,
      ),
    );
  }
  // A `Refused` line, when anything was: how many in all, what of, each cause in words, and when
  // the last one came (whether a sender is still set up wrong, or was fixed since).
  const refused = (
    counts: Record<string, number> | undefined,
    last: string | undefined,
    what: string,
    said: (c: Record<string, number>, since: string) => string,
  ): void => {
    if (counts === undefined) return;
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    // The year too when it is not this one: a refusal from last December is no recent one.
    const lastShown =
      last === undefined
        ? ''
        : last.slice(0, 4) === r.now.slice(0, 4)
          ? when(last)
          : `${when(last, false)} ${last.slice(0, 4)}`;
    const since = `since this store began${lastShown === '' ? '' : ` (the last ${lastShown})`}`;
    lines.push(paint(color, '33', `Refused   ${countOf(total, what)} ${said(counts, since)}`));
  };
  refused(
    r.telemetryRefused,
    r.telemetryRefusedLast,
    'telemetry record',
    (c, since) => `${since}, not in any total: ${refusedText(c)}`,
  );
  if (r.telemetryCut !== undefined)
    lines.push(paint(color, '33', `Cut       ${cutText(r.telemetryCut)} (each request kept, in every total)`));
  refused(
    r.requestsRefused,
    r.requestsRefusedLast,
    'request',
    (c, since) => `to serve ${since}: ${refusedRequestsText(c)}`,
  );
  if (options.assumed) {
    const day = DateTime.fromISO(r.cycle.start, { setZone: true }).day;
    lines.push(
      dim(
        `Assumed plan ${PLAN_LABELS[r.cycle.plan]}, cycle on the ${ordinal(day)}, ${r.cycle.timezone}; set yours with: creditmeter config set plan max5x`,
      ),
    );
  }
  return `${wrapText(lines.join('\n'), options.columns)}\n`;
}

/**
 * Seats gauged one by one (seatCredit per-seat), nearest exhaustion first; at most 10 named. More
 * people spending than the plan has seats is said: the account's credit is the seats' sum.
 */
function seatLines(seats: readonly SeatStatus[], planSeats: number): string[] {
  if (seats.length === 0) return ['Seats     no programmatic spend by any seat yet'];
  const shown = seats.slice(0, 10);
  // A name's control characters escaped (one line each), padded by the columns it takes (CJK two each).
  const names = shown.map((s) => shownName(s.user));
  const width = Math.max(...names.map(textWidth));
  const out = shown.map(
    (s, i) =>
      `${i === 0 ? 'Seats' : '     '}     ${padToWidth(names[i]!, width)}  ${formatUsdNonZero(s.used)} of ${formatUsd(s.credit)} (${formatPercent(s.usedFraction)}), P50 ${formatUsdNonZero(s.forecast.cycleEndSpend.p50)} by the cycle end${s.forecast.exhaustionAt ? `, ${s.usedFraction >= 1 ? 'ran' : 'runs'} out ${when(s.forecast.exhaustionAt)}` : ''}`,
  );
  if (seats.length > shown.length) out.push(`          +${seats.length - shown.length} more seats`);
  if (seats.some((s) => s.user === NO_USER))
    out.push(
      `          ${NO_USER}${shown.some((s) => s.user === NO_USER) ? '' : ' (among them)'} is the spend with no user (transcripts, telemetry without one), gauged as one seat`,
    );
  // One person however telemetry spelled their address's case (as --user matches it).
  const people = new Set(seats.filter((s) => s.user !== NO_USER).map((s) => s.user.toLowerCase())).size;
  if (people > planSeats)
    out.push(
      `          ${people} people spent this cycle on a plan of ${planSeats} seat${planSeats === 1 ? '' : 's'}: set yours with creditmeter config set seats ${people} (or --seats)`,
    );
  return out;
}
