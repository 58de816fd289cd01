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
}

/** `$1.23/h last hour · $0.98/h 24 h · $23.45/day 7 d` */
export function burnText(burn: StatusReport['burnRate']): string {
  return `${formatUsd(burn.lastHourPerHour)}/h last hour · ${formatUsd(burn.last24hPerHour)}/h 24 h · ${formatUsd(burn.last7dPerDay)}/day 7 d`;
}

/** Burn rates of programmatic spend and a sparkline of its daily spend across the cycle. */
export function Burn({ burn, daily, width }: BurnProps): JSX.Element {
  const tone = useTone();
  const text = `${'Burn'.padEnd(10)}${burnText(burn)}`;
  const spark = sparkline(daily.map((d) => d.cost));
  const oneLine = text.length + 3 + spark.length <= width;
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
