import { Text } from 'ink';
import type { JSX } from 'react';
import { fitFields } from '../bars.js';
import { formatInt } from '../../domain/format.js';
import { useTone } from '../theme.js';

export interface MoreRowsProps {
  /** Index of the first row shown, and how many are shown, of `total`. */
  start: number;
  shown: number;
  total: number;
  width: number;
}

/**
 * The last line of a list longer than its room: how many rows are below the window (or that it is
 * the end), which rows are shown, and how to reach the rest. Rows are never hidden silently.
 */
export function MoreRows({ start, shown, total, width }: MoreRowsProps): JSX.Element {
  const tone = useTone();
  const below = total - start - shown;
  return (
    <Text color={tone('gray')} wrap="truncate-end">
      {fitFields(
        [
          { forms: [below > 0 ? `  +${formatInt(below)} more` : '  end of list'], priority: 0 },
          {
            forms: [
              `(${formatInt(start + 1)}–${formatInt(start + shown)} of ${formatInt(total)}; ↑↓ scroll, / filters)`,
              `(${formatInt(start + 1)}–${formatInt(start + shown)}/${formatInt(total)})`,
            ],
            priority: 1,
          },
        ],
        width,
        ' ',
      )}
    </Text>
  );
}

/** How a list of `total` rows fits `height` lines: the rows' room, and whether MoreRows closes it. */
export function rowRoom(total: number, height: number): { visible: number; overflow: boolean } {
  const overflow = total > height && height >= 2;
  return { visible: overflow ? height - 1 : height, overflow };
}
