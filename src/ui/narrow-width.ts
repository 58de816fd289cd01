/**
 * A fast path for the terminal width of plain text, put in front of every copy of the
 * `string-width` package the binary bundles (scripts/bundle.mjs). Ink measures every text node
 * on every frame; for a text with any non-ASCII character (the gauges' blocks, `·`, arrows) the
 * package splits it into grapheme clusters with Intl.Segmenter and tests each against Unicode
 * property regexes, about 30 µs a text, and compiling those regexes on first use costs a cold
 * start some 40 ms before the first frame.
 *
 * The text below is printable ASCII and characters each one column wide in every copy of the
 * package (a test checks each of them against each copy installed), none of which joins a
 * neighbour into one cluster: such a text is as wide as it is long, once its style sequences
 * are taken out. Anything else, and any option that could change a width, goes to the package.
 */
import { NARROW_TEXT } from '../domain/narrow-text.js';

type Width = (text: string, options?: { ambiguousIsNarrow?: boolean; countAnsiEscapeCodes?: boolean }) => number;

/** Whether every character of `text` is one the fast path counts as one column. */
export function isNarrowText(text: string): boolean {
  return NARROW_TEXT.test(text);
}

/**
 * A style sequence (SGR: bold, colours) exactly as the package's ANSI stripper removes it whole:
 * up to four digits, then parameters of up to four, then `m`.
 */
const STYLE = /\u001b\[(?:\d{1,4}(?:;\d{0,4})*)?m/g;

/** `text` without its style sequences. */
const withoutStyle = (text: string): string => (text.includes('\u001b') ? text.replace(STYLE, '') : text);

/** `real` with the fast path in front of it (same results, by the test in test/ui/narrow-width.test.ts). */
export function withNarrowFastPath(real: Width): Width {
  return (text, options) => {
    if (typeof text !== 'string' || options?.ambiguousIsNarrow === false || options?.countAnsiEscapeCodes === true)
      return real(text, options);
    // Ink measures styled text too: without its style sequences, what is left must be plain
    // (another escape, a control character or anything wide goes to the package).
    const plain = withoutStyle(text);
    return NARROW_TEXT.test(plain) ? plain.length : real(text, options);
  };
}

/** A grapheme cluster as `Intl.Segmenter`'s segments give it: the text of it and where it starts. */
export interface Grapheme {
  segment: string;
  index: number;
}

/**
 * `segment` (a text's grapheme clusters, from Intl.Segmenter) with the same fast path in front:
 * Ink's output splits every line of every frame into clusters (`@alcalzone/ansi-tokenize`), and
 * the first Intl.Segmenter of a process loads ICU's break-iterator data, 10-15 ms before the
 * first frame. A text that is narrow once its style sequences are taken out is one cluster per
 * UTF-16 unit: none of its characters joins a neighbour, and each part of a style sequence is a
 * cluster of its own (the escape is a control). Anything else goes to `segment`.
 */
export function withGraphemeFastPath(
  segment: (text: string) => Iterable<Grapheme>,
): (text: string) => Iterable<Grapheme> {
  return (text) => {
    if (!NARROW_TEXT.test(withoutStyle(text))) return segment(text);
    const out = new Array<Grapheme>(text.length);
    for (let index = 0; index < text.length; index++) out[index] = { segment: text[index]!, index };
    return out;
  };
}
