/** `ingest`'s summary on a terminal: every line fits, notes go under the value column, nothing is lost. */
import { describe, expect, it } from 'vitest';
import { formatIngestSummary } from '../../src/commands/ingest-text.js';
import { emptySummary } from '../../src/ingest/summary.js';
import type { Coverage } from '../../src/store/coverage.js';

const summary = {
  ...emptySummary(),
  files: 745,
  filesRead: 744,
  bytesRead: 27.3e6,
  lines: 25_875,
  requestsAdded: 4_763,
  duplicatesReplaced: 373,
  duplicatesDropped: 5_091,
  noIdLines: 3,
  skipped: { 'malformed-json': 2, 'bad-usage': 1, 'line-too-long': 1 },
  unpriced: [
    { model: 'claude-nimbus-6-preview', requests: 129 },
    { model: 'claude-fable-5-1-experimental', requests: 33 },
  ],
  warnings: ['1 transcript could not be read (permission denied): run with --verbose to list it.'],
  durationMs: 880,
};
const store = { requests: 4_763, files: 744, missingFiles: 2 } as Coverage;
const words = (text: string): string[] => text.split(/\s+/).filter((w) => w !== '');

describe('the ingest summary', () => {
  it('is one line per row when piped, as before', () => {
    const text = formatIngestSummary(summary, store);
    expect(text).toContain('  duplicates replaced       373   (a later copy carried more output tokens)\n');
    expect(text).toContain('Unpriced models: claude-nimbus-6-preview (129), claude-fable-5-1-experimental (33).\n');
  });

  it.each([200, 80, 60, 44])('fits %i columns with every word kept, notes under the value column', (columns) => {
    const text = formatIngestSummary(summary, store, columns);
    const lines = text.trimEnd().split('\n');
    for (const line of lines) expect(line.length, line).toBeLessThan(columns);
    expect(words(text)).toEqual(words(formatIngestSummary(summary, store)));
    if (columns <= 60) {
      const at = lines.findIndex((l) => l.startsWith('  duplicates replaced'));
      expect(lines[at]).toBe('  duplicates replaced       373');
      expect(lines[at + 1]).toMatch(/^ {28}\(a later copy/);
    }
  });
});
