import { Box, Text } from 'ink';
import type { JSX } from 'react';
import { KEYMAP } from '../keymap.js';
import { cell, fit } from '../bars.js';
import { useTone } from '../theme.js';

/** The help lines, generated from the keymap. */
export function helpLines(): Array<{ keys: string; help: string }> {
  // The `/` line names the prompt's own keys (PROMPT_KEYMAP): Enter keeps, Esc clears.
  return KEYMAP.map((b) => ({ keys: b.label, help: b.help }));
}

/** The key reference; `q` still quits, any other key closes it. */
export function Help({ width }: { width: number }): JSX.Element {
  const tone = useTone();
  return (
    <Box flexDirection="column" width={width}>
      <Text bold>creditmeter keys</Text>
      {helpLines().map((l) => (
        <Text key={l.keys} wrap="truncate-end">
          <Text color={tone('cyan')}>{cell(l.keys, 18)}</Text>
          {fit(l.help, Math.max(0, width - 18))}
        </Text>
      ))}
      <Text> </Text>
      <Text wrap="truncate-end">
        {fit('Programmatic spend (Agent SDK, claude -p) counts against the credit;', width)}
      </Text>
      <Text wrap="truncate-end">
        {fit('interactive and unknown spend: API-equivalent value, not charged to the credit.', width)}
      </Text>
      <Text color={tone('gray')}>Press any key to close.</Text>
    </Box>
  );
}
