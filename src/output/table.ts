/** Plain-text tables with aligned columns, for command output (no colour, no terminal needed). */

export interface Column {
  header: string;
  /** Numbers read best right-aligned. */
  align?: 'left' | 'right';
}

/**
 * Renders `rows` under `columns`, each column as wide as its widest cell, separated by two spaces,
 * with a rule under the header. `footer` rows (totals) come after a second rule.
 */
export function renderTable(columns: Column[], rows: string[][], footer: string[][] = []): string {
  const widths = columns.map((c, i) => Math.max(c.header.length, ...[...rows, ...footer].map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    columns
      .map((c, i) => {
        const cell = cells[i] ?? '';
        const w = widths[i] ?? 0;
        return c.align === 'right' ? cell.padStart(w) : cell.padEnd(w);
      })
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const out = [line(columns.map((c) => c.header)), rule, ...rows.map(line)];
  if (footer.length > 0) out.push(rule, ...footer.map(line));
  return `${out.join('\n')}\n`;
}

/** One RFC 4180 field: quoted when it holds a comma, a quote or a line break; quotes doubled. */
export function csvField(value: string | number): string {
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** RFC 4180 CSV: a header record then one record per row, CRLF line ends. */
export function renderCsv(header: string[], rows: Array<Array<string | number>>): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
