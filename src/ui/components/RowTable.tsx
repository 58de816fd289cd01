import { Box, Text } from 'ink';
import type { JSX } from 'react';
import { formatInt, formatPercent, formatTokens, formatUsd } from '../../domain/format.js';
import type { Level, ViewRow } from '../../state/types.js';
import { bar, cell, fitFields, tailPath } from '../bars.js';
import { useTone } from '../theme.js';

/** First row of a window of `height` rows that keeps `selected` in view (centred when it can). */
export function windowStart(selected: number, total: number, height: number): number {
  if (total <= height) return 0;
  return Math.max(0, Math.min(total - height, selected - Math.floor(height / 2)));
}

const LEVEL_NAMES: Record<Level, string> = {
  model: 'Model',
  project: 'Project',
  branch: 'Branch',
  day: 'Day',
  entrypoint: 'Entrypoint',
  session: 'Session',
  class: 'Class',
  user: 'User',
  repo: 'Repository',
  workflow: 'Workflow',
  run: 'Run',
  host: 'Host',
  source: 'Source',
  request: 'Request',
};

/** The column title of a level. */
export function levelName(level: Level): string {
  return LEVEL_NAMES[level];
}

export interface RowTableProps {
  rows: ViewRow[];
  level: Level;
  selected: number;
  /** Rows of the list itself (the column header comes on top). */
  height: number;
  width: number;
}

function layout(width: number): { label: number; bar: number } {
  const rest = Math.max(12, width - 36);
  const barW = Math.min(40, Math.max(4, Math.floor(rest * 0.35)));
  // Past 60 columns a label only adds blank space between the name and its figures.
  return { label: Math.min(60, rest - barW), bar: barW };
}

/** A bounded window of grouped rows: a cost bar, cost, share, requests and tokens per row. */
export function RowTable({ rows, level, selected, height, width }: RowTableProps): JSX.Element {
  const tone = useTone();
  const w = layout(width);
  // Rows that do not fit are never hidden silently: the last line says how many more there are.
  const overflow = rows.length > height && height >= 2;
  const visible = overflow ? height - 1 : height;
  const start = windowStart(selected, rows.length, visible);
  const shown = rows.slice(start, start + visible);
  const hidden = rows.length - shown.length;
  const max = rows.reduce((m, r) => Math.max(m, r.cost), 0);
  const head = `  ${cell(levelName(level), w.label)} ${cell('', w.bar)}${cell('cost', 10, true)} ${cell('share', 5, true)} ${cell('reqs', 7, true)} ${cell('tokens', 7, true)}`;
  return (
    <Box flexDirection="column">
      <Text color={tone('gray')} wrap="truncate-end">
        {head}
      </Text>
      {shown.length === 0 ? <Text color={tone('gray')}> (nothing in this view)</Text> : null}
      {shown.map((r, i) => {
        const isSel = start + i === selected;
        const label =
          level === 'project'
            ? tailPath(r.label, w.label)
            : r.labelFields
              ? fitFields(r.labelFields, w.label)
              : r.label;
        const unpriced = r.unpricedRequests > 0 ? '?' : ' ';
        return (
          <Text key={r.key} inverse={isSel} wrap="truncate-end">
            {isSel ? '▸ ' : '  '}
            {cell(label, w.label)} <Text color={tone('cyan')}>{bar(max > 0 ? r.cost / max : 0, w.bar)}</Text>
            {cell(formatUsd(r.cost) + unpriced, 10, true)} {cell(formatPercent(r.share), 5, true)}{' '}
            {cell(formatInt(r.requests), 7, true)} {cell(formatTokens(r.tokens), 7, true)}
          </Text>
        );
      })}
      {overflow ? (
        <Text color={tone('gray')} wrap="truncate-end">
          {fitFields(
            [
              { forms: [`  +${hidden} more`], priority: 0 },
              {
                forms: [
                  `(${start + 1}–${start + shown.length} of ${rows.length}; ↑↓ scroll, / filters)`,
                  `(↑↓ scroll)`,
                ],
                priority: 1,
              },
            ],
            width,
            ' ',
          )}
        </Text>
      ) : null}
    </Box>
  );
}
