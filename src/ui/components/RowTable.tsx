import { Box, Text } from 'ink';
import type { JSX } from 'react';
import { formatInt, formatPercent, formatTokens, formatUsdNonZero } from '../../domain/format.js';
import type { Level, ViewRow } from '../../state/types.js';
import type { RequestClass } from '../../domain/types.js';
import { bar, cell, fitFields, fittedForms, tailPath } from '../bars.js';
import { distinctShortModels } from '../text.js';
import { escapeControls, textWidth } from '../../domain/terminal-text.js';
import { useTone, type Tone } from '../theme.js';
import { MoreRows, rowRoom } from './MoreRows.js';

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

/** Class colours of a mixed list (class filter "all"). */
const CLASS_TONES: Record<RequestClass, Tone> = { programmatic: 'cyan', interactive: 'magenta', unknown: 'yellow' };
const CLASS_SHORT: Record<RequestClass, string> = { programmatic: 'prog', interactive: 'int', unknown: 'unk' };
const CLASS_ORDER: readonly RequestClass[] = ['programmatic', 'interactive', 'unknown'];

/** "prog", "int", "prog+int": the classes a row's cost (or, unpriced, its requests) comes from. */
export function classTag(byClass: Record<RequestClass, number>, requests?: Record<RequestClass, number>): string {
  return CLASS_ORDER.filter((c) => byClass[c] > 0 || (requests?.[c] ?? 0) > 0)
    .map((c) => CLASS_SHORT[c])
    .join('+');
}

/** A row's bar split by class: programmatic, then interactive, then unknown, each in its colour. */
export function classBar(
  byClass: Record<RequestClass, number>,
  max: number,
  width: number,
): Array<{ text: string; tone?: Tone }> {
  const out: Array<{ text: string; tone?: Tone }> = [];
  let used = 0;
  for (const c of CLASS_ORDER) {
    const cells = max > 0 ? Math.round(((byClass[c] ?? 0) / max) * width) : 0;
    const n = Math.min(width - used, cells);
    if (n > 0) out.push({ text: '█'.repeat(n), tone: CLASS_TONES[c] });
    used += Math.max(0, n);
  }
  out.push({ text: ' '.repeat(Math.max(0, width - used)) });
  return out;
}

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
  /** The cycle's models: short names are told apart over them all, not only the rows of this view. */
  models?: readonly string[];
}

/** The figures after the bar, each with the space before it; dropped last first when the pane is narrow. */
const FIGURES = [
  { head: 'share', width: 5, value: (r: ViewRow) => formatPercent(r.share) },
  { head: 'reqs', width: 7, value: (r: ViewRow) => formatInt(r.requests) },
  { head: 'tokens', width: 7, value: (r: ViewRow) => formatTokens(r.tokens) },
] as const;
/** Marker, space after the label and the column Ink keeps free at the right edge (the cost's comes apart). */
const FIXED = 2 + 1 + 1;
/** The cost column, its space before it included, when every cost fits it ($999.99 and a `?`). */
const COST_WIDTH = 10;
/** A label of 16 (a model's whole name) and a bar of 4 come before any figure but the cost. */
const LABEL_MIN = 16;
/** The longest model name kept whole before the cost itself would have to go. */
const MODEL_NAME_MAX = 48;
const NARROW_BAR = 4;

/**
 * Column widths at `width`. `tagRoom` is what the rows' class tags take of the label (" prog+int"
 * in a mixed list): the name keeps its 16 beside them, first at the figures' cost, then the bar's.
 */
function layout(
  width: number,
  tagRoom = 0,
  costWidth = COST_WIDTH,
  figureWidths: readonly number[] = FIGURES.map((f) => f.width),
  longest = 0,
  nameMin = LABEL_MIN,
): { label: number; bar: number; figures: number } {
  const labelMin = nameMin + tagRoom;
  let figures = FIGURES.length;
  const used = (n: number): number => FIXED + costWidth + figureWidths.slice(0, n).reduce((sum, fw) => sum + fw + 1, 0);
  while (figures > 0 && width - used(figures) < labelMin + NARROW_BAR) figures--;
  const rest = Math.max(12, width - used(figures));
  // A narrow pane gives the label what the bar would take; the tags show the classes the bar would.
  const barW =
    rest - tagRoom < 30
      ? rest - NARROW_BAR >= labelMin
        ? NARROW_BAR
        : 0
      : Math.min(40, Math.floor((rest - tagRoom) * 0.35));
  // Past 60 columns, or the longest label, a label only adds blank space between the name and its
  // figures; a longer name (a workflow's, a path) takes the room there is, down to a bar of 10
  // cells, rather than being cut.
  const need = longest + tagRoom;
  const wide = barW > 10 && need > rest - barW ? Math.max(10, rest - need) : barW;
  // Never below the name's own minimum while the bar has room to give (the figures went for it).
  const bar = Math.max(0, Math.min(wide, rest - labelMin));
  return { label: Math.min(Math.max(60, longest) + tagRoom, rest - bar), bar, figures };
}

