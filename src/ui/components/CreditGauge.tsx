import { Box, Text } from 'ink';
import type { JSX } from 'react';
import type { StatusReport } from '../../domain/status-types.js';
import { formatPercent, formatUsdNonZero } from '../../domain/format.js';
import { cellOf, fit, fitFields } from '../bars.js';
import { useTone, type Tone } from '../theme.js';

/** The dollar value the gauge and the forecast band share as their right end. */
export function gaugeScale(status: StatusReport): number {
  // 100% of the credit at the right edge; only spend already past it stretches the scale (the
  // forecast band marks what lies beyond the edge with ► instead).
  return Math.max(status.cycle.credit, status.credit.used, 0.01);
}

export interface Segment {
  text: string;
  tone?: Tone;
}

/**
 * The gauge cells: spend within the credit, spend beyond it (overage), the rest of the credit,
 * the credit's end (when the scale goes past it) and the pace marker (where spend would be if it
 * followed elapsed time). Merged into runs of one tone.
 */
export function gaugeSegments(status: StatusReport, scale: number, width: number, past = false): Segment[] {
  const { credit } = status.cycle;
  const used = status.credit.used;
  const usedCells = Math.round((Math.min(used, scale) / scale) * width);
  const creditCells = Math.round((credit / scale) * width);
  // An ended cycle has no pace to keep.
  const pace = past ? -1 : cellOf(status.cycle.elapsedFraction * credit, scale, width);
  const cells: Segment[] = [];
  for (let i = 0; i < width; i++) {
    if (i === pace) cells.push({ text: '│', tone: 'magenta' });
    // Spend past the credit stretches the scale: 100% stays marked, inside the bar too.
    else if (i === creditCells && creditCells < width && creditCells < usedCells)
      cells.push({ text: '┃', tone: 'gray' });
    else if (i < usedCells)
      cells.push(
        i < creditCells
          ? { text: '█', tone: used > credit ? 'red' : toneOf(used / Math.max(credit, 1e-9)) }
          : { text: '▓', tone: 'red' },
      );
    else if (i === creditCells && creditCells < width) cells.push({ text: '┃', tone: 'gray' });
    else cells.push({ text: i < creditCells ? '░' : ' ', tone: 'gray' });
  }
  return merge(cells);
}

function toneOf(fraction: number): Tone {
  return fraction >= 0.9 ? 'red' : fraction >= 0.8 ? 'yellow' : 'green';
}

/** Joins neighbouring cells of the same tone. */
export function merge(cells: Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const c of cells) {
    const last = out[out.length - 1];
    if (last && last.tone === c.tone) last.text += c.text;
    else out.push({ ...c });
  }
  return out;
}

/** "ahead of pace" when spend runs before elapsed time, "behind pace" otherwise. */
export function paceText(status: StatusReport): string {
  const expected = status.cycle.elapsedFraction * status.cycle.credit;
  const diff = status.credit.used - expected;
  const pace = `pace ${formatPercent(status.cycle.elapsedFraction)} of the cycle`;
  if (Math.abs(diff) < 0.005) return `${pace}: on pace`;
  return `${pace}: ${formatUsdNonZero(Math.abs(diff))} ${diff > 0 ? 'ahead' : 'behind'}`;
}

/** The figures under the gauge, fitted to `width` by dropping or shortening whole fields. */
export function gaugeText(status: StatusReport, past: boolean, width = Infinity): string {
  const used = `${formatUsdNonZero(status.credit.used)} of ${formatUsdNonZero(status.cycle.credit)} used`;
  // A cap reached stops access again: said with the figure.
  const overage = `overage ${formatUsdNonZero(status.credit.overage)}${status.credit.overageCapReachedAt != null ? ' (cap reached)' : ''}`;
  if (past)
    return fitFields(
      [
        {
          forms: [
            `cycle ended: ${used} (${formatPercent(status.credit.usedFraction)})`,
            `ended: ${used}`,
            `ended: ${formatUsdNonZero(status.credit.used)} used`,
          ],
          priority: 0,
        },
        { forms: [overage], priority: 1 },
      ],
      width,
    );
  const expected = status.cycle.elapsedFraction * status.cycle.credit;
  const diff = status.credit.used - expected;
  const shortPace =
    Math.abs(diff) < 0.005 ? 'on pace' : `${formatUsdNonZero(Math.abs(diff))} ${diff > 0 ? 'ahead of' : 'behind'} pace`;
  return fitFields(
    [
      { forms: [used, `${formatUsdNonZero(status.credit.used)} used`], priority: 0 },
      { forms: [`${formatUsdNonZero(status.credit.remaining)} left`], priority: 1 },
      { forms: [overage], priority: 2 },
      { forms: [paceText(status), shortPace], priority: 3 },
      {
        forms: [
          // Spend past the credit stretches the scale (gaugeSegments): 100% is then its ┃ mark.
          status.credit.used > status.cycle.credit
            ? 'legend: │ pace · ┃ 100% of the credit · ● P50 · ━ P10–P90 · ► past it'
            : 'legend: │ pace · right edge = 100% of the credit · ● P50 · ━ P10–P90 · ► past it',
        ],
        priority: 5,
      },
    ],
    width,
  );
}

/**
 * Cells of the gauge's bar, which the forecast band shares (one scale, one column per cell): what
 * `width` leaves after the label and the percentage, which takes more than its usual 6 columns past
 * 999% (a cycle long past its credit).
 */
export function gaugeBarWidth(status: StatusReport, width: number): number {
  const pct = formatPercent(status.credit.usedFraction);
  return Math.max(10, width - 10 - Math.max(6, pct.length + 1));
}

export interface CreditGaugeProps {
  status: StatusReport;
  scale: number;
  width: number;
  /** A cycle that has ended: its final result, no pace. */
  past?: boolean;
}

/** Programmatic spend against the credit: the bar with its pace marker, then the figures. */
export function CreditGauge({ status, scale, width, past = false }: CreditGaugeProps): JSX.Element {
  const tone = useTone();
  const pct = formatPercent(status.credit.usedFraction);
  const barWidth = gaugeBarWidth(status, width);
  const over = status.credit.overage > 0;
  const text = gaugeText(status, past, width);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>{'Credit'.padEnd(10)}</Text>
        {gaugeSegments(status, scale, barWidth, past).map((s, i) => (
          <Text key={i} color={s.tone ? tone(s.tone) : undefined}>
            {s.text}
          </Text>
        ))}
        <Text bold color={tone(over ? 'red' : toneOf(status.credit.usedFraction))}>{` ${pct.padStart(4)}`}</Text>
      </Text>
      <Text wrap="truncate-end">{fit(text, width)}</Text>
    </Box>
  );
}
