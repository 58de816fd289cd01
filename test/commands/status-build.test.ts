import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { openDatabase, type Db } from '../../src/store/database.js';
import { buildStatus } from '../../src/services/status.js';
import { seatAwareThreshold, thresholdReason } from '../../src/commands/status.js';
import { formatStatusText } from '../../src/output/status-text.js';
import type { PlanSettings } from '../../src/domain/status-types.js';
import type { RequestClass } from '../../src/domain/types.js';
import { gaugeText } from '../../src/ui/components/CreditGauge.js';
import { apartText } from '../../src/ui/components/ModelBars.js';
import { burnText } from '../../src/ui/components/Burn.js';
import { forecastText } from '../../src/ui/components/ForecastBand.js';

let db: Db;
let n = 0;
function add(iso: string, cost: number | null, cls: RequestClass = 'programmatic', model = 'claude-sonnet-4-5'): void {
  db.prepare(
    `INSERT INTO requests (key, class, model, ts, input_tokens, output_tokens, cache_read_tokens, cache_write_5m_tokens,
      cache_write_1h_tokens, web_search_requests, web_fetch_requests, cost, source) VALUES (?, ?, ?, ?, 1, 1, 0, 0, 0, 0, 0, ?, 'line')`,
  ).run(`k${n++}`, cls, model, DateTime.fromISO(iso, { zone: 'UTC' }).toMillis(), cost);
}
const plan = (over: Partial<PlanSettings> = {}): PlanSettings => ({
  plan: 'pro',
  seats: 1,
  credit: 20,
  cycleStartDay: 1,
  tz: 'UTC',
  usageCredits: false,
  overageCap: null,
  countUnknown: false,
  assumed: false,
  ...over,
});
const ms = (iso: string): number => DateTime.fromISO(iso, { zone: 'UTC' }).toMillis();

beforeEach(() => {
  db = openDatabase(':memory:');
});
afterEach(() => db.close());

