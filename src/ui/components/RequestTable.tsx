import { Box, Text } from 'ink';
import { useMemo, type JSX } from 'react';
import { formatTokens } from '../../domain/format.js';
import { textWidth } from '../../domain/terminal-text.js';
import type { ViewRow } from '../../state/types.js';
import { cell } from '../bars.js';
import { stampTime } from '../format-time.js';
import { distinctShortModels, requestCostText, shortModel } from '../text.js';
import { useTone } from '../theme.js';
import { MoreRows, rowRoom } from './MoreRows.js';
import { windowStart } from './RowTable.js';

export interface RequestTableProps {
  rows: ViewRow[];
  selected: number;
  height: number;
  width: number;
  tz: string;
  /** The cycle's models: short names are told apart over them all, not only the requests listed. */
  models?: readonly string[];
}

interface Column {
  head: string;
  width: number;
  right: boolean;
  /** Columns with a lower priority are dropped first when the terminal is narrow (0: always kept). */
  priority: number;
  value(d: NonNullable<ViewRow['request']>, tz: string): string;
}

const tokens = (n: number): string => formatTokens(n);

/** The model column's width: a short name (`sonnet-4-5`) and then some; see RequestTable for longer. */
const MODEL_WIDTH = 18;

/** Every column in display order; time, model and cost are always shown. */
const COLUMNS: readonly Column[] = [
  { head: 'time', width: 15, right: false, priority: 0, value: (d, tz) => stampTime(d.ts, tz) },
  { head: 'model', width: MODEL_WIDTH, right: false, priority: 0, value: (d) => d.model },
  { head: 'entrypoint', width: 11, right: false, priority: 6, value: (d) => d.entrypoint ?? '-' },
  { head: 'input', width: 7, right: true, priority: 2, value: (d) => tokens(d.usage.input) },
  { head: 'output', width: 7, right: true, priority: 1, value: (d) => tokens(d.usage.output) },
  { head: 'c.read', width: 7, right: true, priority: 3, value: (d) => tokens(d.usage.cacheRead) },
  { head: 'c.w5m', width: 7, right: true, priority: 5, value: (d) => tokens(d.usage.cacheWrite5m) },
  { head: 'c.w1h', width: 7, right: true, priority: 4, value: (d) => tokens(d.usage.cacheWrite1h) },
  {
    head: 'cost',
    width: 10,
    right: true,
    priority: 0,
    value: (d) => requestCostText(d.cost),
  },
  { head: 'class', width: 12, right: false, priority: 7, value: (d) => d.class },
];

/** Both cache writes in one column, when only one of theirs fits: every token behind the cost shows. */
const CACHE_WRITES: Column = {
  head: 'c.write',
  width: 7,
  right: true,
  priority: 4,
  value: (d) => tokens(d.usage.cacheWrite5m + d.usage.cacheWrite1h),
};

/** Time, model and cost in less room (a pane of 34-48 columns): to the minute, and short model names. */
const COMPACT: readonly Column[] = [
  { head: 'time', width: 12, right: false, priority: 0, value: (d, tz) => stampTime(d.ts, tz).slice(0, -3) },
  { head: 'model', width: 12, right: false, priority: 0, value: (d) => shortModel(d.model) },
  {
    head: 'cost',
    width: 10,
    right: true,
    priority: 0,
    value: (d) => requestCostText(d.cost),
  },
];

/** The widest a cost is written (`$0.00000060`, `$12,345.67`, `$123,456.78`). */
const MAX_COST_WIDTH = 12;

const widthOf = (columns: Iterable<Column>): number => 2 + [...columns].reduce((s, c) => s + c.width + 1, 0);

/**
 * The columns that fit `width`: the least useful are left out first (entrypoint, class, cache
 * writes). `costWidth`: the widest cost the rows show, which the cost column takes (at least 10
 * wide, and in the compact three just as wide as it needs); the model takes the room it leaves.
 */
