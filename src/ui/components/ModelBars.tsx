import { Box, Text } from 'ink';
import type { JSX } from 'react';
import type { StatusReport } from '../../domain/status-types.js';
import { formatInt, formatUsd } from '../../domain/format.js';
import type { ClassFilter, Level, ViewRow } from '../../state/types.js';
import { fit, fitFields } from '../bars.js';
import { useTone } from '../theme.js';
import { levelName, RowTable } from './RowTable.js';

export const NOT_CHARGED = 'API-equivalent value, not charged to the credit';

const CLASS_TITLES: Record<ClassFilter, string> = {
  programmatic: 'Programmatic spend (counts against the credit)',
  interactive: `Interactive spend: ${NOT_CHARGED}`,
  unknown: `Unknown-class spend: ${NOT_CHARGED}`,
  all: 'All spend (only programmatic counts against the credit)',
};

/** The list title: the grouping and what the class filter means for the credit. */
export function listTitle(level: Level, classFilter: ClassFilter): string {
  return `By ${levelName(level).toLowerCase()} · ${CLASS_TITLES[classFilter]}`;
}

/** The line keeping interactive and unknown spend apart from the credit. */
export function apartText(status: StatusReport, width: number): string {
  const i = status.interactive;
  const u = status.unknown;
  if (width < 110) {
    // The amounts first; what they mean as it fits (no colon left hanging); the short tags last.
    const long = `Interactive ${formatUsd(i.cost)} · unknown ${formatUsd(u.cost)}`;
    const short = `int ${formatUsd(i.cost)} · unk ${formatUsd(u.cost)}`;
    const notes = ['API-equivalent, not charged to the credit', 'not charged to the credit', 'not charged'];
    for (const amounts of [long, short])
      for (const note of notes) if (amounts.length + 2 + note.length <= width) return `${amounts}: ${note}`;
    for (const amounts of [long, short]) if (amounts.length <= width) return amounts;
    return fit(short, width);
  }
  return `Interactive ${formatUsd(i.cost)} (${formatInt(i.requests)} req) · unknown ${formatUsd(u.cost)} (${formatInt(u.requests)} req): ${NOT_CHARGED}`;
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

/** The top-level list (per model by default): bars with cost, share, requests and tokens. */
export function ModelBars(p: ModelBarsProps): JSX.Element {
  const tone = useTone();
  const full = listTitle(p.level, p.classFilter);
  const title = fitFields(
    [
      {
        // Shorter and shorter: without the aside, without the explanation after the colon, the
        // grouping alone; so a narrow pane keeps the filter that explains an empty list.
        forms: [
          full,
          full.replace(/\s*\([^)]*\)/, ''),
          full.replace(/\s*\([^)]*\)/, '').replace(/:.*$/, ''),
          `By ${levelName(p.level).toLowerCase()}`,
        ],
        priority: 1,
      },
      ...(p.textFilter
        ? [
            {
              forms: [`filter "${p.textFilter}" (${p.rows.length} of ${p.rowsTotal})`, `filter "${p.textFilter}"`],
              priority: 0,
            },
          ]
        : []),
    ],
    p.width,
  );
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        {title}
      </Text>
      <RowTable rows={p.rows} level={p.level} selected={p.selected} height={p.height} width={p.width} />
      {p.apart === false ? null : (
        <Text color={tone('gray')} wrap="truncate-end">
          {fit(apartText(p.status, p.width), p.width)}
        </Text>
      )}
    </Box>
  );
}
