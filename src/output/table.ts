/**
 * Plain-text tables with aligned columns, for command output (no colour, no terminal needed), and
 * the one CSV cell encoder every CSV output uses.
 */

import { escapeControls, headToWidth, padToWidth, tailToWidth, textWidth } from '../domain/terminal-text.js';

export interface Column {
  header: string;
  /** Numbers read best right-aligned. */
  align?: 'left' | 'right';
}

/**
 * Text safe for one terminal table cell: each control character becomes a visible escape
 * (`\n`, `\t`, `\r`, else `\u{hex}`), so the cell stays on its line and says what it held.
 */
export const sanitizeCell = escapeControls;

/**
 * Renders `rows` under `columns`, each column as wide as its widest cell, separated by two spaces,
 * with a rule under the header. `footer` rows (totals) come after a second rule. Control
 * characters in cells are escaped (sanitizeCell), so every row is one line.
 */
export function renderTable(columns: Column[], rows: string[][], footer: string[][] = []): string {
  const clean = (r: string[]): string[] => r.map((c) => sanitizeCell(c));
  const body = rows.map(clean);
  const foot = footer.map(clean);
  const heads = columns.map((c) => sanitizeCell(c.header));
  // Widths in terminal columns: a CJK name takes two a character, a combining accent none.
  const widths = heads.map((h, i) => Math.max(textWidth(h), ...[...body, ...foot].map((r) => textWidth(r[i] ?? ''))));
  const line = (cells: string[]): string =>
    columns
      .map((c, i) => padToWidth(cells[i] ?? '', widths[i] ?? 0, c.align === 'right'))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const out = [line(heads), rule, ...body.map(line)];
  if (foot.length > 0) out.push(rule, ...foot.map(line));
  return `${out.join('\n')}\n`;
}

/**
 * The table in `width` columns: whole when it fits; else without the `droppable` columns, in that
 * order, while it is wider; then with the first column's text cut. `left`: the columns left out;
 * `fits`: whether it is within `width` in the end (a first column is never cut below 8 characters).
 */
export function fitTable(
  columns: Column[],
  rows: string[][],
  footer: string[][],
  width: number,
  droppable: readonly string[],
): { table: string; left: string[]; fits: boolean } {
  const render = (keep: number[]): string =>
    renderTable(
      keep.map((i) => columns[i]!),
      rows.map((r) => keep.map((i) => r[i] ?? '')),
      footer.map((r) => keep.map((i) => r[i] ?? '')),
    );
  const widest = (table: string): number => Math.max(...table.split('\n').map(textWidth));
  let keep = columns.map((_, i) => i);
  let table = render(keep);
  const left: string[] = [];
  for (const header of droppable) {
    if (widest(table) <= width) break;
    const at = columns.findIndex((c) => c.header === header);
    if (at < 0) continue;
    keep = keep.filter((i) => i !== at);
    left.push(header);
    table = render(keep);
  }
  const over = widest(table) - width;
  if (over > 0) {
    // The first column's text, cut to what is left (never under 8 characters: a session's short id).
    // What every row's text opens with (`claude-`) goes first, marked by an ellipsis; then its end.
    // When that makes two rows read the same (`…sonnet…` for two versions), each keeps its start and
    // its end instead (`son…-4-6`), where names differ.
    const names = rows.map((r) => sanitizeCell(r[0] ?? ''));
    const room = Math.max(8, Math.max(...names.map(textWidth)) - over);
    let shared = names.length > 1 ? names[0]!.length : 0;
    for (const n of names) while (shared > 0 && !n.startsWith(names[0]!.slice(0, shared))) shared--;
    // Not within a pair of UTF-16 units (an emoji or a rarer CJK character).
    if (shared > 0 && /[\ud800-\udbff]/.test(names[0]![shared - 1]!)) shared--;
    const prefix = shared >= 3 ? names[0]!.slice(0, shared) : null;
    const endCut = (text: string): string => {
      let name = sanitizeCell(text);
      if (textWidth(name) > room && prefix !== null && name.startsWith(prefix)) name = `…${name.slice(shared)}`;
      return textWidth(name) > room ? `${headToWidth(name, room - 1)}…` : name;
    };
    const middleCut = (text: string): string => {
      let name = sanitizeCell(text);
      if (textWidth(name) > room && prefix !== null && name.startsWith(prefix)) name = name.slice(shared);
      if (textWidth(name) <= room) return name;
      const head = headToWidth(name, Math.floor((room - 1) / 2));
      return `${head}…${tailToWidth(name, room - 1 - textWidth(head))}`;
    };
    const distinct = (labels: string[]): boolean => new Set(labels).size === new Set(rows.map((r) => r[0])).size;
    const label = distinct(rows.map((r) => endCut(r[0] ?? ''))) ? endCut : middleCut;
    const cut = (r: string[]): string[] => [label(r[0] ?? ''), ...r.slice(1)];
    table = renderTable(
      keep.map((i) => columns[i]!),
      rows.map((r) => cut(keep.map((i) => r[i] ?? ''))),
      footer.map((r) => cut(keep.map((i) => r[i] ?? ''))),
    );
  }
  return { table, left, fits: widest(table) <= width };
}

/** A CSV cell's value: text, a number, a flag, or null for an empty cell. */
export type CsvValue = string | number | boolean | null;

/** What a CSV cell keeps of the control characters (quoted): the rest read as the reports show them. */
const CSV_KEEPS = new Set(['\t', '\r', '\n']);

/**
 * One RFC 4180 field: quoted when it holds a comma, a quote or a line break; quotes doubled; null
 * is empty. Text that a spreadsheet would run as a formula (leading `=`, `+`, `-`, `@`, tab or CR)
 * gets a leading apostrophe, so a crafted project path or branch name stays inert text. Numbers and
 * flags are written as they are (a negative number stays a number).
 */
export function csvCell(value: CsvValue): string {
  if (value === null) return '';
  let s = typeof value === 'string' ? escapeControls(value, CSV_KEEPS) : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** One CSV record (cells already encoded with csvCell) with its CRLF line end. */
export function csvRecord(cells: readonly string[]): string {
  return `${cells.join(',')}\r\n`;
}

/** RFC 4180 CSV: a header record then one record per row, CRLF line ends, every cell through csvCell. */
export function renderCsv(header: readonly string[], rows: ReadonlyArray<readonly CsvValue[]>): string {
  return [header, ...rows].map((r) => csvRecord(r.map(csvCell))).join('');
}
