import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/run-cli.js';
import type { StatusReport } from '../../src/domain/status-types.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const margin = resolve(repo, '../shared/real-logs/margin');
const spotter = resolve(repo, '../shared/real-logs/spotter');

let dir: string;
let emptyConfig: string;
const saved = { ...process.env };

/** The shared in-process runner, with this file's field names. */
async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = await runCli(args);
  return { code: r.code, out: r.stdout, err: r.stderr };
}

const base = (): string[] => ['--db', join(dir, 'usage.db'), '--config', emptyConfig];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cm-status-'));
  emptyConfig = join(dir, 'empty.json');
  writeFileSync(emptyConfig, '{}');
  for (const k of [
    'CREDITMETER_PLAN',
    'CREDITMETER_TZ',
    'CREDITMETER_CONFIG',
    'CREDITMETER_DB',
    'CLAUDE_CONFIG_DIR',
    'NO_COLOR',
  ])
    delete process.env[k];
});
afterEach(() => {
  process.env = { ...saved };
  rmSync(dir, { recursive: true, force: true });
});

describe('creditmeter status', () => {
  it('reports the margin run as $0.030775 programmatic in the cycle starting 2026-08-15', async () => {
    const r = await run([
      'status',
      '--json',
      '--claude-dir',
      margin,
      ...base(),
      '--plan',
      'pro',
      '--cycle-start-day',
      '15',
      '--tz',
      'UTC',
      '--now',
      '2026-08-25T00:00:00Z',
    ]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out) as StatusReport;
    expect(s.cycle.start).toBe('2026-08-15T00:00:00.000Z');
    expect(s.cycle.end).toBe('2026-09-15T00:00:00.000Z');
    expect(s.programmatic).toEqual({ cost: 0.030775, requests: 2 });
    expect(s.credit.used).toBe(0.030775);
    expect(s.credit.remaining).toBe(roundTo(20 - 0.030775));
    expect(s.interactive.requests).toBe(0);
    expect(s.cycle).toMatchObject({ plan: 'pro', seats: 1, credit: 20, timezone: 'UTC' });
    expect(s.cycle.elapsedFraction).toBeCloseTo(10 / 31, 5);
    expect(s.forecast.cycleEndSpend.p50).toBeGreaterThanOrEqual(0.030775);
    expect(s.forecast.exhaustionAt.p50).toBeNull();
    expect(s.byModel[0]).toMatchObject({ cost: 0.030775, requests: 2, class: 'programmatic' });
    expect(Object.keys(s)).toEqual([
      'now',
      'cycle',
      'programmatic',
      'interactive',
      'unknown',
      'credit',
      'burnRate',
      'forecast',
      'byModel',
      'unpriced',
      'pricing',
    ]);
  });

  it('keeps earlier cycles queryable and is empty in the previous one', async () => {
    const args = [
      'status',
      '--json',
      '--claude-dir',
      margin,
      ...base(),
      '--plan',
      'pro',
      '--cycle-start-day',
      '15',
      '--tz',
      'UTC',
      '--now',
      '2026-09-20T00:00:00Z',
    ];
    const current = JSON.parse((await run(args)).out) as StatusReport;
    expect(current.programmatic.cost).toBe(0);
    const previous = JSON.parse((await run([...args, '--cycle', 'previous'])).out) as StatusReport;
    expect(previous.cycle.start).toBe('2026-08-15T00:00:00.000Z');
    expect(previous.programmatic.cost).toBe(0.030775);
    expect(previous.cycle.elapsedFraction).toBe(1);
    const byDay = JSON.parse((await run([...args, '--cycle', '2026-09-14'])).out) as StatusReport;
    expect(byDay.cycle.start).toBe(previous.cycle.start);
  });

  it('writes timestamps in the plan zone with its offset', async () => {
    const r = await run([
      'status',
      '--json',
      '--claude-dir',
      margin,
      ...base(),
      '--cycle-start-day',
      '15',
      '--tz',
      'Asia/Kolkata',
      '--now',
      '2026-08-25T00:00:00Z',
    ]);
    const s = JSON.parse(r.out) as StatusReport;
    expect(s.cycle.start).toBe('2026-08-15T00:00:00.000+05:30');
    expect(s.now).toBe('2026-08-25T05:30:00.000+05:30');
  });

  it('lets flags beat the config file, which beats the defaults', async () => {
    const cfg = join(dir, 'config.json');
    writeFileSync(cfg, JSON.stringify({ plan: 'max5x', cycleStartDay: 10, tz: 'Europe/Berlin', usageCredits: true }));
    const common = [
      'status',
      '--json',
      '--claude-dir',
      margin,
      '--db',
      join(dir, 'usage.db'),
      '--now',
      '2026-08-25T00:00:00Z',
    ];
    const fromFile = JSON.parse((await run([...common, '--config', cfg])).out) as StatusReport;
    expect(fromFile.cycle).toMatchObject({
      plan: 'max5x',
      credit: 100,
      timezone: 'Europe/Berlin',
      start: '2026-08-10T00:00:00.000+02:00',
    });
    expect(fromFile.credit.usageCredits).toBe(true);
    const flagged = JSON.parse(
      (
        await run([
          ...common,
          '--config',
          cfg,
          '--plan',
          'team',
          '--seats',
          '3',
          '--cycle-start-day',
          '20',
          '--usage-credits',
          'off',
        ])
      ).out,
    ) as StatusReport;
    expect(flagged.cycle).toMatchObject({
      plan: 'team',
      seats: 3,
      credit: 60,
      timezone: 'Europe/Berlin',
      start: '2026-08-20T00:00:00.000+02:00',
    });
    expect(flagged.credit.usageCredits).toBe(false);
    const defaults = await run([...common, '--config', emptyConfig, '--tz', 'UTC']);
    expect(JSON.parse(defaults.out).cycle).toMatchObject({
      plan: 'pro',
      credit: 20,
      start: '2026-08-01T00:00:00.000Z',
    });
  });

  it('says which plan it assumed in the text summary, without colour under NO_COLOR', async () => {
    process.env.NO_COLOR = '1';
    const r = await run(['status', '--claude-dir', margin, ...base(), '--tz', 'UTC', '--now', '2026-08-25T00:00:00Z']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      'Assumed plan Pro, cycle on the 1st, UTC; set yours with: creditmeter config set plan max5x',
    );
    expect(r.out).toContain('$0.03 of $20.00 used');
    expect(r.out).toContain('credit lasts the cycle');
    expect(r.out).toMatch(/based on .*days? of history \(little history: wide band\)/);
    expect(r.out).not.toContain('\u001b[');
    const named = await run([
      'status',
      '--claude-dir',
      margin,
      ...base(),
      '--plan',
      'max5x',
      '--tz',
      'UTC',
      '--now',
      '2026-08-25T00:00:00Z',
    ]);
    expect(named.out).not.toContain('Assumed plan');
  });

  it('shows interactive spend apart as API-equivalent value', async () => {
    const r = await run([
      'status',
      '--claude-dir',
      spotter,
      ...base(),
      '--plan',
      'max5x',
      '--tz',
      'UTC',
      '--cycle',
      '2026-02-10',
      '--now',
      '2026-06-01T00:00:00Z',
    ]);
    expect(r.out).toMatch(
      /Interactive\s+\$51\.62 in [\d,]+ requests \(API-equivalent value, not charged to the credit\)/,
    );
    expect(r.out).toContain('$0.00 of $100.00 used');
  });

  it('exits 3 with the reason when --fail-at is reached, 0 below it, 2 on bad values', async () => {
    const args = [
      'status',
      '--json',
      '--claude-dir',
      margin,
      ...base(),
      '--plan',
      'custom',
      '--credit',
      '0.05',
      '--tz',
      'UTC',
      '--now',
      '2026-08-25T00:00:00Z',
    ];
    const hit = await run([...args, '--fail-at', '50']);
    expect(hit.code).toBe(3);
    expect(hit.err).toMatch(/used 62% of the credit, at or above --fail-at 50%/);
    expect(JSON.parse(hit.out).credit.usedFraction).toBeCloseTo(0.6155, 4);
    // The previous cycle is complete: its forecast is what was spent (62%), below 95%.
    const previous = [
      'status',
      '--json',
      '--claude-dir',
      margin,
      ...base(),
      '--plan',
      'custom',
      '--credit',
      '0.05',
      '--tz',
      'UTC',
      '--cycle-start-day',
      '15',
      '--now',
      '2026-09-20T00:00:00Z',
      '--cycle',
      'previous',
    ];
    const below = await run([...previous, '--fail-at', '95']);
    expect(below.err).toBe('');
    expect(below.code).toBe(0);
    expect((await run([...previous, '--fail-at', '60'])).code).toBe(3);
    expect((await run([...args, '--fail-at', 'lots'])).code).toBe(2);
    // Decimal percentages only: 0x50 is not 80, 1e2 not 100.
    for (const odd of ['0x50', '1e2', '-5', '0'])
      expect((await run([...args, '--fail-at', odd])).err, odd).toMatch(/--fail-at must be a percentage above 0/);
    expect((await run([...previous, '--fail-at', '60.5%'])).code).toBe(3);
    expect((await run([...previous, '--fail-at', '.5'])).code).toBe(3);
    expect((await run([...args, '--cycle', 'last'])).code).toBe(2);
    expect((await run([...args, '--now', 'yesterday'])).code).toBe(2);
  });
});

function roundTo(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}
