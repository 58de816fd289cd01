import { Box, Text } from 'ink';
import type { JSX } from 'react';
import { KEYMAP } from '../keymap.js';
import { cell, fitFields } from '../bars.js';
import { scrollWindow } from '../hooks/use-list-keys.js';
import { wrapLines } from '../text.js';
import { useTone } from '../theme.js';

/** The help lines, generated from the keymap. */
export function helpLines(): Array<{ keys: string; help: string }> {
  // The `/` line names the prompt's own keys (PROMPT_KEYMAP): Enter keeps, Esc clears.
  return KEYMAP.map((b) => ({ keys: b.label, help: b.help }));
}

const KEYS_WIDTH = 18;
const CLASSES =
  'Programmatic spend (Agent SDK, claude -p) counts against the credit; interactive and unknown spend (unless the config sets countUnknown): API-equivalent value, not charged to the credit.';

/** Every line of the help at `width`: each key with its text wrapped beside it, then the classes. */
function helpText(width: number): Array<{ keys: string; text: string }> {
  // Ink keeps the last column free.
  const room = width - 1;
  const keys = helpLines();
  // Narrow: the key column only as wide as its longest label.
  const keysWidth = room >= 40 ? KEYS_WIDTH : Math.min(KEYS_WIDTH, Math.max(...keys.map((l) => l.keys.length)) + 1);
  const out: Array<{ keys: string; text: string }> = [];
  for (const l of keys) {
    wrapLines(l.help, room - keysWidth).forEach((text, i) =>
      out.push({ keys: cell(i === 0 ? l.keys : '', keysWidth), text }),
    );
  }
  out.push({ keys: '', text: '' });
  for (const text of wrapLines(CLASSES, room)) out.push({ keys: '', text });
  return out;
}

/**
 * The key reference; `q` still quits, any other key closes it. Nothing is cut: texts wrap, and a
 * help longer than the screen scrolls with the list keys (its last line says where it is).
 */
export function Help({
  width,
  height = 1000,
  scroll = 0,
}: {
  width: number;
  height?: number;
  scroll?: number;
}): JSX.Element {
  const tone = useTone();
  const all = helpText(width);
  // The title and the closing line take two lines.
  const room = Math.max(1, height - 2);
  const { start, shown } = scrollWindow('help', all, room, scroll);
  const footer =
    shown.length < all.length
      ? fitFields(
          [
            // The count shortens first; then the scroll hint goes before the way out does.
            {
              forms: [
                `lines ${start + 1}–${start + shown.length} of ${all.length}`,
                `${start + 1}–${start + shown.length}/${all.length}`,
              ],
              priority: 3,
            },
            { forms: ['↑↓ PgUp PgDn g G scroll', '↑↓ g G scroll', '↑↓ scroll', '↑↓'], priority: 2 },
            { forms: ['other keys close', 'keys close'], priority: 1 },
            { forms: ['q quits'], priority: 4 },
          ],
          width - 1,
        )
      : 'Press any key to close (q quits).';
  return (
    <Box flexDirection="column" width={width}>
      <Text bold>creditmeter keys</Text>
      {shown.map((l, i) => (
        <Text key={start + i} wrap="truncate-end">
          <Text color={tone('cyan')}>{l.keys}</Text>
          {/* An empty Text takes no line. */}
          {l.keys === '' && l.text === '' ? ' ' : l.text}
        </Text>
      ))}
      <Text color={tone('gray')}>{footer}</Text>
    </Box>
  );
}
