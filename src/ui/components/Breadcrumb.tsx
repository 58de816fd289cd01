import { Text } from 'ink';
import type { JSX } from 'react';
import type { DrillStep, Level } from '../../state/types.js';
import { tailPath } from '../bars.js';
import { useTone } from '../theme.js';
import { levelName } from './RowTable.js';

/** `branches`, `classes`, `repositories`, `sessions`: a level's name for the list of its rows. */
export function plural(word: string): string {
  if (/(?:s|x|ch|sh)$/.test(word)) return `${word}es`;
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  return `${word}s`;
}

/** `model claude-opus-4-7 › project /work/app › sessions`: where the drill-down stands. */
export function breadcrumbText(drill: DrillStep[], level: Level): string {
  const steps = drill.map((s) => `${levelName(s.level).toLowerCase()} ${s.label}`);
  const here = plural(levelName(level).toLowerCase());
  return ['all', ...steps, here].join(' › ');
}

export function Breadcrumb({ drill, level, width }: { drill: DrillStep[]; level: Level; width: number }): JSX.Element {
  const tone = useTone();
  return (
    <Text color={tone('cyan')} wrap="truncate-end">
      {tailPath(breadcrumbText(drill, level), width)}
    </Text>
  );
}
