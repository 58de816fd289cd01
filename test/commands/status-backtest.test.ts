import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/program.js';
import { redirectStdout } from '../../src/cli/stdout.js';
import { formatBacktest } from '../../src/commands/backtest.js';
import type { BacktestResult } from '../../src/domain/backtest.js';
import { FIXTURE_HISTORY, generateHistory } from '../../src/demo/index.js';

let dir: string;

async function run(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const ow = process.stdout.write.bind(process.stdout);
  const ew = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((c: string | Uint8Array) => ((out += String(c)), true)) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  redirectStdout((text) => (out += text));
  try {
    return { code: await main(['node', 'creditmeter', ...args]), out };
  } finally {
    redirectStdout(null);
    process.stdout.write = ow;
    process.stderr.write = ew;
    process.exitCode = undefined;
  }
}

interface BacktestJson {
  points: number;
  p50AbsPctError: number;
  naiveAbsPctError: number;
  coverage: number;
  cycles: Array<{ start: string; actual: number }>;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cm-backtest-'));
  await generateHistory({ ...FIXTURE_HISTORY, outDir: join(dir, 'root') });
  writeFileSync(join(dir, 'config.json'), '{}');
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('creditmeter backtest on the bundled fixture history', () => {
  for (const [tz, day] of [
    ['UTC', '1'],
    ['America/New_York', '15'],
  ] as const) {
    it(`beats the naive projection with an honest P10-P90 band (${tz}, cycle day ${day})`, async () => {
      const r = await run([
        'backtest',
        '--json',
        '--claude-dir',
        join(dir, 'root'),
        '--db',
        join(dir, 'usage.db'),
        '--config',
        join(dir, 'config.json'),
        '--plan',
        'max5x',
        '--tz',
        tz,
        '--cycle-start-day',
        day,
        '--now',
        '2026-11-02T00:00:00Z',
        '--days',
        'all',
      ]);
      expect(r.code).toBe(0);
      const b = JSON.parse(r.out) as BacktestJson;
      expect(b.cycles.length).toBeGreaterThanOrEqual(4);
      expect(b.points).toBeGreaterThan(110);
      expect(b.p50AbsPctError).toBeLessThan(b.naiveAbsPctError);
      expect(b.coverage).toBeGreaterThanOrEqual(0.7);
      expect(b.coverage).toBeLessThanOrEqual(0.95);
    }, 180_000);
  }
});

describe('backtest text', () => {
  const cycle = (month: number, truth: number) => ({
    startMs: Date.UTC(2026, month, 1),
    endMs: Date.UTC(2026, month + 1, 1),
    truth,
    points: 5,
    p50Error: 0.084,
    naiveError: 0.078,
    coverage: 0.6,
  });
  const result: BacktestResult = {
    cycles: [cycle(8, 2392.9), cycle(9, 12_345.67)],
    checkpoints: [3, 8, 15].map((day) => ({ day, points: 2, p50Error: 0.2, naiveError: 0.22, coverage: 1 })),
    forecasts: [],
    points: 6,
    p50Error: 0.084,
    naiveError: 0.078,
    coverage: 0.6,
    skippedZeroCycles: 0,
    beganBeforeData: null,
    withoutDays: 0,
  };

  it('names each cycle by its two ends in columns as wide as their widest value', () => {
    const text = formatBacktest(result, 'UTC');
    expect(text).toMatch(/^cycle {24}actual {2}points {2}P50 error {2}naive error {2}in P10-P90$/m);
    expect(text).toMatch(/^2026-10-01 - 2026-10-31 {2}\$12,345\.67 {7}5 {7}8\.4% {9}7\.8% {9}60%$/m);
    expect(text).toMatch(/^2026-09-01 - 2026-09-30 {3}\$2,392\.90 /m);
    expect(text).not.toContain('Left out');
  });

  it('fits a 60-column terminal: a cycle by its first day, then without its points, sentences wrapped', () => {
    const text = formatBacktest(result, 'UTC', 60);
    for (const line of text.split('\n')) expect(line.length, line).toBeLessThan(60);
    expect(text).toMatch(/^cycle from {6}actual {2}P50 error /m);
    expect(text).toMatch(/^2026-10-01 {2}\$12,345\.67 {7}8\.4%/m);
    // The days' table fits with its points.
    expect(text).toMatch(/^day of cycle {2}points {2}P50 error/m);
    const joined = text.replace(/\n {4}/g, ' ');
    expect(joined).toContain('Left out to fit the terminal: points per cycle (--json has them).');
    expect(joined).toContain('Over 6 forecasts (each at the start of a day listed, from what was known then):');
  });

  it('fits a 45-column terminal with short headers, and says what went', () => {
    const text = formatBacktest(result, 'UTC', 45);
    for (const line of text.split('\n')) expect(line.length, line).toBeLessThan(45);
    expect(text).toMatch(/^cycle from {6}actual {2}P50 err {2}P10-90$/m);
    expect(text).toMatch(/^2026-10-01 {2}\$12,345\.67 {5}8\.4% {5}60%$/m);
    expect(text).toMatch(/^day {2}points {2}P50 err {2}naive {2}P10-90$/m);
    const joined = text.replace(/\n {4}/g, ' ');
    expect(joined).toContain(
      'Left out to fit the terminal: points per cycle, naive error per cycle (--json has them).',
    );
  });

  it('gives up the coverage before cutting a date, at 35 columns', () => {
    const text = formatBacktest(result, 'UTC', 35);
    for (const line of text.split('\n')) expect(line.length, line).toBeLessThan(35);
    expect(text).toMatch(/^2026-10-01 {2}\$12,345\.67 {5}8\.4%$/m);
    const joined = text.replace(/\n {4}/g, ' ');
    expect(joined).toContain(
      'Left out to fit the terminal: points per cycle and per day, naive error per cycle, P10-P90 coverage per cycle (--json has them).',
    );
  });
});
