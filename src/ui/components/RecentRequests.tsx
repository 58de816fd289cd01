import { Box, Text } from 'ink';
import type { JSX } from 'react';
import type { StoredRequest } from '../../domain/types.js';
import { cell, tailPath } from '../bars.js';
import { requestTime } from '../format-time.js';
import { requestCost } from '../text.js';
import { useTone } from '../theme.js';

export interface RecentRequestsProps {
  requests: StoredRequest[];
  count: number;
  width: number;
  tz: string;
  /** Requests of another day than this one show their date. */
  nowMs: number;
  /** The viewed cycle has ended (no "yet" when it had no requests). */
  past?: boolean;
}

const CLASS_SHORT = { programmatic: 'prog', interactive: 'inter', unknown: 'unkn' } as const;

/** The newest requests, newest first: time (with the date when not today), model, class, project, cost. */
export function RecentRequests({ requests, count, width, tz, nowMs, past = false }: RecentRequestsProps): JSX.Element {
  const tone = useTone();
  const shown = requests.slice(0, count);
  const times = shown.map((r) => requestTime(r.ts, nowMs, tz));
  const modelW = width >= 120 ? 28 : 20;
  const timeW = times.reduce((w, t) => Math.max(w, t.length + 1), 9);
  const projectW = Math.min(60, Math.max(8, width - timeW - modelW - 6 - 10 - 5));
  return (
    <Box flexDirection="column">
      <Text bold>Recent requests</Text>
      {shown.length === 0 ? (
        <Text color={tone('gray')}>{past ? '  none in this cycle' : '  none in this cycle yet'}</Text>
      ) : null}
      {shown.map((r, i) => (
        <Text key={r.key} wrap="truncate-end">
          {cell(times[i] ?? '', timeW)}
          {cell(r.model, modelW)}{' '}
          <Text color={r.class === 'programmatic' ? tone('yellow') : tone('gray')}>
            {cell(CLASS_SHORT[r.class], 6)}
          </Text>
          {cell(tailPath(r.project ?? '-', projectW), projectW)}{' '}
          {cell(r.cost === null ? 'unpriced' : requestCost(r.cost), 10, true)}
        </Text>
      ))}
    </Box>
  );
}
