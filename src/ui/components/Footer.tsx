import { Box, Text } from 'ink';
import type { JSX } from 'react';
import { fit } from '../bars.js';
import { footerText } from '../keymap.js';
import { homeShort, wrapLines } from '../text.js';
import { useTone } from '../theme.js';

/** A notice (export path and such) longer than this many lines is cut. */
const MAX_NOTICE_LINES = 3;

/**
 * The notice as drawn: the home folder as `~`, wrapped (never cut) up to three lines. A notice
 * too long for them loses its asides in parentheses, then its last clauses (after `; `), before a
 * word is cut: the refusal line's hint goes before its counts. An aside follows a space: a plural's
 * `(s)` or `(es)` stays with its word.
 */
export function noticeTextLines(notice: string | null, width: number): string[] {
  if (!notice) return [];
  let text = notice.replace(/(^|\s)(\/\S+)/g, (_m, pre: string, path: string) => pre + homeShort(path));
  let lines = wrapLines(text, width);
  const shorter = (): string | null => {
    const plain = text.replace(/\s+\([^()]*\)/g, '');
    if (plain !== text) return plain;
    const clause = text.lastIndexOf('; ');
    return clause > 0 ? text.slice(0, clause) : null;
  };
  for (let next = shorter(); lines.length > MAX_NOTICE_LINES && next !== null; next = shorter()) {
    text = next;
    lines = wrapLines(text, width);
  }
  if (lines.length <= MAX_NOTICE_LINES) return lines;
  return [...lines.slice(0, MAX_NOTICE_LINES - 1), fit(lines.slice(MAX_NOTICE_LINES - 1).join(' '), width)];
}

/** Lines the footer draws above the keys: the busy notice, then the notice. */
export function footerNoticeLines(notice: string | null, busy: string | null, width: number): number {
  return (busy ? 1 : 0) + noticeTextLines(notice, width).length;
}

export interface FooterProps {
  width: number;
  notice: string | null;
  /** The busy-database notice, while it lasts. */
  busy?: string | null;
  /** Below the top list: the way back is the key the footer keeps longest. */
  drilled?: boolean;
}

/** The busy notice and the notice line(s) (export path and such) when there are, then the main keys. */
export function Footer({ width, notice, busy = null, drilled = false }: FooterProps): JSX.Element {
  const tone = useTone();
  return (
    <Box flexDirection="column">
      {busy ? (
        <Text color={tone('yellow')} wrap="truncate-end">
          {fit(busy, width)}
        </Text>
      ) : null}
      {noticeTextLines(notice, width).map((line, i) => (
        <Text key={i} color={tone('green')} wrap="truncate-end">
          {line}
        </Text>
      ))}
      <Text color={tone('gray')} wrap="truncate-end">
        {fit(footerText(width, drilled), width)}
      </Text>
    </Box>
  );
}