export function requestColumns(width: number, costWidth = 10, modelWidth = MODEL_WIDTH): Column[] {
  // The cost column as wide as the widest cost (`$0.00000060` takes 11), never cut.
  const all = COLUMNS.map((c) =>
    c.head === 'model'
      ? { ...c, width: modelWidth }
      : c.head === 'cost'
        ? { ...c, width: Math.max(c.width, costWidth) }
        : c,
  );
  const kept = new Set(all);
  const byLeastUseful = [...all].filter((c) => c.priority > 0).sort((a, b) => b.priority - a.priority);
  for (const c of byLeastUseful) {
    if (widthOf(kept) <= width) break;
    kept.delete(c);
  }
  if (widthOf(kept) <= width) {
    const [w5m, w1h] = [all.find((c) => c.head === 'c.w5m')!, all.find((c) => c.head === 'c.w1h')!];
    // One of the two cache-write columns dropped: the other stands for both, of the same width.
    const one = kept.has(w5m) !== kept.has(w1h);
    return all.filter((c) => kept.has(c)).map((c) => (one && (c === w5m || c === w1h) ? CACHE_WRITES : c));
  }
  // Narrower still: the compact three, the model column taking what is left (the cost always shows).
  const cost = Math.max(4, Math.min(MAX_COST_WIDTH, costWidth));
  const compact = COMPACT.map((c) => (c.head === 'cost' ? { ...c, width: cost } : c));
  const model = Math.max(6, width - (widthOf(compact) - COMPACT[1]!.width));
  return compact.map((c) => (c.head === 'model' ? { ...c, width: model } : c));
}

/** The requests of a drill-down: time, model, tokens by kind and cost, as many columns as fit. */
export function RequestTable({ rows, selected, height, width, tz, models = [] }: RequestTableProps): JSX.Element {
  const tone = useTone();
  // The widest cost of the list, not of the rows shown: the columns stay put while it scrolls.
  // Kept while the list is the same, not made again on every key that moves the selection.
  const costWidth = useMemo(
    () => rows.reduce((w, r) => (r.request ? Math.max(w, textWidth(requestCostText(r.request.cost))) : w), 0),
    [rows],
  );
  const listed = rows.flatMap((r) => (r.request === undefined ? [] : [r.request.model]));
  const shortOf = distinctShortModels([...models, ...listed]);
  // A short name that keeps its date to be told apart (`sonnet-4-5-20250929`) widens the model
  // column to hold it, as far as 24 cells; the least useful columns give way first.
  const dated = listed.reduce((w, m) => {
    const s = shortOf.get(m) ?? m;
    return s === shortModel(m) ? w : Math.max(w, textWidth(s));
  }, 0);
  const columns = requestColumns(width, costWidth, Math.min(24, Math.max(MODEL_WIDTH, dated)));
  const { visible, overflow } = rowRoom(rows.length, height);
  const start = windowStart(selected, rows.length, visible);
  const shown = rows.slice(start, start + visible);
  // A model name longer than its column is named short, every row alike ("haiku-4-5", not "claude-haiku-4-5-…").
  const modelColumn = columns.find((c) => c.head === 'model');
  const shortNames =
    modelColumn !== undefined &&
    rows.some((r) => r.request !== undefined && textWidth(r.request.model) > modelColumn.width);
  const valueOf = (c: Column, d: NonNullable<ViewRow['request']>): string =>
    c === modelColumn && shortNames ? (shortOf.get(d.model) ?? shortModel(d.model)) : c.value(d, tz);
  const line = (values: (c: Column) => string): string =>
    columns.map((c) => cell(values(c), c.width, c.right)).join(' ');
  return (
    <Box flexDirection="column">
      <Text color={tone('gray')} wrap="truncate-end">
        {`  ${line((c) => c.head)}`}
      </Text>
      {shown.map((r, i) => {
        const d = r.request;
        if (!d) return null;
        const isSel = start + i === selected;
        return (
          <Text key={r.key} inverse={isSel} wrap="truncate-end">
            {isSel ? '▸ ' : '  '}
            {line((c) => valueOf(c, d))}
          </Text>
        );
      })}
      {overflow ? <MoreRows start={start} shown={shown.length} total={rows.length} width={width} /> : null}
    </Box>
  );
}
