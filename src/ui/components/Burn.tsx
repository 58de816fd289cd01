import { Box, Text } from 'ink';
import type { JSX } from 'react';
import type { StatusReport } from '../../domain/status-types.js';
import { formatUsd } from '../../domain/format.js';
import { fit, sparkline } from '../bars.js';
import { useTone } from '../theme.js';

export interface BurnProps {
  burn: StatusReport['burnRate'];
  daily: Array<{ day: string; cost: number }>;
  width: number;
  /** A cycle that has ended: the rates (last hour, day, week) are not about it. */
  past?: boolean;
}

/** `$1.23/h last hour · $0.98/h 24 h · $23.45/day 7 d` */
export function burnText(burn: StatusReport['burnRate']): string {
  return `${formatUsd(burn.lastHourPerHour)}/h last hour · ${formatUsd(burn.last24hPerHour)}/h 24 h · ${formatUsd(burn.last7dPerDay)}/day 7 d`;
}

/** What the burn line says for a cycle that has ended. */
export const PAST_BURN_TEXT = 'rates not applicable: the cycle has ended';

/** The burn line's text: rates, or why there are none. */
function burnLine(burn: StatusReport['burnRate'], past: boolean): string {
  return `${'Burn'.padEnd(10)}${past ? PAST_BURN_TEXT : burnText(burn)}`;
}

/** 1 when rates and sparkline share a line at `width`, else 2. */
export function burnLineCount(burn: StatusReport['burnRate'], days: number, width: number, past = false): number {
  return burnLine(burn, past).length + 3 + days <= width ? 1 : 2;
}

/** Burn rates of programmatic spend and a sparkline of its daily spend across the cycle. */
export function Burn({ burn, daily, width, past = false }: BurnProps): JSX.Element {
  const tone = useTone();
  const text = burnLine(burn, past);
  const spark = sparkline(daily.map((d) => d.cost));
  const oneLine = burnLineCount(burn, spark.length, width, past) === 1;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        {fit(text, width)}
        {oneLine ? <Text color={tone('cyan')}>{`   ${spark}`}</Text> : null}
      </Text>
      {oneLine ? null : (
        <Text wrap="truncate-end">
          {'Daily'.padEnd(10)}
          <Text color={tone('cyan')}>{fit(spark, Math.max(0, width - 10))}</Text>
        </Text>
      )}
    </Box>
  );
}