/** A bounded window of grouped rows: a cost bar, cost, share, requests and tokens per row. */
export function RowTable({ rows, level, selected, height, width, models = [] }: RowTableProps): JSX.Element {
  const tone = useTone();
  // Each row's class tag (a mixed list only) and the label room it takes with its space.
  const tags = rows.map((r) => (r.byClass ? classTag(r.byClass, r.classRequests) : ''));
  const tagWidth = (t: string): number => (t ? t.length + 1 : 0);
  // Each row's cost, `?` when some of its requests are unpriced; the column widens for the longest
  // (a team's $12,345.67?), with a space before it, for every row alike.
  const costs = rows.map((r) => formatUsdNonZero(r.cost) + (r.unpricedRequests > 0 ? '?' : ' '));
  const costWidth = costs.reduce((m, c) => Math.max(m, c.length + 1), COST_WIDTH);
  // The figures' columns widen alike for a long one (a million requests).
  const figureWidths = FIGURES.map((f) => rows.reduce<number>((m, r) => Math.max(m, f.value(r).length), f.width));
  // Models' short names, told apart down the whole list (not only the rows on screen): the figures
  // go before a short name is cut (one that keeps its date to be told apart, an unknown model's
  // long id), up to MODEL_NAME_MAX columns.
  const shortLabels =
    level === 'model' ? distinctShortModels([...models, ...rows.map((r) => r.label)]) : new Map<string, string>();
  const longestShort = rows.reduce((m, r) => Math.max(m, textWidth(escapeControls(shortLabels.get(r.label) ?? ''))), 0);
  const w = layout(
    width,
    tags.reduce((m, t) => Math.max(m, tagWidth(t)), 0),
    costWidth,
    figureWidths,
    rows.reduce((m, r) => Math.max(m, textWidth(escapeControls(r.label))), 0),
    Math.max(LABEL_MIN, Math.min(longestShort, MODEL_NAME_MAX)),
  );
  // Models are named alike down the list: all short when one does not fit whole.
  const shortNames =
    level === 'model' && rows.some((r, i) => textWidth(escapeControls(r.label)) > w.label - tagWidth(tags[i]!));
  // Rows that do not fit are never hidden silently: the last line says how many more there are.
  const { visible, overflow } = rowRoom(rows.length, height);
  const start = windowStart(selected, rows.length, visible);
  const shown = rows.slice(start, start + visible);
  // Rows named by fields (sessions) drop the same fields down the list: a field one shown row has
  // no room for goes from every row, so the names line up (a start time on one row and not on the
  // next read as different kinds of row).
  const droppedFields = new Set<number>();
  shown.forEach((r, i) => {
    if (!r.labelFields) return;
    const chosen = fittedForms(r.labelFields, w.label - tagWidth(tags[start + i]!));
    r.labelFields.forEach((f, k) => chosen[k] === null && droppedFields.add(f.priority));
  });
  const max = rows.reduce((m, r) => Math.max(m, r.cost), 0);
  const figures = FIGURES.slice(0, w.figures).map((f, k) => ({ ...f, width: figureWidths[k]! }));
  const head = `  ${cell(levelName(level), w.label)} ${cell('', w.bar)}${cell('cost', costWidth, true)}${figures.map((f) => ` ${cell(f.head, f.width, true)}`).join('')}`;
  return (
    <Box flexDirection="column">
      <Text color={tone('gray')} wrap="truncate-end">
        {head}
      </Text>
      {shown.length === 0 ? <Text color={tone('gray')}> (nothing in this view)</Text> : null}
      {shown.map((r, i) => {
        const isSel = start + i === selected;
        const tag = tags[start + i]!;
        const labelWidth = w.label - tagWidth(tag);
        const base =
          level === 'project'
            ? tailPath(r.label, labelWidth)
            : level === 'model'
              ? shortNames
                ? (shortLabels.get(r.label) ?? r.label)
                : r.label
              : r.labelFields
                ? fitFields(
                    r.labelFields.filter((f) => !droppedFields.has(f.priority)),
                    labelWidth,
                  )
                : r.label;
        const label = tag ? `${cell(base, labelWidth)} ${tag}` : base;
        return (
          <Text key={r.key} inverse={isSel} wrap="truncate-end">
            {isSel ? '▸ ' : '  '}
            {cell(label, w.label)}{' '}
            {r.byClass ? (
              classBar(r.byClass, max, w.bar).map((s, k) => (
                <Text key={k} color={s.tone ? tone(s.tone) : undefined}>
                  {s.text}
                </Text>
              ))
            ) : (
              <Text color={tone('cyan')}>{bar(max > 0 ? r.cost / max : 0, w.bar)}</Text>
            )}
            {cell(costs[start + i]!, costWidth, true)}
            {figures.map((f) => ` ${cell(f.value(r), f.width, true)}`).join('')}
          </Text>
        );
      })}
      {overflow ? <MoreRows start={start} shown={shown.length} total={rows.length} width={width} /> : null}
    </Box>
  );
}
