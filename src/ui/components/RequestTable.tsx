import { Box, Text } from 'ink';
import type { JSX } from 'react';
import { formatTokens } from '../../domain/format.js';
import type { ViewRow } from '../../state/types.js';
import { cell } from '../bars.js';
import { stampTime } from '../format-time.js';
import { requestCost } from '../text.js';
import { useTone } from '../theme.js';
import { windowStart } from './RowTable.js';

export interface RequestTableProps {
  rows: ViewRow[];
  selected: number;
  height: number;
  width: number;
  tz: string;
}

/** The requests of a session: time, entrypoint, tokens by kind, cost (model and class when wide). */
export function RequestTable({ rows, selected, height, width, tz }: RequestTableProps): JSX.Element {
  const tone = useTone();
  const wide = width >= 120;
  const start = windowStart(selected, rows.length, height);
  const shown = rows.slice(start, start + height);
  const n = (s: string): string => cell(s, 7, true);
  const head =
    `  ${cell('time', 14)} ${cell('entrypoint', 11)}${n('input')} ${n('output')} ${n('c.read')} ${n('c.w5m')} ${n('c.w1h')} ${cell('cost', 10, true)}` +
    (wide ? `  ${cell('class', 12)} model` : '');
  return (
    <Box flexDirection="column">
      <Text color={tone('gray')} wrap="truncate-end">
        {head}
      </Text>
      {shown.map((r, i) => {
        const d = r.request;
        if (!d) return null;
        const isSel = start + i === selected;
        const cost = d.cost === null ? 'unpriced' : requestCost(d.cost);
        const u = d.usage;
        return (
          <Text key={r.key} inverse={isSel} wrap="truncate-end">
            {isSel ? '▸ ' : '  '}
            {cell(stampTime(d.ts, tz), 14)} {cell(d.entrypoint ?? '-', 11)}
            {n(formatTokens(u.input))} {n(formatTokens(u.output))} {n(formatTokens(u.cacheRead))}{' '}
            {n(formatTokens(u.cacheWrite5m))} {n(formatTokens(u.cacheWrite1h))} {cell(cost, 10, true)}
            {wide ? `  ${cell(d.class, 12)} ${d.model}` : ''}
          </Text>
        );
      })}
    </Box>
  );
}
