/** Small building blocks of the HTML export's inline SVG charts (no library, no external assets). */
import { escapeHtml } from './export-format.js';

/** The charts an HTML export contains; each `<svg>` carries its name in `data-chart`. */
export type ChartName = 'gauge' | 'cumulative' | 'daily' | 'models';

/** A coordinate with one decimal (keeps the markup small and stable). */
export function n(v: number): string {
  return Number.isFinite(v) ? (Math.round(v * 10) / 10).toString() : '0';
}

/** A y axis from 0 to `top` in equal steps of `step`. */
export interface Scale {
  top: number;
  step: number;
}

/**
 * The y scale for values up to `max`: a round step (1, 2, 2.5 or 5 times a power of ten) and the
 * first multiple of it just above `max` (1% headroom), in at most `maxSteps` steps; so $244 gets
 * $0-$250 in steps of $50, never an axis of double the data. For max <= 0, $0-$1.
 */
export function niceScale(max: number, maxSteps = 6): Scale {
  if (!(max > 0)) return { top: 1, step: 0.25 };
  const target = max * 1.01;
  let pow = 10 ** Math.floor(Math.log10(target / maxSteps));
  for (;;) {
    for (const m of [1, 2, 2.5, 5]) {
      const step = m * pow;
      const count = Math.ceil(target / step - 1e-9);
      if (count <= maxSteps) return { top: round(count * step), step };
    }
    pow *= 10;
  }
}

/** Drops the binary noise of a product (0.1 * 3 = 0.30000000000000004). */
function round(v: number): number {
  return Number(v.toPrecision(12));
}

/** The tick values of a scale, 0 and `top` included. */
export function ticks(scale: Scale): number[] {
  const count = Math.round(scale.top / scale.step);
  return Array.from({ length: count + 1 }, (_, i) => round(i * scale.step));
}

/** Every how many days to label an axis so that at most `maxLabels` labels show. */
export function labelEvery(days: number, maxLabels: number): number {
  return Math.max(1, Math.ceil(days / maxLabels));
}

/**
 * `$12`, `$1.5k`, `$2.5`, `$0.25`: short money for axis labels (no trailing zeros). With the axis's
 * `step`, every label below $1,000 has the same decimals: whole dollars for a whole step, else
 * cents, or as many as the step needs (`$0.025`, `$0.050`, `$0.075`, `$0.100`).
 */
export function axisUsd(usd: number, step?: number): string {
  if (usd >= 1000) return `$${Number((usd / 1000).toFixed(2))}k`;
  if (step === undefined || !(step > 0)) return `$${Number(usd.toFixed(usd >= 100 ? 0 : 2))}`;
  return `$${usd.toFixed(Number.isInteger(step) ? 0 : Math.max(2, stepDecimals(step)))}`;
}

/** Decimals a niceScale step (1, 2, 2.5 or 5 times a power of ten) is written with. */
function stepDecimals(step: number): number {
  const pow = Math.floor(Math.log10(step) + 1e-9);
  const m = round(step / 10 ** pow);
  return Math.max(0, -pow + (m === 2.5 ? 1 : 0));
}

/** Opens a responsive chart: `<svg data-chart=... viewBox=... role="img">` with an accessible title. */
export function svgOpen(chart: ChartName, width: number, height: number, title: string): string {
  return (
    `<svg class="chart chart-${chart}" data-chart="${chart}" viewBox="0 0 ${width} ${height}" ` +
    `preserveAspectRatio="xMidYMid meet" role="img" aria-label="${escapeHtml(title)}"><title>${escapeHtml(title)}</title>`
  );
}

/** A text label; `content` is escaped here. */
export function text(
  x: number,
  y: number,
  content: string,
  cls: string,
  anchor: 'start' | 'middle' | 'end' = 'start',
): string {
  return `<text x="${n(x)}" y="${n(y)}" class="${cls}" text-anchor="${anchor}">${escapeHtml(content)}</text>`;
}

/** A straight line. */
export function line(x1: number, y1: number, x2: number, y2: number, cls: string): string {
  return `<line x1="${n(x1)}" y1="${n(y1)}" x2="${n(x2)}" y2="${n(y2)}" class="${cls}"/>`;
}

/** A rectangle with an optional hover title (escaped). */
export function rect(x: number, y: number, w: number, h: number, cls: string, title?: string): string {
  const body = title === undefined ? '' : `<title>${escapeHtml(title)}</title>`;
  const open = `<rect x="${n(x)}" y="${n(y)}" width="${n(Math.max(0, w))}" height="${n(Math.max(0, h))}" class="${cls}"`;
  return body === '' ? `${open}/>` : `${open}>${body}</rect>`;
}

/** Horizontal grid lines and dollar labels for a y axis of `scale`. */
export function yAxis(scale: Scale, left: number, right: number, yOf: (v: number) => number): string {
  return ticks(scale)
    .map(
      (v) =>
        line(left, yOf(v), right, yOf(v), 'grid') + text(left - 6, yOf(v) + 4, axisUsd(v, scale.step), 'axis', 'end'),
    )
    .join('');
}
