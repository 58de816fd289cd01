/**
 * The cycle chart of the HTML export: cumulative credit spend so far, and from now to the cycle end
 * the forecast band (P10-P90) with the P50 path, against the credit line (and, with usage credits
 * capped, the line where the cap stops spend).
 */
import { DateTime } from '../domain/luxon.js';
import type { StatusReport } from '../domain/status-types.js';
import { dayRanges } from '../domain/time.js';
import { formatUsdShort, formatUsdWhole } from './export-format.js';
import { labelEvery, line, n, niceScale, svgOpen, text, yAxis } from './export-svg.js';
import { placeLabels, polylineSegments, type LabelSpec, type Segment, type Spot } from './export-svg-labels.js';

const W = 720;
const H = 300;
const L = 58;
const R = 18;
const T = 18;
const B = 38;

/** Spots along a horizontal line at `y`: above it, then below it, from the left end to the right. */
function alongLine(y: number): Spot[] {
  const spots: Spot[] = [];
  for (const dy of [-6, 14]) {
    spots.push({ x: L + 4, y: y + dy, anchor: 'start' }, { x: W - R - 4, y: y + dy, anchor: 'end' });
    for (const f of [0.25, 0.5, 0.75]) spots.push({ x: L + f * (W - L - R), y: y + dy, anchor: 'middle' });
  }
  return spots;
}

/**
 * Spots for the label of the run-out marker, a line the plot's height at `x` like the "now" line:
 * above the plot, where no line runs, then beside the marker from its top down to its foot.
 */
function besideMarker(x: number): Spot[] {
  const spots: Spot[] = [
    { x, y: T - 5, anchor: 'middle' },
    { x: x + 4, y: T - 5, anchor: 'start' },
    { x: x - 4, y: T - 5, anchor: 'end' },
  ];
  for (let y = T + 10; y <= H - B - 6; y += 14)
    spots.push({ x: x + 4, y, anchor: 'start' }, { x: x - 4, y, anchor: 'end' });
  return spots;
}

/** Spots beside the "now" line at `x`: at its top on either side, above it, then lower down. */
function besideNow(x: number): Spot[] {
  const spots: Spot[] = [
    { x: x + 4, y: T + 10, anchor: 'start' },
    { x: x - 4, y: T + 10, anchor: 'end' },
    { x, y: T - 5, anchor: 'middle' },
  ];
  for (let y = T + 24; y <= H - B - 6; y += 14)
    spots.push({ x: x + 4, y, anchor: 'start' }, { x: x - 4, y, anchor: 'end' });
  return spots;
}

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
  const scale = niceScale(Math.max(peak, capAt ?? 0));
  const top = scale.top;
  const xOf = (ms: number): number => L + ((ms - start) / Math.max(1, end - start)) * (W - L - R);
  const yOf = (usd: number): number => H - B - (Math.min(usd, top) / top) * (H - T - B);

  const byDay = new Map(creditDaily.map((d) => [d.day, d.cost]));
  const days = dayRanges(start, end, tz);
  const points: Array<[number, number]> = [[xOf(start), yOf(0)]];
  let sum = 0;
  for (const d of days) {
    if (d.startMs >= now) break;
    sum += byDay.get(d.day) ?? 0;
    points.push([xOf(Math.min(d.endMs, now)), yOf(d.endMs >= now ? used : sum)]);
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
    yAxis(scale, L, W - R, yOf),
    xAxis(days, xOf, tz),
  ];
  // Every line the labels must keep clear of, drawn as it is collected.
  const lines: Segment[] = polylineSegments(points);
  const draw = (x1: number, y1: number, x2: number, y2: number, cls: string): void => {
    lines.push([x1, y1, x2, y2]);
    parts.push(line(x1, y1, x2, y2, cls));
  };
  const labels: LabelSpec[] = [];
  if (future) {
    const band = [
      `${n(xOf(now))},${n(yOf(used))}`,
      `${n(xOf(end))},${n(yOf(f.cycleEndSpend.p90))}`,
      `${n(xOf(end))},${n(yOf(f.cycleEndSpend.p10))}`,
    ];
    parts.push(`<polygon points="${band.join(' ')}" class="band"><title>P10-P90 forecast band</title></polygon>`);
    draw(xOf(now), yOf(used), xOf(end), yOf(f.cycleEndSpend.p50), 'p50');
    draw(xOf(now), T, xOf(now), H - B, 'now');
    labels.push({ content: 'now', cls: 'axis', spots: besideNow(xOf(now)) });
    const y50 = yOf(f.cycleEndSpend.p50);
    // At the line's end first; then back along it (a run-out line may stand at the end).
    const along = [1, 0.8, 0.6, 0.4].flatMap((t) => {
      const x = xOf(now) + t * (xOf(end) - xOf(now));
      const y = yOf(used) + t * (y50 - yOf(used));
      return [-6, 14, -20, 28].map((dy) => ({ x: t === 1 ? W - R - 4 : x, y: y + dy, anchor: 'end' as const }));
    });
    labels.push({ content: `P50 ${formatUsdWhole(f.cycleEndSpend.p50)}`, cls: 'label-p50', spots: along });
  }
  draw(L, yOf(credit), W - R, yOf(credit), 'credit-line');
  labels.push({ content: `credit ${formatUsdShort(credit)}`, cls: 'label-credit', spots: alongLine(yOf(credit)) });
  if (capAt !== null) {
    draw(L, yOf(capAt), W - R, yOf(capAt), 'credit-line');
    labels.push({
      content: `credit + overage cap ${formatUsdShort(capAt)}`,
      cls: 'label-credit',
      spots: alongLine(yOf(capAt)),
    });
  }
  const out = f.exhaustionAt.p50 === null ? null : Date.parse(f.exhaustionAt.p50);
  if (out !== null && out > start && out <= end) {
    draw(xOf(out), T, xOf(out), H - B, 'exhaust');
    // Before now it is what happened, not a forecast.
    const when = DateTime.fromMillis(out, { zone: tz }).toFormat('LLL d HH:mm');
    // First to choose its spot: the longest label, with the fewest good places.
    labels.unshift({
      content: `${out <= now ? 'ran out' : 'P50 runs out'} ${when}`,
      cls: 'label-credit',
      spots: besideMarker(xOf(out)),
    });
  }
  parts.push(`<polyline points="${points.map(([x, y]) => `${n(x)},${n(y)}`).join(' ')}" class="actual"/>`);
  parts.push(line(L, H - B, W - R, H - B, 'axis-line'));
  // Labels last, so no line is drawn over them; above the plot is free, the axes' labels are not.
  parts.push(placeLabels(labels, lines, { x1: L, y1: 2, x2: W - 2, y2: H - B }));
  parts.push('</svg>');
  return parts.join('');
}

/** Day ticks and their labels under the plot (at most 8 labels). */
function xAxis(days: ReadonlyArray<{ startMs: number }>, xOf: (ms: number) => number, tz: string): string {
  const every = labelEvery(days.length, 8);
  return days
    .filter((_, i) => i % every === 0)
    .map(
      (d) =>
        line(xOf(d.startMs), H - B, xOf(d.startMs), H - B + 4, 'tick') +
        text(
          xOf(d.startMs),
          H - B + 18,
          DateTime.fromMillis(d.startMs, { zone: tz }).toFormat('LLL d'),
          'axis',
          'middle',
        ),
    )
    .join('');
}
