/**
 * Control characters in names from the logs and from telemetry, made visible: apart from
 * terminal-text.ts, so the short paths that print a line (`ingest` with nothing new) escape names
 * without loading the terminal-width code.
 */

/**
 * C0 and C1 control characters, DEL, line and paragraph separators, bidirectional overrides and
 * isolates, and invisible characters with no use in a name (zero-width space, word joiner and
 * invisible operators, BOM): any of them in a project path or model name would break a line,
 * reorder its text, or take a column on one terminal and none on another. The joiners and marks
 * that right-to-left and Persian text (U+200C-U+200F, U+061C) and emoji sequences (U+200D) need stay.
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
const HAS_CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;

/**
 * `text` with each control character made a visible escape (`\n`, `\t`, `\r`, else `\u{hex}`):
 * it stays on its line and says what it held. Characters in `keep` stay as they are (a CSV cell
 * holds its tabs and line breaks, quoted).
 */
export function escapeControls(text: string, keep?: ReadonlySet<string>): string {
  if (!HAS_CONTROL.test(text)) return text;
  return text.replace(CONTROL, (c) => {
    if (keep?.has(c)) return c;
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\u{${c.codePointAt(0)!.toString(16)}}`;
  });
}
