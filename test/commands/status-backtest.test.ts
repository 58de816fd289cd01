import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/program.js';
import { FIXTURE_HISTORY, generateHistory } from '../../src/demo/index.js';

let dir: string;

async function run(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const ow = process.stdout.write.bind(process.stdout);
  const ew = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((c: string | Uint8Array) => ((out += String(c)), true)) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    return { code: await main(['node', 'creditmeter', ...args]), out };
  } finally {
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