describe('buildStatus', () => {
  beforeEach(() => {
    add('2026-08-31T23:00', 50); // previous cycle
    add('2026-09-02T10:00', 8, 'programmatic', 'claude-opus-4-6');
    add('2026-09-03T10:00', 9);
    add('2026-09-04T10:00', 6, 'unknown');
    add('2026-09-05T10:00', 30, 'interactive', 'claude-opus-4-6');
    add('2026-09-06T10:00', null, 'programmatic', 'mystery-1');
    add('2026-09-09T10:00', 5); // after --now
  });

  it('counts programmatic spend up to now against the credit and keeps the other classes apart', () => {
    const s = buildStatus(db, plan(), 'v1', ms('2026-09-08T00:00'));
    expect(s.cycle).toMatchObject({ start: '2026-09-01T00:00:00.000Z', end: '2026-10-01T00:00:00.000Z', credit: 20 });
    expect(s.programmatic).toEqual({ cost: 17, requests: 3 });
    expect(s.unknown).toEqual({ cost: 6, requests: 1 });
    expect(s.interactive).toEqual({ cost: 30, requests: 1 });
    expect(s.credit).toEqual({
      used: 17,
      remaining: 3,
      usedFraction: 0.85,
      usageCredits: false,
      overage: 0,
      exhaustedAt: null,
    });
    expect(s.unpriced).toEqual([{ model: 'mystery-1', requests: 1 }]);
    expect(s.byModel[0]).toEqual({ model: 'claude-opus-4-6', cost: 30, requests: 1, class: 'interactive' });
    expect(s.burnRate.cyclePerDay).toBeCloseTo(17 / 7, 6);
    expect(s.burnRate.last7dPerDay).toBeCloseTo(23 / 7 - 6 / 7, 6);
    expect(s.pricing.version).toBe('v1');
    expect(s.forecast.cycleEndSpend.p50).toBeGreaterThan(17);
    expect(s.forecast.exhaustionAt.p50).not.toBeNull();
  });

  it('counts unknown spend when configured, marks the exhaustion request and bills capped overage', () => {
    const s = buildStatus(
      db,
      plan({ countUnknown: true, usageCredits: true, overageCap: 1 }),
      'v1',
      ms('2026-09-08T00:00'),
    );
    expect(s.credit.used).toBe(23);
    expect(s.credit.exhaustedAt).toBe('2026-09-04T10:00:00.000Z');
    expect(s.credit.overage).toBe(1);
    expect(s.credit.overageCap).toBe(1);
    // The cap is in the report only where it applies.
    expect(
      'overageCap' in
        buildStatus(db, plan({ usageCredits: false, overageCap: 1 }), 'v1', ms('2026-09-08T00:00')).credit,
    ).toBe(false);
    expect('overageCap' in buildStatus(db, plan({ usageCredits: true }), 'v1', ms('2026-09-08T00:00')).credit).toBe(
      false,
    );
    expect(s.forecast.exhaustionAt).toEqual({
      p10: '2026-09-04T10:00:00.000Z',
      p50: '2026-09-04T10:00:00.000Z',
      p90: '2026-09-04T10:00:00.000Z',
    });
    expect(s.forecast.projectedOverage.p50).toBe(1);
    const text = formatStatusText(s, { color: false });
    expect(text).toContain('Credit used up Sep 4 10:00');
    expect(text).toContain('usage credits billed so far $1.00 of the $1.00 cap');
    expect(text).toContain('Usage credits cap reached Sep 4 10:00: programmatic access stopped');
    expect(text).toContain('counted against the credit');
    expect(text).toContain('Unpriced  1 request of 1 model without a price (mystery-1) is missing from the totals');
    // More models than are named: how many more.
    const many = ['m-1', 'm-2', 'm-3', 'm-4', 'm-5'].map((model) => ({ model, requests: 1, tokens: 10 }));
    expect(formatStatusText({ ...s, unpriced: many }, { color: false })).toContain(
      'Unpriced  5 requests of 5 models without a price (m-1, m-2, m-3, +2 more) are missing from the totals',
    );
  });

  it('says when spend reached the credit plus the usage credits cap, where access stopped again', () => {
    const at = ms('2026-09-08T00:00');
    // $16 of credit ran out with Sep 3's request ($17); the $5 cap with Sep 4's ($23 > $21).
    const capped = buildStatus(
      db,
      plan({ countUnknown: true, usageCredits: true, credit: 16, overageCap: 5 }),
      'v1',
      at,
    );
    expect(capped.credit).toMatchObject({
      exhaustedAt: '2026-09-03T10:00:00.000Z',
      overage: 5,
      overageCap: 5,
      overageCapReachedAt: '2026-09-04T10:00:00.000Z',
    });
    expect(formatStatusText(capped, { color: false })).toContain(
      'Usage credits cap reached Sep 4 10:00: programmatic access stopped',
    );
    // Not reached yet: null, and not said.
    const open = buildStatus(
      db,
      plan({ countUnknown: true, usageCredits: true, credit: 16, overageCap: 10 }),
      'v1',
      at,
    );
    expect(open.credit).toMatchObject({ overage: 7, overageCap: 10, overageCapReachedAt: null });
    expect(formatStatusText(open, { color: false })).not.toContain('cap reached');
  });

  it('reports a past cycle as complete, its forecast equal to what was spent', () => {
    const s = buildStatus(db, plan(), 'v1', ms('2026-09-08T00:00'), {
      startMs: ms('2026-08-01T00:00'),
      endMs: ms('2026-09-01T00:00'),
    });
    expect(s.programmatic.cost).toBe(50);
    expect(s.credit.exhaustedAt).toBe('2026-08-31T23:00:00.000Z');
    expect(s.cycle.elapsedFraction).toBe(1);
    expect(s.forecast.cycleEndSpend).toEqual({ p10: 50, p50: 50, p90: 50 });
    expect(formatStatusText(s, { color: false })).toMatch(/cycle Aug 1 – Aug 31 \(/);
    // Seen from another year, the cycle names its year.
    const later = buildStatus(db, plan(), 'v1', ms('2027-01-08T00:00'), {
      startMs: ms('2026-08-01T00:00'),
      endMs: ms('2026-09-01T00:00'),
    });
    expect(formatStatusText(later, { color: false })).toMatch(/cycle Aug 1 – Aug 31 2026 \(/);
    // A credit of $0 has no share: the spend is said as it is.
    const none = buildStatus(db, plan({ credit: 0 }), 'v1', ms('2026-09-08T00:00'), {
      startMs: ms('2026-08-01T00:00'),
      endMs: ms('2026-09-01T00:00'),
    });
    expect(formatStatusText(none, { color: false })).toMatch(
      /Credit +\$50\.00 of \$0\.00 used \(no credit\), \$0\.00 left/,
    );
  });

  it('writes a model that cost under half a cent with two significant digits, not $0.00', () => {
    const s = buildStatus(db, plan(), 'v1', ms('2026-09-08T00:00'));
    const tiny = {
      ...s,
      byModel: [...s.byModel, { model: 'claude-haiku-4-5', cost: 0.0032, requests: 1, class: 'programmatic' as const }],
    };
    expect(formatStatusText(tiny, { color: false })).toMatch(/^ {2}claude-haiku-4-5 +\$0\.0032 /m);
  });

  it('writes every class total and the sum of the models not listed under half a cent the same way', () => {
    db.exec('DELETE FROM requests');
    add('2026-09-02T10:00', 0.003, 'interactive');
    add('2026-09-02T11:00', 0.002, 'unknown');
    add('2026-09-03T08:00', 0.0026, 'programmatic', 'claude-opus-4-6');
    for (const [i, model] of ['a-1', 'a-2', 'a-3', 'a-4', 'a-5'].entries())
      add(`2026-09-03T1${i}:00`, 1, 'programmatic', model);
    add('2026-09-04T10:00', 0.001, 'programmatic', 'claude-haiku-4-5');
    const text = formatStatusText(buildStatus(db, plan(), 'v1', ms('2026-09-08T00:00')), { color: false });
    expect(text).toMatch(/^Interactive +\$0\.0030 in 1 request /m);
    expect(text).toMatch(/^Unknown +\$0\.0020 in 1 request /m);
    expect(text).toMatch(/^ {2}\+2 more models, \$0\.0036 /m);
    const small = formatStatusText(buildStatus(db, plan(), 'v1', ms('2026-09-03T09:00')), { color: false });
    expect(small).toMatch(/^Credit +\$0\.0026 of \$20\.00 used/m);
    expect(small).toMatch(/^Programmatic \$0\.0026 in 1 request/m);
    expect(text).not.toMatch(/\$0\.00 in/);
    // Rates and the forecast too: none of them spent nothing.
    expect(small).toMatch(/\$0\.000\d+\/day last 7 days, \$0\.00\d+\/day this cycle/);
    expect(small).toMatch(/\(1 request, \$0\.00\d+\/day\)/);
    expect(small).toMatch(/^Forecast {2}cycle end \$0\.0\d+ \(P10 \$0\.0\d+ - P90 \$0\.\d+\)/m);
  });

  it('formats a readable summary with a gauge and colour only when asked', () => {
    const s = buildStatus(db, plan({ assumed: true }), 'v1', ms('2026-09-08T00:00'));
    const plain = formatStatusText(s, { color: false, assumed: true });
    expect(plain).toContain('$17.00 of $20.00 used (85%), $3.00 left');
    expect(plain).toMatch(/[█░|]{40}/);
    expect(plain).toContain('Assumed plan Pro, cycle on the 1st, UTC');
    expect(plain).toContain('(API-equivalent value, not charged to the credit)');
    expect(plain).not.toContain('\u001b[');
    expect(formatStatusText(s, { color: true })).toContain('\u001b[');
  });

  it('names the three costliest workflows, users and repositories when telemetry attributes spend', () => {
    const s = buildStatus(db, plan(), 'v1', ms('2026-09-08T00:00'));
    const rows = ['nightly', 'release', '(none)', 'triage', 'docs'].map((key, i) => ({ key, cost: 10 - i }));
    const text = formatStatusText(s, {
      color: false,
      attribution: [
        { by: 'workflow', rows },
        {
          by: 'user',
          rows: [
            { key: 'ci-bot', cost: 3 },
            { key: 'x\u001b[2J\ny', cost: 1 },
            { key: 'idle', cost: 0 },
          ],
        },
        { by: 'repo', rows: [] },
      ],
    });
    expect(text).toContain('\nWorkflows     nightly $10.00 · release $9.00 · (none) $8.00 · +2 more\n');
    // A name with an escape sequence and a newline stays on its line, shown, not acted on.
    expect(text).toContain('\nUsers         ci-bot $3.00 · x\\u{1b}[2J\\ny $1.00\n');
    expect(text).not.toContain('Repositories');
    expect(formatStatusText(s, { color: false })).not.toContain('Workflows');
    // A name of 511 characters (the most telemetry keeps) is cut at 48 columns.
    const long = formatStatusText(s, {
      color: false,
      attribution: [{ by: 'repo', rows: [{ key: 'r'.repeat(511), cost: 2 }] }],
    });
    expect(long).toContain(`\nRepositories  ${'r'.repeat(47)}… $2.00\n`);
  });

  it('lists the five costliest programmatic models in columns and sums the rest on one line', () => {
    const names = ['claude-a', 'claude-bb-1', 'claude-ccc-20251001', 'claude-d', 'claude-e', 'claude-f', 'claude-g'];
    names.forEach((model, i) => add('2026-09-07T10:00', 100 - i * 10, 'programmatic', model));
    const text = formatStatusText(buildStatus(db, plan(), 'v1', ms('2026-09-08T00:00')), { color: false });
    const rows = text.split('\n').filter((l) => /^ {2}claude-/.test(l));
    expect(rows.map((l) => l.trim().split(/\s+/)[0])).toEqual(names.slice(0, 5));
    // Names padded to the longest, costs right-aligned: every row's cost ends in the same column.
    const ends = rows.map((l) => l.indexOf('('));
    expect(new Set(ends).size).toBe(1);
    expect(rows[0]).toMatch(/^ {2}claude-a {13}\$100\.00 {2}\(1 request, /);
    expect(text).toContain('  +4 more models, $107.00 (creditmeter report --by model has them all)');
    // On a terminal the rows keep one line each: the aside after the cost takes a shorter form.
    const rowsAt = (columns: number): string[] =>
      formatStatusText(buildStatus(db, plan(), 'v1', ms('2026-09-08T00:00')), { color: false, columns })
        .split('\n')
        .filter((l) => /^ {2}claude-[a-g]/.test(l));
    expect(rowsAt(200)[0]).toMatch(/\$100\.00 {2}\(1 request, \$14\.29\/day\)$/);
    expect(rowsAt(52)[0]).toMatch(/\$100\.00 {2}\(1 req, \$14\.29\/d\)$/);
    expect(rowsAt(44)[0]).toMatch(/\$100\.00 {2}\(1 req\)$/);
    expect(rowsAt(36)[0]).toMatch(/\$100\.00$/);
    for (const columns of [200, 52, 44, 36]) {
      expect(rowsAt(columns)).toHaveLength(5);
      for (const row of rowsAt(columns)) expect(row.length).toBeLessThan(columns);
    }
  });

  it("draws the gauge's 40 cells, fewer on a terminal too narrow for them", () => {
    add('2026-09-07T10:00', 5, 'programmatic', 'claude-a');
    const bar = (columns?: number): string =>
      formatStatusText(buildStatus(db, plan(), 'v1', ms('2026-09-08T00:00')), { color: false, columns })
        .split('\n')
        .find((l) => /^ {10}[█░|]+$/.test(l))!;
    expect(bar().trim()).toHaveLength(40);
    expect(bar(200).trim()).toHaveLength(40);
    expect(bar(40)).toHaveLength(39);
    expect(bar(30).trim()).toHaveLength(19);
  });
});

describe('amounts under half a cent on the dashboard', () => {
  beforeEach(() => {
    for (let d = 2; d <= 9; d++) add(`2026-09-0${d}T10:00`, 0.0004, 'programmatic');
    add('2026-09-09T11:30', 0.003, 'interactive');
    add('2026-09-09T11:40', 0.002, 'unknown');
  });

  it('are written in two significant digits in the gauge, the classes apart, the burn and the forecast', () => {
    const s = buildStatus(db, plan(), 'v1', ms('2026-09-09T12:00'));
    expect(gaugeText(s, false)).toContain('$0.0032 of $20.00 used');
    expect(apartText(s, 200)).toContain('Interactive $0.0030');
    expect(apartText(s, 200)).toContain('unknown $0.0020');
    expect(burnText(s.burnRate)).toMatch(/\$0\.0000\d+\/h 24 h/);
    expect(forecastText(s, '')).toMatch(/P50 \$0\.0\d+/);
  });
});

describe('--fail-at at its line', () => {
  it('is reached by spend at the line, not by spend a hair under it that the report rounds up', () => {
    // $89.999995 of $100 reads as 0.9 in the report's six places; the guard compares the amounts.
    add('2026-09-02T10:00', 89.999995);
    const under = buildStatus(db, plan({ plan: 'custom', credit: 100 }), 'v1', ms('2026-09-02T12:00'));
    expect(under.credit.usedFraction).toBe(0.9);
    expect(thresholdReason(under, 90, false)).toBeNull();
    expect(seatAwareThreshold(under, 90, false, undefined)).toBeNull();
    add('2026-09-02T11:00', 0.000005);
    const at = buildStatus(db, plan({ plan: 'custom', credit: 100 }), 'v1', ms('2026-09-02T12:00'));
    expect(thresholdReason(at, 90, false)).toMatch(/used 90% of the credit, at or above --fail-at 90%/);
  });
});
