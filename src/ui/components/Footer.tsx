import { Box, Text } from 'ink';
import type { JSX } from 'react';
import { fit } from '../bars.js';
import { footerText } from '../keymap.js';
import { useTone } from '../theme.js';

/** The notice line (export path and such) when there is one, then the main keys. */
export function Footer({ width, notice }: { width: number; notice: string | null }): JSX.Element {
  const tone = useTone();
  return (
    <Box flexDirection="column">
      {notice ? (
        <Text color={tone('green')} wrap="truncate-end">
          {fit(notice, width)}
        </Text>
      ) : null}
      <Text color={tone('gray')} wrap="truncate-end">
        {fit(footerText(width), width)}
      </Text>
    </Box>
  );
}
