import { Box, Text } from 'ink';
import type { JSX } from 'react';
import type { StatusReport } from '../../domain/status-types.js';
import { formatUsdNonZero } from '../../domain/format.js';
import { ageText, type OfficialLimits } from '../../domain/official-limits.js';
import { fit, fitSentence, sparkline } from '../bars.js';
import { useTone } from '../theme.js';
import { comingTime } from '../format-time.js';

export interface BurnProps {
  burn: StatusReport['burnRate'];
  daily: Array<{ day: string; cost: number }>;
  width: number;
  /** A cycle that has ended: the rates (last hour, day, week) are not about it. */
  past?: boolean;
  /** Counted spend of today and yesterday: a line of its own under the rates. */
  days?: { today: number; yesterday: number } | null;
  /** Claude Code's own 5-hour and 7-day figures, added to that line when they fit. */
  official?: OfficialLimits | null;
  nowMs?: number;
  /** The plan's zone, for the windows' reset times. */
  tz?: string;
  /** Draw the sparkline (off when the daily bar chart is shown). */
  spark?: boolean;
}

/**
 * "Today     $4.10 today · $6.20 yesterday · Claude Code limits 5h 42% to 14:05 · 7d 18% to Dec 9
 * (3 min ago)": fields are added whole while they fit `width`, never cut; the reset times go first.
 * A window whose reset has passed is left out: its figure no longer holds.
 */
export function todayLine(
  days: { today: number; yesterday: number },
  official: OfficialLimits | null,
  nowMs: number,
  width: number,
  tz = 'UTC',
): string {
  const both = `${'Today'.padEnd(10)}${formatUsdNonZero(days.today)} today · ${formatUsdNonZero(days.yesterday)} yesterday`;
  const line = both.length <= width ? both : `${'Today'.padEnd(10)}${formatUsdNonZero(days.today)} today`;
  const windows: string[] = [];
  const resets: string[] = [];
  let seen = 0;
  for (const [label, w] of [
    ['5h', official?.fiveHour ?? null],
    ['7d', official?.sevenDay ?? null],
  ] as const) {
    if (w === null || (w.resetsAt !== null && w.resetsAt <= nowMs)) continue;
    const figure = `${label} ${Math.round(w.usedPercentage)}%`;
    windows.push(figure);
    resets.push(w.resetsAt === null ? figure : `${figure} to ${comingTime(w.resetsAt, nowMs, tz)}`);
    seen = Math.max(seen, w.seenAt);
  }
  if (windows.length > 0) {
    const age = ` (${ageText(seen, nowMs)})`;
    for (const add of [
      ` · Claude Code limits ${resets.join(' · ')}${age}`,
      ` · Claude Code limits ${windows.join(' · ')}${age}`,
      ` · limits ${windows.join(' · ')}`,
    ])
      if (line.length + add.length <= width) return line + add;
  }
  return line;
}

/** `$1.23/h last hour · $0.98/h 24 h · $23.45/day 7 d` */
export function burnText(burn: StatusReport['burnRate']): string {
  return `${formatUsdNonZero(burn.lastHourPerHour)}/h last hour · ${formatUsdNonZero(burn.last24hPerHour)}/h 24 h · ${formatUsdNonZero(burn.last7dPerDay)}/day 7 d`;
}

/** What the burn line says for a cycle that has ended. */
export const PAST_BURN_TEXT = 'rates not applicable: the cycle has ended';

/** The burn line's text: rates, or why there are none; in a narrow pane, shorter forms, then fewer rates. */
function burnLine(burn: StatusReport['burnRate'], past: boolean, width = Infinity): string {
  const label = 'Burn'.padEnd(10);
  if (past) return fitSentence(`${label}${PAST_BURN_TEXT}`, width);
  const full = `${label}${burnText(burn)}`;
  if (full.length <= width) return full;
  const hour = formatUsdNonZero(burn.lastHourPerHour);
  const day = formatUsdNonZero(burn.last24hPerHour);
  const week = formatUsdNonZero(burn.last7dPerDay);
  // Shorter words first, then the 24-hour rate goes, then the 7-day one.
  for (const rates of [
    `${hour}/h 1 h · ${day}/h 24 h · ${week}/d 7 d`,
    `${hour}/h 1 h · ${week}/d 7 d`,
    `${hour}/h last hour`,
  ])
    if (label.length + rates.length <= width) return label + rates;
  return fitSentence(`${label}${hour}/h 1 h`, width);
}

/** 1 when rates and sparkline share a line at `width`, else 2; one more for the today line. */
export function burnLineCount(
  burn: StatusReport['burnRate'],
  days: number,
  width: number,
  past = false,
  today = false,
): number {
  return (burnLine(burn, past).length + 3 + days <= width ? 1 : 2) + (today ? 1 : 0);
}

/**
 * The sparkline in `room` columns: the days still ahead (`·`) go first, then the oldest days, so
 * the line still ends on today and is never cut with an ellipsis.
 */
export function sparkTo(spark: string, room: number): string {
  const days = [...spark];
  if (days.length <= room) return spark;
  let end = days.length;
  while (end > room && days[end - 1] === '·') end--;
  return days.slice(Math.max(0, end - room), end).join('');
}

/** Burn rates of programmatic spend and a sparkline of its daily spend across the cycle. */
export function Burn({
  burn,
  daily,
  width,
  past = false,
  days = null,
  official = null,
  nowMs = 0,
  tz = 'UTC',
  spark: showSpark = true,
}: BurnProps): JSX.Element {
  const tone = useTone();
  const spark = showSpark ? sparkline(daily.map((d) => d.cost)) : '';
  const oneLine = !showSpark || burnLineCount(burn, spark.length, width, past) === 1;
  const text = burnLine(burn, past, width);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        {fit(text, width)}
        {oneLine && showSpark ? <Text color={tone('cyan')}>{`   ${spark}`}</Text> : null}
      </Text>
      {days !== null && !past ? (
        <Text wrap="truncate-end">{fit(todayLine(days, official, nowMs, width, tz), width)}</Text>
      ) : null}
      {oneLine ? null : (
        <Text wrap="truncate-end">
          {'Daily'.padEnd(10)}
          <Text color={tone('cyan')}>{sparkTo(spark, Math.max(0, width - 10))}</Text>
        </Text>
      )}
    </Box>
  );
}
