/** The credit gauge of the HTML export: a half-circle dial of the credit used, with the P50 cycle end. */
import { cycleHasEnded, type StatusReport } from '../domain/status-types.js';
import { formatPercent } from '../domain/format.js';
import { formatUsdShort, formatUsdWhole } from './export-format.js';
import { line, n, svgOpen, text } from './export-svg.js';

const W = 260;
const H = 170;
const CX = 130;
const CY = 138;
const R = 100;

function point(fraction: number, radius = R): { x: number; y: number } {
  const angle = Math.PI * (1 - Math.min(1, Math.max(0, fraction)));
  return { x: CX + radius * Math.cos(angle), y: CY - radius * Math.sin(angle) };
}

function arc(from: number, to: number, cls: string): string {
  if (to <= from) return '';
  const a = point(from);
  const b = point(to);
  return `<path d="M ${n(a.x)} ${n(a.y)} A ${R} ${R} 0 0 1 ${n(b.x)} ${n(b.y)}" class="${cls}"/>`;
}

/** Severity of a used fraction: ok under 70%, warn under 90%, over from 90% (the CSS colours these). */
export function severity(fraction: number): 'ok' | 'warn' | 'over' {
  if (fraction >= 0.9) return 'over';
  return fraction >= 0.7 ? 'warn' : 'ok';
}

/** Renders the gauge: used share of the credit, a tick at the P50 cycle-end spend, the figures in the middle. */
export function gaugeChart(status: StatusReport): string {
  const credit = status.cycle.credit;
  const used = status.credit.used;
  const fraction = credit > 0 ? used / credit : used > 0 ? 1 : 0;
  const p50 = status.forecast.cycleEndSpend.p50;
  const p50Fraction = credit > 0 ? p50 / credit : 1;
  // An ended cycle has its final spend, not a forecast: no P50 tick, and the label says so.
  const ended = cycleHasEnded(status);
  const endText = ended ? `final spend ${formatUsdWhole(used)}` : `P50 cycle end ${formatUsdWhole(p50)}`;
  const title = `Credit used: ${formatUsdShort(used)} of ${formatUsdShort(credit)} (${formatPercent(fraction)}); ${endText}`;
  const tickIn = point(p50Fraction, R - 16);
  const tickOut = point(p50Fraction, R + 16);
  return [
    svgOpen('gauge', W, H, title),
    arc(0, 1, 'gauge-track'),
    arc(0, Math.min(1, fraction), `gauge-fill sev-${severity(fraction)}`),
    ended ? '' : line(tickIn.x, tickIn.y, tickOut.x, tickOut.y, 'gauge-p50'),
    text(CX, CY - 28, formatUsdShort(used), 'gauge-value', 'middle'),
    text(CX, CY - 6, `of ${formatUsdShort(credit)} · ${formatPercent(fraction)}`, 'gauge-sub', 'middle'),
    text(CX, CY + 22, endText, 'gauge-p50-label', 'middle'),
    text(CX - R, CY + 22, '$0', 'axis', 'middle'),
    text(CX + R, CY + 22, formatUsdShort(credit), 'axis', 'middle'),
    '</svg>',
  ].join('');
}
