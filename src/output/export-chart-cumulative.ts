/**
 * The cycle chart of the HTML export: cumulative credit spend so far, and from now to the cycle end
 * the forecast band (P10-P90) with the P50 path, against the credit line (and, with usage credits
 * capped, the line where the cap stops spend).
 */
import { DateTime } from '../domain/luxon.js';
import type { StatusReport } from '../domain/status-types.js';
import { dayRanges } from '../domain/time.js';
import { formatUsdShort, formatUsdWhole } from './export-format.js';
import { labelEvery, line, n, niceCeil, svgOpen, text, yAxis } from './export-svg.js';

const W = 720;
const H = 300;
const L = 58;
const R = 18;
const T = 18;
const B = 38;

/** Renders the cumulative chart; `creditDaily` is the credit-counted spend per local day of the cycle. */
export function cumulativeChart(
  status: StatusReport,
  creditDaily: ReadonlyArray<{ day: string; cost: number }>,
): string {
  const tz = status.cycle.timezone;
  const start = Date.parse(status.cycle.start);
  const end = Date.parse(status.cycle.end);
  const now = Math.min(Math.max(Date.parse(status.now), start), end);
  const credit = status.cycle.credit;
  const f = status.forecast;
  const used = status.credit.used;
  const future = now < end;
  const peak = Math.max(credit, used, future ? f.cycleEndSpend.p90 : 0);
  // The cap's line is drawn when spend passes the credit (or may): the most the cycle bills.
  const cap = status.credit.overageCap ?? 0;
  const capAt = cap > 0 && peak > credit ? credit + cap : null;
  const top = niceCeil(Math.max(peak, capAt ?? 0) * 1.05);
  const xOf = (ms: number): number => L + ((ms - start) / Math.max(1, end - start)) * (W - L - R);
  const yOf = (usd: number): number => H - B - (Math.min(usd, top) / top) * (H - T - B);

  const byDay = new Map(creditDaily.map((d) => [d.day, d.cost]));
  const days = dayRanges(start, end, tz);
  const points: string[] = [`${n(xOf(start))},${n(yOf(0))}`];
  let sum = 0;
  for (const d of days) {
    if (d.startMs >= now) break;
    sum += byDay.get(d.day) ?? 0;
    points.push(`${n(xOf(Math.min(d.endMs, now)))},${n(yOf(d.endMs >= now ? used : sum))}`);
  }

  const parts = [
    svgOpen(
      'cumulative',
      W,
      H,
      `Cumulative credit spend ${formatUsdShort(used)} of ${formatUsdShort(credit)}` +
        (future
          ? `, forecast P10 ${formatUsdWhole(f.cycleEndSpend.p10)}, P50 ${formatUsdWhole(f.cycleEndSpend.p50)}, P90 ${formatUsdWhole(f.cycleEndSpend.p90)} at cycle end`
          : ''),
    ),
    yAxis(top, L, W - R, yOf),
  ];
  const every = labelEvery(days.length, 8);
  days.forEach((d, i) => {
    if (i % every !== 0) return;
    parts.push(line(xOf(d.startMs), H - B, xOf(d.startMs), H - B + 4, 'tick'));
    parts.push(
      text(
        xOf(d.startMs),
        H - B + 18,
        DateTime.fromMillis(d.startMs, { zone: tz }).toFormat('LLL d'),
        'axis',
        'middle',
      ),
    );
  });
  if (future) {
    const band = [
      `${n(xOf(now))},${n(yOf(used))}`,
      `${n(xOf(end))},${n(yOf(f.cycleEndSpend.p90))}`,
      `${n(xOf(end))},${n(yOf(f.cycleEndSpend.p10))}`,
    ];
    parts.push(`<polygon points="${band.join(' ')}" class="band"><title>P10-P90 forecast band</title></polygon>`);
    parts.push(line(xOf(now), yOf(used), xOf(end), yOf(f.cycleEndSpend.p50), 'p50'));
    parts.push(line(xOf(now), T, xOf(now), H - B, 'now'));
    parts.push(text(xOf(now) + 4, T + 10, 'now', 'axis'));
    parts.push(
      text(W - R - 4, yOf(f.cycleEndSpend.p50) - 6, `P50 ${formatUsdWhole(f.cycleEndSpend.p50)}`, 'label-p50', 'end'),
    );
  }
  parts.push(line(L, yOf(credit), W - R, yOf(credit), 'credit-line'));
  parts.push(text(L + 4, yOf(credit) - 6, `credit ${formatUsdShort(credit)}`, 'label-credit'));
  if (capAt !== null) {
    parts.push(line(L, yOf(capAt), W - R, yOf(capAt), 'credit-line'));
    parts.push(text(L + 4, yOf(capAt) - 6, `credit + overage cap ${formatUsdShort(capAt)}`, 'label-credit'));
  }
  const out = f.exhaustionAt.p50 === null ? null : Date.parse(f.exhaustionAt.p50);
  if (out !== null && out > start && out <= end) {
    parts.push(line(xOf(out), yOf(credit) - 8, xOf(out), H - B, 'exhaust'));
    parts.push(
      text(
        xOf(out) - 4,
        H - B - 6,
        // Before now it is what happened, not a forecast.
        `${out <= now ? 'ran out' : 'P50 runs out'} ${DateTime.fromMillis(out, { zone: tz }).toFormat('LLL d HH:mm')}`,
        'label-credit',
        'end',
      ),
    );
  }
  parts.push(`<polyline points="${points.join(' ')}" class="actual"/>`);
  parts.push(line(L, H - B, W - R, H - B, 'axis-line'));
  parts.push('</svg>');
  return parts.join('');
}
