import { Box, Text } from 'ink';
import type { JSX } from 'react';
import type { StoredRequest } from '../../domain/types.js';
import { formatUsdPrecise } from '../../domain/format.js';
import { cell, tailPath } from '../bars.js';
import { clockTime, stampTime } from '../format-time.js';
import { useTone } from '../theme.js';

export interface RecentRequestsProps {
  requests: StoredRequest[];
  count: number;
  width: number;
  tz: string;
  /** Show the date too (a long list reaches back past today). */
  dated?: boolean;
}

const CLASS_SHORT = { programmatic: 'prog', interactive: 'inter', unknown: 'unkn' } as const;

/** The newest requests, newest first: time, model, class, project, cost. */
export function RecentRequests({ requests, count, width, tz, dated = false }: RecentRequestsProps): JSX.Element {
  const tone = useTone();
  const shown = requests.slice(0, count);
  const modelW = width >= 120 ? 28 : 20;
  const timeW = dated ? 15 : 9;
  const projectW = Math.min(60, Math.max(8, width - timeW - modelW - 6 - 10 - 5));
  return (
    <Box flexDirection="column">
      <Text bold>Recent requests</Text>
      {shown.length === 0 ? <Text color={tone('gray')}>  none in this cycle yet</Text> : null}
      {shown.map((r) => (
        <Text key={r.key} wrap="truncate-end">
          {cell(dated ? stampTime(r.ts, tz) : clockTime(r.ts, tz), timeW)}
          {cell(r.model, modelW)} <Text color={r.class === 'programmatic' ? tone('yellow') : tone('gray')}>{cell(CLASS_SHORT[r.class], 6)}</Text>
          {cell(tailPath(r.project ?? '-', projectW), projectW)} {cell(r.cost === null ? 'unpriced' : formatUsdPrecise(r.cost), 10, true)}
        </Text>
      ))}
    </Box>
  );
}
