/**
 * Text of `creditmeter ingest`: what one catch-up read, and a one-line progress bar for stderr.
 */
import { formatInt } from '../domain/format.js';
import type { IngestSummary } from '../ingest/summary.js';
import type { Coverage } from '../store/coverage.js';

/** Where a row's value starts (`  duplicates replaced       `): a note that does not fit goes under it. */
const VALUE_COLUMN = 28;

/** `text`'s words in lines: the first of at most `first` columns, the others of `rest`. */
function wrapWords(text: string, first: number, rest: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > (out.length === 0 ? first : rest)) {
      out.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  out.push(line);
  return out;
}

/**
 * The summary's lines fitted to a terminal of `columns`: a row's note that does not fit beside its
 * value goes on the lines under the value, and a long sentence wraps between words.
 */
function fitLines(lines: string[], columns: number): string[] {
  const room = columns - 1;
  return lines.flatMap((line) => {
    if (line.length <= room) return [line];
    const at = line.indexOf('   (');
    if (line.startsWith('  ') && at > 0 && room > VALUE_COLUMN + 10) {
      const under = ' '.repeat(VALUE_COLUMN);
      const note = wrapWords(line.slice(at + 3), room - VALUE_COLUMN, room - VALUE_COLUMN);
      return [line.slice(0, at), ...note.map((l) => under + l)];
    }
    const [head, ...more] = wrapWords(line, room, room - 2);
    return [head!, ...more.map((l) => `  ${l}`)];
  });
}

/**
 * The summary block printed after a catch-up, with the store's totals for context; fitted to
 * `columns` when it goes to a terminal of that width.
 */
export function formatIngestSummary(s: IngestSummary, store: Coverage, columns?: number): string {
  const mb = (s.bytesRead / 1e6).toFixed(1);
  const secs = (s.durationMs / 1000).toFixed(2);
  const out: string[] = [
    `Read ${formatInt(s.filesRead)} of ${formatInt(s.files)} files (${mb} MB new) in ${secs} s.`,
    `  lines                     ${formatInt(s.lines)}`,
    `  requests added            ${formatInt(s.requestsAdded)}`,
    `  duplicates replaced       ${formatInt(s.duplicatesReplaced)}   (a later copy carried more output tokens)`,
    `  duplicates dropped        ${formatInt(s.duplicatesDropped)}`,
    // Such a line's request is keyed by its uuid (by its text when it has none): copies of one line count once.
    `  lines without message id  ${formatInt(s.noIdLines)}   (counted once per line uuid)`,
  ];
  const skipped = Object.entries(s.skipped).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const skippedTotal = skipped.reduce((n, [, c]) => n + c, 0);
  out.push(
    `  skipped lines             ${formatInt(skippedTotal)}${skipped.length ? `   (${skipped.map(([r, c]) => `${r} ${formatInt(c)}`).join(', ')})` : ''}`,
  );
  out.push(
    `Store: ${formatInt(store.requests)} requests from ${formatInt(store.files)} files` +
      (store.missingFiles > 0 ? ` (${formatInt(store.missingFiles)} no longer on disk, kept)` : '') +
      '.',
  );
  if (s.unpriced.length > 0) {
    const list = s.unpriced.map((u) => `${u.model} (${formatInt(u.requests)})`).join(', ');
    out.push(`Unpriced models: ${list}.`, 'Add them to a price file (--prices FILE), then run creditmeter reprice.');
  }
  for (const w of s.warnings) out.push(`Warning: ${w}`);
  return `${(columns === undefined ? out : fitLines(out, columns)).join('\n')}\n`;
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
