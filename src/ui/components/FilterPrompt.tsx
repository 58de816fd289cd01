import { Text } from 'ink';
import type { JSX } from 'react';
import { fit } from '../bars.js';
import { useTone } from '../theme.js';
import { escapeControls, tailToWidth, textWidth } from '../../domain/terminal-text.js';

const HINT = ' (Enter keeps, Esc clears)';

/**
 * The `/` prompt: typing filters the list at once; Enter keeps the filter, Esc clears it (keys:
 * App's handler). A text too long for the line shows its end, where the typing is, with the cursor.
 */
export function FilterPrompt({ text, width }: { text: string; width: number }): JSX.Element {
  const tone = useTone();
  const room = width - 1;
  const shown = escapeControls(text);
  // The whole text, the cursor and the hint; else without the hint; else the text's end.
  const line =
    textWidth(shown) + 1 + HINT.length <= room
      ? `${shown}▏${HINT}`
      : textWidth(shown) + 1 <= room
        ? `${shown}▏`
        : `…${tailToWidth(shown, Math.max(0, room - 2))}▏`;
  return (
    <Text wrap="truncate-end">
      <Text color={tone('cyan')}>/</Text>
      {fit(line, room)}
    </Text>
  );
}
