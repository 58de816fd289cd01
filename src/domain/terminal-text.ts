/**
 * Text as a terminal shows it. Names come from transcripts and from telemetry other machines send
 * (project paths, branches, models, workflow and user names): a control character in one could
 * move the cursor, clear the screen or retitle the window, and a wide character (CJK takes two
 * columns, a combining accent none) would push every column after it out of line. Every table,
 * list and line that shows such a name measures and cuts it here.
 */
import stringWidth from 'string-width';
import { NARROW_TEXT } from './narrow-text.js';

export { escapeControls } from './escape-controls.js';

/** Text as wide as it is long (narrow-text.ts). */
const PLAIN = NARROW_TEXT;

/** Columns `text` takes on a terminal (control characters take none: escape them first). */
export function textWidth(text: string): number {
  return PLAIN.test(text) ? text.length : wideWidth(text);
}

/** A skin tone joined to the emoji before it (👍🏽), by the Unicode properties of both. */
const TONED = /\p{Emoji_Modifier_Base}\p{Emoji_Modifier}/gu;
const TONE = /[\u{1F3FB}-\u{1F3FF}]/u;

/**
 * `string-width`'s count, and two more columns for each skin tone joined to its emoji: terminals
 * that do not join them (tmux 3.3) draw 👍🏽 as 👍 and 🏽 side by side, four columns, where the
 * package counts two. Counted wide, a terminal that joins them draws such a name two columns
 * short: the rest of its row (a right-aligned cost) sits two columns left of the rows above and
 * below. Counted narrow, it would push its line past the edge and scroll the screen.
 */
function wideWidth(text: string): number {
  const w = stringWidth(text);
  return TONE.test(text) ? w + 2 * (text.match(TONED)?.length ?? 0) : w;
}

let segmenter: Intl.Segmenter | undefined;

/** What a terminal draws as one character each: grapheme clusters (a letter with its accents). */
export function clusters(text: string): string[] {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/** The longest start of `text` at most `width` columns wide, never splitting a character. */
export function headToWidth(text: string, width: number): string {
  const room = Math.max(0, Math.floor(width));
  if (PLAIN.test(text)) return text.slice(0, room);
  let used = 0;
  let out = '';
  for (const c of clusters(text)) {
    const w = wideWidth(c);
    if (used + w > room) break;
    used += w;
    out += c;
  }
  return out;
}

/** The longest end of `text` at most `width` columns wide, never splitting a character. */
export function tailToWidth(text: string, width: number): string {
  const room = Math.max(0, Math.floor(width));
  if (PLAIN.test(text)) return room === 0 ? '' : text.slice(-room);
  const all = clusters(text);
  let used = 0;
  let from = all.length;
  while (from > 0) {
    const w = wideWidth(all[from - 1]!);
    if (used + w > room) break;
    used += w;
    from--;
  }
  return all.slice(from).join('');
}

/** `text` padded with spaces to `width` columns (at the start when `right`); never cut. */
export function padToWidth(text: string, width: number, right = false): string {
  const pad = ' '.repeat(Math.max(0, Math.floor(width) - textWidth(text)));
  return right ? pad + text : text + pad;
}
