import { Box, Text } from 'ink';
import type { JSX } from 'react';
import type { StatusReport } from '../../domain/status-types.js';
import { formatUsd } from '../../domain/format.js';
import { cellOf, fit } from '../bars.js';
import { shortDateTime } from '../format-time.js';
import { merge, type Segment } from './CreditGauge.js';
import { useTone } from '../theme.js';

/** The P10-P90 band of the cycle-end spend with the P50 dot, on the gauge's scale. */
export function bandSegments(status: StatusReport, scale: number, width: number): Segment[] {
  const { p10, p50, p90 } = status.forecast.cycleEndSpend;
  const a = cellOf(p10, scale, width);
  const b = cellOf(p90, scale, width);
  const mid = cellOf(p50, scale, width);
  const credit = cellOf(status.cycle.credit, scale, width);
  const cells: Segment[] = [];
  for (let i = 0; i < width; i++) {
    if (i === mid) cells.push({ text: '●', tone: p50 > status.cycle.credit ? 'red' : 'cyan' });
    else if (i >= a && i <= b) cells.push({ text: '━', tone: 'cyan' });
    else if (i === credit && status.cycle.credit < scale) cells.push({ text: '┃', tone: 'gray' });
    else cells.push({ text: '·', tone: 'gray' });
  }
  return merge(cells);
}

/** "runs out Nov 28 14:00 (Nov 26 02:00 – Dec 1 09:00)" or "lasts the cycle". */
export function runsOutText(status: StatusReport): string {
  const tz = status.cycle.timezone;
  const { p10, p50, p90 } = status.forecast.exhaustionAt;
  if (status.credit.exhaustedAt) return `credit ran out ${shortDateTime(status.credit.exhaustedAt, tz)}`;
  // Percentiles of the moment itself: P10 is the early case, P90 the late one (null: it lasts the cycle).
  const early = p10 ? shortDateTime(p10, tz) : null;
  const late = p90 ? shortDateTime(p90, tz) : 'lasts the cycle';
  if (!p50) return early ? `lasts the cycle (P10 runs out ${early})` : 'lasts the cycle';
  return `runs out ${shortDateTime(p50, tz)} (${early ?? shortDateTime(p50, tz)} – ${late})`;
}

/** An ended cycle's two lines: no forecast, and whether the credit lasted. */
export function pastForecastLines(status: StatusReport): [string, string] {
  const tz = status.cycle.timezone;
  const ran = status.credit.exhaustedAt
    ? `the credit ran out ${shortDateTime(status.credit.exhaustedAt, tz)}`
    : 'the credit lasted the cycle';
  return [
    `${'Forecast'.padEnd(10)}not applicable: the cycle has ended`,
    `final spend ${formatUsd(status.credit.used)} · ${ran}`,
  ];
}

export interface ForecastBandProps {
  status: StatusReport;
  scale: number;
  width: number;
  /** A cycle that has ended: nothing to forecast. */
  past?: boolean;
  /** Add the line saying what the forecast rests on. */
  basis?: boolean;
}

/** The cycle-end forecast: band line, then when the credit runs out and the projected overage. */
export function ForecastBand({ status, scale, width, past = false, basis = false }: ForecastBandProps): JSX.Element {
  const tone = useTone();
  if (past) {
    const [head, text] = pastForecastLines(status);
    return (
      <Box flexDirection="column">
        <Text color={tone('gray')} wrap="truncate-end">
          {fit(head, width)}
        </Text>
        <Text wrap="truncate-end">{fit(text, width)}</Text>
      </Box>
    );
  }
  const { p10, p50, p90 } = status.forecast.cycleEndSpend;
  const barWidth = Math.max(10, width - 10 - 6);
  const overage = status.forecast.projectedOverage.p50;
  const overText = status.credit.usageCredits
    ? `overage P50 ${formatUsd(overage)}`
    : overage > 0
      ? 'access stops (usage credits off)'
      : 'no overage';
  const text = `cycle end P50 ${formatUsd(p50)} (P10 ${formatUsd(p10)} – P90 ${formatUsd(p90)}) · ${runsOutText(status)} · ${overText}`;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>{'Forecast'.padEnd(10)}</Text>
        {bandSegments(status, scale, barWidth).map((s, i) => (
          <Text key={i} color={s.tone ? tone(s.tone) : undefined}>
            {s.text}
          </Text>
        ))}
      </Text>
      <Text wrap="truncate-end">{fit(text, width)}</Text>
      {basis && status.forecast.basis ? (
        <Text color={tone('gray')} wrap="truncate-end">
          {fit(`${' '.repeat(10)}based on ${status.forecast.basis.text}`, width)}
        </Text>
      ) : null}
    </Box>
  );
}
