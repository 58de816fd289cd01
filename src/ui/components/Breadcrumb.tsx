import { Text } from 'ink';
import type { JSX } from 'react';
import type { DrillStep, Level } from '../../state/types.js';
import { tailPath } from '../bars.js';
import { escapeControls, textWidth } from '../../domain/terminal-text.js';
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

/**
 * The breadcrumb in `width` columns: whole steps go from the left ("… › session … › requests"),
 * so no step is cut in the middle of a word; only a last step too long for the line alone is cut.
 */
export function breadcrumbFit(drill: DrillStep[], level: Level, width: number): string {
  // Names come from transcripts and telemetry: a control sequence in one is shown as text.
  const whole = escapeControls(breadcrumbText(drill, level));
  if (textWidth(whole) <= width) return whole;
  const parts = whole.split(' › ');
  for (let from = 1; from < parts.length - 1; from++) {
    const line = ['…', ...parts.slice(from)].join(' › ');
    if (textWidth(line) <= width) return line;
  }
  // The last step alone is too long: its fields go whole (a session's "project · time · entrypoint
  // · id": the entrypoint, then the time), then its first is shortened from the left (a path keeps
  // its end), then goes; its last (the id) stays.
  if (parts.length >= 3) {
    const here = parts[parts.length - 1]!;
    const step = parts[parts.length - 2]!;
    const lead = parts.length > 3 ? '… › ' : '';
    const fits = (s: string): string | null => {
      const line = `${lead}${s} › ${here}`;
      return textWidth(line) <= width ? line : null;
    };
    const fields = step.split(' · ');
    while (fields.length > 2) {
      fields.splice(fields.length - 2, 1);
      const line = fits(fields.join(' · '));
      if (line !== null) return line;
    }
    if (fields.length === 2) {
      const rest = ` · ${fields[1]}`;
      const room = width - textWidth(`${lead} › ${here}`) - textWidth(rest);
      const [word, ...label] = fields[0]!.split(' ');
      const head = `${word} `;
      if (label.length > 0 && room - textWidth(head) >= 8) {
        const line = fits(`${head}${tailPath(label.join(' '), room - textWidth(head))}${rest}`);
        if (line !== null) return line;
      }
      const line = fits(`${word} ${fields[1]}`);
      if (line !== null) return line;
    }
  }
  // Whole words from the left (`… claude-sonnet-5-5 › projects`) while the last step keeps a word
  // of its own; else cut where it must be.
  const words = whole.split(' ');
  for (let from = 1; from < words.lastIndexOf('›'); from++) {
    const line = `… ${words.slice(from).join(' ')}`;
    if (textWidth(line) <= width) return line;
  }
  return tailPath(whole, width);
}

export function Breadcrumb({ drill, level, width }: { drill: DrillStep[]; level: Level; width: number }): JSX.Element {
  const tone = useTone();
  return (
    <Text color={tone('cyan')} wrap="truncate-end">
      {breadcrumbFit(drill, level, width)}
    </Text>
  );
}
