/** Text drawings shared by the gauges: proportional bars and sparklines (pure string builders). */
import { escapeControls, headToWidth, padToWidth, tailToWidth, textWidth } from '../domain/terminal-text.js';

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
const SPARKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** A bar `width` cells wide, filled to `fraction` (0-1) with eighth-cell precision, padded with `empty`. */
export function bar(fraction: number, width: number, empty = ' '): string {
  const w = Math.max(0, Math.floor(width));
  const f = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0));
  const eighths = Math.round(f * w * 8);
  const full = Math.floor(eighths / 8);
  const part = EIGHTHS[eighths % 8] ?? '';
  const body = '█'.repeat(full) + part;
  return body + empty.repeat(Math.max(0, w - full - (part ? 1 : 0)));
}

/** One character per value, scaled to the largest; zero shows as a dot so empty days read as empty. */
export function sparkline(values: readonly number[]): string {
  const max = values.reduce((m, v) => Math.max(m, v), 0);
  return values
    .map((v) => {
      if (!(v > 0) || max <= 0) return '·';
      const i = Math.min(SPARKS.length - 1, Math.floor((v / max) * (SPARKS.length - 1) + 0.5));
      return SPARKS[Math.max(0, i)] ?? '▁';
    })
    .join('');
}

/** The cell (0..width-1) where `value` falls on a scale from 0 to `max`. */
export function cellOf(value: number, max: number, width: number): number {
  if (max <= 0 || width <= 0) return 0;
  return Math.max(0, Math.min(width - 1, Math.round((value / max) * width) - (value >= max ? 1 : 0)));
}

/**
 * `text` in at most `width` columns, ending with `…` when cut. Control characters come out as
 * visible escapes and widths are terminal columns (domain/terminal-text.ts), as in every helper here.
 */
export function fit(text: string, width: number): string {
  if (width <= 0) return '';
  const t = escapeControls(text);
  return textWidth(t) <= width ? t : `${headToWidth(t, width - 1)}…`;
}

/** Pads (or cuts) to exactly `width` columns; `right` aligns to the right. */
export function cell(text: string, width: number, right = false): string {
  return padToWidth(fit(text, width), width, right);
}

/** The last `width` columns of a path, keeping its tail (the project folder) readable. */
export function tailPath(path: string, width: number): string {
  const t = escapeControls(path);
  if (textWidth(t) <= width) return t;
  const tail = tailToWidth(t, Math.max(0, width - 1));
  // From the start of a folder's name (`…/work/api`, not `…rk/api`) while that keeps at least half
  // the room; a last name longer than that is cut where it must be.
  // A path's own separator: `/`, else (a Windows path) `\`, never the `\` of an escape.
  const at = tail.indexOf(path.includes('/') ? '/' : '\\');
  if (at > 0 && textWidth(tail.slice(at)) >= (width - 1) / 2) return `…${tail.slice(at)}`;
  return `…${tail}`;
}

/** One field of a line laid out by priority: its forms, longest first (a shorter one may replace it). */
export interface LineField {
  forms: string[];
  /** Lower numbers are kept first when the line is too narrow. */
  priority: number;
  /**
   * Shortened to its last form, and dropped only when the line does not fit without cutting its
   * first field otherwise (a kept filter: the list means little without it).
   */
  keep?: boolean;
}

/**
 * A kept text filter's forms on a line: `filter "text" (1 of 3)`, then with its text shorter and
 * shorter (its start, ending in `…`), the counts last to go. An emptied list must say why: its
 * callers keep it (see LineField).
 */
export function filterForms(text: string, shown: number, total: number): string[] {
  const counts = ` (${shown} of ${total})`;
  const forms = [`filter "${text}"${counts}`];
  for (const room of [32, 16, 8, 4])
    if (textWidth(text) > room) forms.push(`filter "${headToWidth(text, room - 1)}…"${counts}`);
  forms.push(`filter "${textWidth(text) > 4 ? `${headToWidth(text, 3)}…` : text}"`);
  return forms;
}

/**
 * Joins fields in their order, fitted to `width` without cutting any: fields are shortened (next
 * form) or dropped whole, least important first, until the line fits. The first field is never
 * dropped; only it may end cut, when even its shortest form is too wide.
 */
export function fitFields(fields: readonly LineField[], width: number, sep = ' · '): string {
  return fit(joined(fields, fittedForms(fields, width, sep), sep), width);
}

/** The chosen form of each field (null: dropped), joined. */
function joined(fields: readonly LineField[], chosen: ReadonlyArray<number | null>, sep: string): string {
  return fields
    .map((f, i) => (chosen[i] === null ? null : escapeControls(f.forms[chosen[i]!]!)))
    .filter((t): t is string => t !== null && t !== '')
    .join(sep);
}

/** The form fitFields takes of each field (an index into its forms), null for a field it drops. */
export function fittedForms(fields: readonly LineField[], width: number, sep = ' · '): Array<number | null> {
  const chosen: Array<number | null> = fields.map(() => 0);
  const render = (): string => joined(fields, chosen, sep);
  const order = fields.map((f, i) => ({ i, p: f.priority })).sort((a, b) => b.p - a.p || b.i - a.i);
  for (const { i } of order) {
    if (textWidth(render()) <= width) return chosen;
    // Shorter forms of this field first, then drop it (the first field is only shortened).
    while (chosen[i]! < fields[i]!.forms.length - 1 && textWidth(render()) > width) chosen[i]! += 1;
    if (textWidth(render()) > width && i !== 0 && fields[i]!.keep !== true) chosen[i] = null;
  }
  // The last resort before the first field is cut: kept fields go too, least important first.
  for (const { i } of order) {
    if (textWidth(render()) <= width) break;
    if (i !== 0) chosen[i] = null;
  }
  return chosen;
}

/**
 * A sentence fitted to `width` without cutting a word: asides in parentheses go first, then
 * clauses from the end (after ' · ', '; ' or ': '); only a first clause still too wide is cut.
 */
export function fitSentence(text: string, width: number): string {
  const whole = escapeControls(text);
  if (textWidth(whole) <= width) return whole;
  const plain = whole.replace(/\s*\([^)]*\)/g, '');
  if (textWidth(plain) <= width) return plain;
  let best = -1;
  for (const sep of [' · ', '; ', ': ']) {
    for (let i = plain.indexOf(sep); i > 0; i = plain.indexOf(sep, i + 1))
      if (textWidth(plain.slice(0, i)) <= width && i > best) best = i;
  }
  return best > 0 ? plain.slice(0, best) : fit(plain, width);
}
