import { Box, Text } from 'ink';
import type { JSX } from 'react';
import { formatUsd } from '../../domain/format.js';
import { useTone } from '../theme.js';

const EIGHTHS = ['', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
const AXIS = 9;

/**
 * The lines of a daily bar chart (pure, so it can be tested): `bars` rows of bars with an amount
 * axis on the left ($max at the top, $0 at the bottom), then a line of day-of-month labels. Each
 * day gets as many columns as the width allows (1 to 4), so the chart grows with the terminal.
 */
export function dailyChartLines(
  daily: ReadonlyArray<{ day: string; cost: number }>,
  width: number,
  bars: number,
  title: string,
): string[] {
  const days = daily.length;
  if (days === 0 || bars < 1) return [];
  const plot = Math.max(days, width - AXIS - 1);
  const per = Math.max(1, Math.min(4, Math.floor(plot / days)));
  const barWidth = per > 1 ? per - 1 : 1;
  const max = daily.reduce((m, d) => Math.max(m, d.cost), 0);
  const top = `${formatUsd(max)} ┤`.padStart(AXIS + 1);
  const lines: string[] = [];
  for (let row = bars - 1; row >= 0; row--) {
    const axis = row === bars - 1 ? top : row === 0 ? `${'$0'} ┤`.padStart(AXIS + 1) : `${' '.repeat(AXIS)}│`;
    let cells = '';
    for (const d of daily) {
      // Eighths of a cell filled in this row.
      const filled = max > 0 ? (d.cost / max) * bars * 8 - row * 8 : 0;
      const e = Math.max(0, Math.min(8, Math.round(filled)));
      const glyph = e === 0 ? (row === 0 && d.cost > 0 ? '▁' : ' ') : EIGHTHS[e]!;
      cells += glyph.repeat(barWidth) + ' '.repeat(per - barWidth);
    }
    lines.push(`${axis}${cells}`.slice(0, width));
  }
  // Day labels: the first day, then every few days where they fit.
  let labels = ' '.repeat(AXIS + 1);
  const every = Math.max(1, Math.ceil(3 / per));
  for (let i = 0; i < days; i++) {
    const at = AXIS + 1 + i * per;
    if (i % every !== 0 || labels.length > at) continue;
    labels = labels.padEnd(at) + String(Number(daily[i]!.day.slice(8)));
  }
  lines.push(labels.slice(0, width));
  return [title.slice(0, width), ...lines];
}

/** Daily spend across the cycle as bars with an amount axis (shown when the terminal is tall enough). */
export function DailyChart({
  daily,
  width,
  bars,
  title,
}: {
  daily: ReadonlyArray<{ day: string; cost: number }>;
  width: number;
  bars: number;
  title: string;
}): JSX.Element {
  const tone = useTone();
  const lines = dailyChartLines(daily, width, bars, title);
  return (
    <Box flexDirection="column">
      {lines.map((l, i) => (
        <Text key={i} color={i === 0 ? undefined : i === lines.length - 1 ? tone('gray') : tone('cyan')} bold={i === 0}>
          {l}
        </Text>
      ))}
    </Box>
  );
}
