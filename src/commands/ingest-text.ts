/**
 * Text of `creditmeter ingest`: what one catch-up read, and a one-line progress bar for stderr.
 */
import { countOf, formatInt } from '../domain/format.js';
import { escapeControls } from '../domain/escape-controls.js';
import type { IngestSummary } from '../ingest/summary.js';
import type { Coverage } from '../store/coverage.js';
import { wrapLine } from '../output/wrap.js';

/** A row of the summary: its label, its figure and what the figure means. */
interface Row {
  label: string;
  value: string;
  note?: string;
}

/** Where a row's figure starts (`  duplicates replaced       `); a note that does not fit beside it goes under it. */
const UNDER_VALUE = ' '.repeat(28);

/** A row's lines: one, or on a terminal too narrow for its note, the note on the lines under the figure. */
function rowLines(r: Row, room: number): string[] {
  const head = `  ${r.label.padEnd(26)}${r.value}`;
  const note = r.note === undefined ? '' : `   (${r.note})`;
  if (head.length + note.length <= room) return [head + note];
  return room > UNDER_VALUE.length + 10
    ? [head, ...wrapLine(`${UNDER_VALUE}(${r.note})`, room, UNDER_VALUE)]
    : wrapLine(head + note, room);
}

/**
 * The summary block printed after a catch-up, with the store's totals for context; fitted to
 * `columns` when it goes to a terminal of that width (a long sentence wraps between words).
 */
export function formatIngestSummary(s: IngestSummary, store: Coverage, columns?: number): string {
  const room = columns === undefined ? Infinity : columns - 1;
  const fit = (line: string): string[] => (columns === undefined ? [line] : wrapLine(line, room));
  const mb = (s.bytesRead / 1e6).toFixed(1);
  const secs = (s.durationMs / 1000).toFixed(2);
  const skipped = Object.entries(s.skipped).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const rows: Row[] = [
    { label: 'lines', value: formatInt(s.lines) },
    { label: 'requests added', value: formatInt(s.requestsAdded) },
    {
      label: 'duplicates replaced',
      value: formatInt(s.duplicatesReplaced),
      note: 'a later copy carried more output tokens',
    },
    { label: 'duplicates dropped', value: formatInt(s.duplicatesDropped) },
    // Such a line's request is keyed by its uuid (by its text when it has none): copies of one line count once.
    { label: 'lines without message id', value: formatInt(s.noIdLines), note: 'counted once per line uuid' },
    {
      label: 'skipped lines',
      value: formatInt(skipped.reduce((n, [, c]) => n + c, 0)),
      ...(skipped.length ? { note: skipped.map(([r, c]) => `${r} ${formatInt(c)}`).join(', ') } : {}),
    },
  ];
  const out = [
    ...fit(`Read ${formatInt(s.filesRead)} of ${countOf(s.files, 'file')} (${mb} MB new) in ${secs} s.`),
    ...rows.flatMap((r) => rowLines(r, room)),
    ...fit(
      `Store: ${countOf(store.requests, 'request')} from ${countOf(store.files, 'file')}` +
        (store.missingFiles > 0 ? ` (${formatInt(store.missingFiles)} no longer on disk, kept)` : '') +
        '.',
    ),
  ];
  if (s.unpriced.length > 0) {
    const list = s.unpriced.map((u) => `${escapeControls(u.model)} (${formatInt(u.requests)})`).join(', ');
    out.push(
      ...fit(`Unpriced models: ${list}.`),
      ...fit('Add them to a price file (--prices FILE), then run creditmeter reprice.'),
    );
  }
  for (const w of s.warnings) out.push(...fit(`Warning: ${escapeControls(w)}`));
  return `${out.join('\n')}\n`;
}

/** `[#####.....]  42%  120/300 files  512.0/1200.0 MB` sized to `width` columns. */
export function progressLine(
  p: { bytesDone: number; bytesTotal: number; filesDone: number; filesTotal: number },
  width: number,
): string {
  const ratio =
    p.bytesTotal > 0 ? Math.min(1, p.bytesDone / p.bytesTotal) : p.filesTotal > 0 ? p.filesDone / p.filesTotal : 1;
  const tail = `${String(Math.floor(ratio * 100)).padStart(3)}%  ${p.filesDone}/${p.filesTotal} files  ${(p.bytesDone / 1e6).toFixed(1)}/${(p.bytesTotal / 1e6).toFixed(1)} MB`;
  const barWidth = Math.max(10, Math.min(40, width - tail.length - 12));
  const filled = Math.round(ratio * barWidth);
  return `Reading [${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}] ${tail}`;
}
