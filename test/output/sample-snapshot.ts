/**
 * A hand-built snapshot for writer edge cases the fixture store does not reach: hostile strings in
 * every text field, a credit already exhausted, an empty view.
 */
import type { AggregateRow } from '../../src/domain/types.js';
import type { Snapshot } from '../../src/output/export-types.js';

/** Markup, a link, Markdown's table and emphasis marks, a terminal colour code. */
export const EVIL = `<script>alert("x")</script>|*_[link](https://evil.example/x.png)\`&'\u001b[31mred\u001b[0m`;

function row(key: string, cost: number, requests: number): AggregateRow {
  return {
    key,
    requests,
    inputTokens: 10 * requests,
    outputTokens: 100 * requests,
    cacheReadTokens: 1000 * requests,
    cacheWrite5mTokens: 50 * requests,
    cacheWrite1hTokens: 0,
    webSearchRequests: 0,
    cost,
    unpricedRequests: 0,
  };
}

/** A snapshot of an exhausted credit whose every string field carries `EVIL`. */
export function sampleSnapshot(): Snapshot {
  const days = Array.from({ length: 30 }, (_, i) => `2026-09-${String(i + 1).padStart(2, '0')}`);
  const daily = days.map((day, i) => ({
    day,
    programmatic: i < 20 ? 6 + (i % 7) : 0,
    interactive: i < 20 ? 2 : 0,
    unknown: i === 3 ? 1 : 0,
  }));
  const models = [row(`claude-opus-4-7 ${EVIL}`, 80, 120), row('claude-sonnet-4-5-20250929', 40, 300)];
  return {
    provenance: {
      creditmeterVersion: '9.9.9',
      generatedAt: '2026-09-21T10:00:00.000Z',
      timezone: 'Europe/Berlin',
      roots: [`/home/u/.claude ${EVIL}`],
      priceTable: { version: `bundled-2026-08 ${EVIL}`, hash: 'abc123' },
      coverage: {
        files: 12,
        missingFiles: 2,
        lines: 3400,
        requests: 420,
        duplicatesReplaced: 30,
        duplicatesDropped: 90,
        noIdLines: 1,
        skippedLines: { 'malformed-json': 2, [EVIL]: 1 },
        unpriced: [{ model: EVIL, requests: 3, tokens: 4500 }],
        oldestRequest: '2026-08-20T00:00:00.000Z',
        newestRequest: '2026-09-21T09:00:00.000Z',
        oldestTranscriptOnDisk: '2026-08-20T00:00:00.000Z',
        warnings: [`warning ${EVIL}`],
      },
      telemetry: {
        counts: { received: 40, ignored: 120, 'rejected:bad-usage': 1 },
        telemetryOnlyRequests: 12,
        ownCost: { requests: 40, creditmeterCost: 3.2, claudeCodeCost: 3.1, difference: 0.1 },
      },
    },
    view: {
      classFilter: 'all',
      grouping: 'model',
      drill: { project: EVIL },
      textFilter: EVIL,
      from: '2026-08-31T22:00:00.000Z',
      to: '2026-09-21T10:00:00.000Z',
    },
    status: {
      now: '2026-09-21T12:00:00.000+02:00',
      cycle: {
        start: '2026-09-01T00:00:00.000+02:00',
        end: '2026-10-01T00:00:00.000+02:00',
        timezone: 'Europe/Berlin',
        plan: 'max5x',
        seats: 1,
        credit: 100,
        elapsedFraction: 0.683,
      },
      programmatic: { cost: 120, requests: 420 },
      interactive: { cost: 40, requests: 80 },
      unknown: { cost: 1, requests: 2 },
      credit: {
        used: 120,
        remaining: 0,
        usedFraction: 1.2,
        usageCredits: true,
        overage: 20,
        exhaustedAt: '2026-09-16T08:00:00.000+02:00',
      },
      burnRate: { lastHourPerHour: 0.5, last24hPerHour: 0.3, last7dPerDay: 7, cyclePerDay: 6 },
      forecast: {
        cycleEndSpend: { p10: 150, p50: 170, p90: 200 },
        exhaustionAt: {
          p10: '2026-09-16T08:00:00.000+02:00',
          p50: '2026-09-16T08:00:00.000+02:00',
          p90: '2026-09-16T08:00:00.000+02:00',
        },
        projectedOverage: { p10: 50, p50: 70, p90: 100 },
      },
      byModel: [{ model: EVIL, cost: 80, requests: 120, class: 'programmatic' }],
      unpriced: [{ model: EVIL, requests: 3 }],
      pricing: { version: EVIL },
    },
    totals: row('total', 120, 420),
    groups: {
      model: models,
      day: days.slice(0, 20).map((d, i) => row(d, 6 + (i % 7), 20)),
      project: [row(EVIL, 120, 420)],
      entrypoint: [row('sdk-cli', 120, 420)],
      session: [row(EVIL, 120, 420)],
    },
    creditDaily: days.map((day, i) => ({ day, cost: i < 21 ? 120 / 21 : 0 })),
    daily,
    requests: [],
  };
}
