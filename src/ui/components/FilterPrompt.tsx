import { Text } from 'ink';
import type { JSX } from 'react';
import { fit } from '../bars.js';
import { useTone } from '../theme.js';

/** The `/` prompt: typing filters the list at once; Enter keeps the filter, Esc clears it (keys: App's handler). */
export function FilterPrompt({ text, width }: { text: string; width: number }): JSX.Element {
  const tone = useTone();
  return (
    <Text wrap="truncate-end">
      <Text color={tone('cyan')}>/</Text>
      {fit(`${text}▏ (Enter keeps, Esc clears)`, width - 1)}
    </Text>
  );
}
