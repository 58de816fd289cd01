import { Box, Text } from 'ink';
import type { JSX } from 'react';
import type { StatusReport } from '../../domain/status-types.js';
import { formatUsdNonZero } from '../../domain/format.js';
import { cellOf, fit, fitFields, fitSentence } from '../bars.js';
import { shortDateTime } from '../format-time.js';
import { gaugeBarWidth, merge, type Segment } from './CreditGauge.js';
import { useTone } from '../theme.js';

/** The P10-P90 band of the cycle-end spend with the P50 dot, on the gauge's scale. */
export function bandSegments(status: StatusReport, scale: number, width: number): Segment[] {
  const { p10, p50, p90 } = status.forecast.cycleEndSpend;
  const a = cellOf(p10, scale, width);
  const b = cellOf(p90, scale, width);
  const beyond = p90 > scale;
  // The right edge is the scale's end (100% of the credit): what lies past it is marked ►. A P50
  // within the scale that falls in that last cell is drawn in the one before, so both show.
  const at = cellOf(p50, scale, width);
  const mid = beyond && p50 <= scale && at === width - 1 ? width - 2 : at;
  const credit = cellOf(status.cycle.credit, scale, width);
  const cells: Segment[] = [];
  for (let i = 0; i < width; i++) {
    if (beyond && i === width - 1) cells.push({ text: '►', tone: p50 > scale ? 'red' : 'cyan' });
    else if (i === mid) cells.push({ text: '●', tone: p50 > status.cycle.credit ? 'red' : 'cyan' });
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
  if (!p50) return early ? `lasts the cycle (the busiest 10% run out ${early})` : 'lasts the cycle';
  return `runs out ${shortDateTime(p50, tz)} (${early ?? shortDateTime(p50, tz)} – ${late})`;
}

/** "based on weekly pattern, 9 weeks of history", shortened whole to fit: a wide band is always said. */
export function basisLine(basis: NonNullable<StatusReport['forecast']['basis']>, width: number): string {
  const pad = ' '.repeat(10);
  const full = `${pad}based on ${basis.text}`;
  if (full.length <= width) return full;
  // The text's own reason for a wider band, if any: "(little history: wide band)", "(quiet lately)",
  // "(a new level: wide band)".
  const reason = /\s*\((little history|quiet lately|a new level)(: wide band)?\)$/.exec(basis.text);
  const wide = reason?.[2] !== undefined ? ' (wide band)' : '';
  const core = reason === null ? basis.text : basis.text.slice(0, reason.index);
  const parts = core.split(', ');
  // The parts go from the last, but a step up, a jump or a monthly batch says more than the
  // pattern: they stay longest.
  const stays = (part: string): boolean =>
    part.includes('stepped up') ||
    part.includes('spend dropped') ||
    part.endsWith('of each month') ||
    part.startsWith('spend jumped');
  const rest = parts.filter((part) => !stays(part));
  const tries: string[][] = wide !== '' ? [parts] : [];
  for (let n = rest.length - 1; n >= (rest.length < parts.length ? 0 : 1); n--)
    tries.push(parts.filter((part) => stays(part) || rest.indexOf(part) < n));
  // Under the forecast's column first, then from the line's start (a narrow pane).
  for (const indent of [pad, '']) {
    for (const shown of tries) {
      const line = `${indent}based on ${shown.join(', ')}${wide}`;
      if (line.length <= width) return line;
    }
  }
  // A narrow pane: what stays, in its short words ("a step up", "a monthly batch").
  const short = (part: string): string =>
    part.includes('stepped up')
      ? 'a step up'
      : part.includes('spend dropped')
        ? 'a drop'
        : part.endsWith('of each month')
          ? 'a monthly batch'
          : part.startsWith('spend jumped')
            ? part.replace(/ \(a one-off or a new job\)$/, '')
            : part;
  const kept = parts.filter(stays).map(short);
  for (const indent of [pad, '']) {
    const line = `${indent}based on ${kept.join(', ')}${wide}`;
    if (kept.length > 0 && line.length <= width) return line;
  }
  return fitSentence(wide !== '' ? `${reason![1]}: wide band` : `based on ${kept[0] ?? parts[0]}`, width);
}

/** "runs out Dec 13" (P50 only) or "lasts the cycle": the short form of runsOutText. */
function runsOutShort(status: StatusReport): string {
  const tz = status.cycle.timezone;
  if (status.credit.exhaustedAt) return `ran out ${shortDateTime(status.credit.exhaustedAt, tz)}`;
  const p50 = status.forecast.exhaustionAt.p50;
  return p50 ? `runs out ${shortDateTime(p50, tz)}` : 'lasts the cycle';
}

/** The line under the band, fitted to `width` by shortening or dropping whole fields. */
export function forecastText(status: StatusReport, overText: string, width = Infinity): string {
  const { p10, p50, p90 } = status.forecast.cycleEndSpend;
  const band = `(P10 ${formatUsdNonZero(p10)} – P90 ${formatUsdNonZero(p90)})`;
  // Overage billed as usage credits is money to come: it outranks when the credit runs out.
  const billed = status.credit.usageCredits && status.forecast.projectedOverage.p50 > 0;
  const line = (spend: string[]): string =>
    fitFields(
      [
        { forms: spend, priority: 0 },
        { forms: [runsOutText(status), runsOutShort(status)], priority: billed ? 2 : 1 },
        { forms: [overText], priority: billed ? 1 : 2 },
      ],
      width,
    );
  const pointed = [`cycle end P50 ${formatUsdNonZero(p50)}`, `P50 ${formatUsdNonZero(p50)}`];
  const banded = line([
    `cycle end P50 ${formatUsdNonZero(p50)} ${band}`,
    `P50 ${formatUsdNonZero(p50)} ${band}`,
    pointed[0]!,
  ]);
  // What matters more than the band, when both do not fit: the bill, else when the credit runs out.
  const runsOut = (status.credit.exhaustedAt ?? status.forecast.exhaustionAt.p50) !== null;
  const keep = billed ? overText : runsOut ? runsOutShort(status) : null;
  if (keep === null) return banded;
  return [banded, ...pointed.map((p) => line([p]))].find((l) => l.includes(keep)) ?? banded;
}

/** An ended cycle's two lines: no forecast, and whether the credit lasted. */
export function pastForecastLines(status: StatusReport): [string, string] {
  const tz = status.cycle.timezone;
  const ran = status.credit.exhaustedAt
    ? `the credit ran out ${shortDateTime(status.credit.exhaustedAt, tz)}`
    : 'the credit lasted the cycle';
  return [
    `${'Forecast'.padEnd(10)}not applicable: the cycle has ended`,
    `final spend ${formatUsdNonZero(status.credit.used)} · ${ran}`,
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
  /** Not computed yet (the first frame): the same lines, saying so. */
  pending?: boolean;
}

/** The cycle-end forecast: band line, then when the credit runs out and the projected overage. */
export function ForecastBand({
  status,
  scale,
  width,
  past = false,
  basis = false,
  pending = false,
}: ForecastBandProps): JSX.Element {
  const tone = useTone();
  if (pending && !past) {
    return (
      <Box flexDirection="column">
        <Text wrap="truncate-end">
          <Text bold>{'Forecast'.padEnd(10)}</Text>
          <Text color={tone('gray')}>{fit('being computed', Math.max(0, width - 10))}</Text>
        </Text>
        <Text color={tone('gray')} wrap="truncate-end">
          {fitSentence('cycle end: drawn from the history of your spend in a moment', width)}
        </Text>
        {basis ? <Text> </Text> : null}
      </Box>
    );
  }
  if (past) {
    const [head, text] = pastForecastLines(status);
    return (
      <Box flexDirection="column">
        <Text color={tone('gray')} wrap="truncate-end">
          {fitSentence(head, width)}
        </Text>
        <Text wrap="truncate-end">{fitSentence(text, width)}</Text>
      </Box>
    );
  }
  const barWidth = gaugeBarWidth(status, width);
  const overage = status.forecast.projectedOverage.p50;
  const overText = status.credit.usageCredits
    ? `overage P50 ${formatUsdNonZero(overage)}`
    : overage > 0
      ? 'access stops (usage credits off)'
      : 'no overage';
  const text = forecastText(status, overText, width);
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
          {basisLine(status.forecast.basis, width)}
        </Text>
      ) : null}
    </Box>
  );
}
