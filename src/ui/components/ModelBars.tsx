import { Box, Text } from 'ink';
import type { JSX } from 'react';
import { unknownCounted, type StatusReport } from '../../domain/status-types.js';
import { formatInt, formatUsdNonZero } from '../../domain/format.js';
import type { ClassFilter, Level, ViewRow } from '../../state/types.js';
import { filterForms, fit, fitFields } from '../bars.js';
import { useTone } from '../theme.js';
import { levelName, RowTable } from './RowTable.js';

export const NOT_CHARGED = 'API-equivalent value, not charged to the credit';

/** What a class filter's spend means for the credit; unknown counts when config `countUnknown` says so. */
export function chargeNote(classFilter: ClassFilter, unknownCounts: boolean): string {
  switch (classFilter) {
    case 'programmatic':
      // With countUnknown the gauge holds unknown spend too, which this list does not show.
      return unknownCounts ? 'counts against the credit, as unknown does' : 'counts against the credit';
    case 'interactive':
      return NOT_CHARGED;
    case 'unknown':
      return unknownCounts ? 'counted against the credit by countUnknown' : NOT_CHARGED;
    case 'all':
      return unknownCounts
        ? 'programmatic and unknown count against the credit'
        : 'only programmatic counts against the credit';
  }
}

const CLASS_NAMES: Record<ClassFilter, string> = {
  programmatic: 'Programmatic',
  interactive: 'Interactive',
  unknown: 'Unknown-class',
  all: 'All',
};

/** The list title: the grouping and what the class filter means for the credit. */
export function listTitle(level: Level, classFilter: ClassFilter, unknownCounts = false): string {
  const note = chargeNote(classFilter, unknownCounts);
  // "not charged" reads as the colon's explanation; what counts, as an aside.
  const spend = note === NOT_CHARGED ? `spend: ${note}` : `spend (${note})`;
  return `By ${levelName(level).toLowerCase()} · ${CLASS_NAMES[classFilter]} ${spend}`;
}

/** The line keeping interactive and unknown spend apart from the credit. */
export function apartText(status: StatusReport, width: number): string {
  const i = status.interactive;
  const u = status.unknown;
  if (unknownCounted(status)) {
    // Config countUnknown: unknown spend is in the gauge; only interactive stands apart.
    const forms = [
      `Interactive ${formatUsdNonZero(i.cost)} (${formatInt(i.requests)} req): ${NOT_CHARGED} · unknown ${formatUsdNonZero(u.cost)}: counted (countUnknown)`,
      `Interactive ${formatUsdNonZero(i.cost)}: not charged · unknown ${formatUsdNonZero(u.cost)}: counted`,
      `int ${formatUsdNonZero(i.cost)}: not charged · unk ${formatUsdNonZero(u.cost)}: counted`,
      `int ${formatUsdNonZero(i.cost)} · unk ${formatUsdNonZero(u.cost)} counted`,
    ];
    return forms.find((f) => f.length <= width) ?? fit(forms[forms.length - 1]!, width);
  }
  if (width < 110) {
    // The amounts first; what they mean as it fits (no colon left hanging); the short tags last.
    const long = `Interactive ${formatUsdNonZero(i.cost)} · unknown ${formatUsdNonZero(u.cost)}`;
    const short = `int ${formatUsdNonZero(i.cost)} · unk ${formatUsdNonZero(u.cost)}`;
    const notes = ['API-equivalent, not charged to the credit', 'not charged to the credit', 'not charged'];
    for (const amounts of [long, short])
      for (const note of notes) if (amounts.length + 2 + note.length <= width) return `${amounts}: ${note}`;
    for (const amounts of [long, short]) if (amounts.length <= width) return amounts;
    return fit(short, width);
  }
  return `Interactive ${formatUsdNonZero(i.cost)} (${formatInt(i.requests)} req) · unknown ${formatUsdNonZero(u.cost)} (${formatInt(u.requests)} req): ${NOT_CHARGED}`;
}

export interface ModelBarsProps {
  status: StatusReport;
  rows: ViewRow[];
  level: Level;
  classFilter: ClassFilter;
  selected: number;
  height: number;
  width: number;
  textFilter: string;
  rowsTotal: number;
  /** Draw the "not charged to the credit" line under the list (dropped on short terminals). */
  apart?: boolean;
}

/**
 * The title's forms with a kept filter's, in the order they give way: the title's aside, then the
 * filter's text down to three characters, then the class, then the filter's counts.
 */
function withFilter(titles: readonly string[], filters: readonly string[]): string[] {
  const line = (t: number, f: number): string => `${titles[t]!} · ${filters[f]!}`;
  // filterForms ends with the text cut to 4 columns, then without the counts: the first of those
  // two (or the whole text, when it is no wider), before the class goes.
  const short = Math.max(0, filters.length - 2);
  const out = [line(0, 0), line(1, 0)];
  for (let f = 1; f <= short; f++) out.push(line(1, f));
  for (let t = 2; t < titles.length; t++) out.push(line(t, short));
  for (let f = short + 1; f < filters.length; f++) out.push(line(titles.length - 1, f));
  return out;
}

/** The top-level list (per model by default): bars with cost, share, requests and tokens. */
export function ModelBars(p: ModelBarsProps): JSX.Element {
  const tone = useTone();
  const full = listTitle(p.level, p.classFilter, unknownCounted(p.status));
  // Shorter and shorter: without the aside, without the explanation after the colon, the grouping
  // alone; so a narrow pane keeps the filter that explains an empty list.
  const titles = [
    full,
    full.replace(/\s*\([^)]*\)/, ''),
    full.replace(/\s*\([^)]*\)/, '').replace(/:.*$/, ''),
    `By ${levelName(p.level).toLowerCase()}`,
  ];
  const title = fitFields(
    [
      {
        forms: p.textFilter ? withFilter(titles, filterForms(p.textFilter, p.rows.length, p.rowsTotal)) : titles,
        priority: 0,
      },
    ],
    p.width,
  );
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        {title}
      </Text>
      <RowTable
        rows={p.rows}
        level={p.level}
        selected={p.selected}
        height={p.height}
        width={p.width}
        models={p.status.byModel.map((m) => m.model)}
      />
      {p.apart === false ? null : (
        <Text color={tone('gray')} wrap="truncate-end">
          {fit(apartText(p.status, p.width), p.width)}
        </Text>
      )}
    </Box>
  );
}
