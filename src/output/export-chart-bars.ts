/** Bar charts of the HTML export: daily spend per class (stacked) and spend per model. */
import { DateTime } from '../domain/luxon.js';
import { formatUsdPrecise } from '../domain/format.js';
import type { AggregateRow, RequestClass } from '../domain/types.js';
import type { DailyClassSpend } from './export-types.js';
import { labelEvery, line, niceScale, rect, svgOpen, text, yAxis } from './export-svg.js';

const CLASS_ORDER: readonly RequestClass[] = ['programmatic', 'interactive', 'unknown'];

/** Renders one stacked bar per day of the cycle (programmatic, interactive, unknown), with a legend. */
export function dailyBarsChart(
  daily: readonly DailyClassSpend[],
  tz: string,
  classes: readonly RequestClass[],
): string {
  const W = 720;
  const H = 240;
  const L = 58;
  const R = 18;
  const T = 30;
  const B = 38;
  const shown = CLASS_ORDER.filter((c) => classes.includes(c));
  const total = (d: DailyClassSpend): number => shown.reduce((s, c) => s + d[c], 0);
  const scale = niceScale(Math.max(0, ...daily.map(total)));
  const yOf = (usd: number): number => H - B - (usd / scale.top) * (H - T - B);
  const slot = (W - L - R) / Math.max(1, daily.length);
  const barW = Math.max(1, slot * 0.72);
  const parts = [svgOpen('daily', W, H, `Spend per day, ${daily.length} days`), yAxis(scale, L, W - R, yOf)];
  const every = labelEvery(daily.length, 10);
  daily.forEach((d, i) => {
    const x = L + i * slot + (slot - barW) / 2;
    let base = 0;
    const tip = `${d.day}: ${shown.map((c) => `${c} ${formatUsdPrecise(d[c])}`).join(', ')}`;
    for (const c of shown) {
      if (d[c] > 0) parts.push(rect(x, yOf(base + d[c]), barW, yOf(base) - yOf(base + d[c]), `bar cls-${c}`, tip));
      base += d[c];
    }
    if (i % every === 0) {
      const label = DateTime.fromISO(d.day, { zone: tz }).toFormat('LLL d');
      parts.push(text(L + i * slot + slot / 2, H - B + 18, label, 'axis', 'middle'));
    }
  });
  let x = L;
  for (const c of shown) {
    const label = c === 'programmatic' ? 'programmatic (credit)' : c;
    parts.push(rect(x, 6, 12, 12, `bar cls-${c}`), text(x + 18, 16, label, 'legend'));
    x += 18 + label.length * 6.5 + 24;
  }
  parts.push(line(L, H - B, W - R, H - B, 'axis-line'), '</svg>');
  return parts.join('');
}

/** Renders horizontal bars of cost per model (top `limit`, most expensive first). */
export function modelBarsChart(rows: readonly AggregateRow[], limit = 10): string {
  const W = 720;
  const rowH = 28;
  const L = 230;
  const R = 150;
  const shown = rows.slice(0, limit);
  const H = Math.max(1, shown.length) * rowH + 24;
  const top = Math.max(...shown.map((r) => r.cost), 0);
  const parts = [svgOpen('models', W, H, `Spend per model, ${rows.length} models`)];
  if (shown.length === 0) parts.push(text(W / 2, H / 2, 'No requests in this view.', 'axis', 'middle'));
  shown.forEach((r, i) => {
    const y = 12 + i * rowH;
    const w = top > 0 ? (r.cost / top) * (W - L - R) : 0;
    const name = r.key.length > 34 ? `${r.key.slice(0, 33)}…` : r.key;
    parts.push(text(L - 8, y + 15, name, 'bar-label', 'end'));
    parts.push(
      rect(
        L,
        y + 2,
        Math.max(w, r.cost > 0 ? 1 : 0),
        rowH - 8,
        'bar cls-model',
        `${r.key}: ${formatUsdPrecise(r.cost)} in ${r.requests} requests`,
      ),
    );
    const value = `${formatUsdPrecise(r.cost)}${r.unpricedRequests > 0 ? ' +unpriced' : ''}`;
    parts.push(text(L + w + 6, y + 15, value, 'bar-value'));
  });
  parts.push('</svg>');
  return parts.join('');
}
