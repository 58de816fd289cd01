import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/run-cli.js';
import type { StatusReport } from '../../src/domain/status-types.js';

let dir: string;
const saved = { ...process.env };

/** The shared in-process runner, with this file's field names. */
async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = await runCli(args);
  return { code: r.code, out: r.stdout, err: r.stderr };
}

/** One programmatic (sdk-cli) request line: 100,000 input tokens of claude-sonnet-4-5 ($0.30). */
function line(n: number, iso: string): string {
  return JSON.stringify({
    parentUuid: null,
    isSidechain: false,
    type: 'assistant',
    uuid: `u-${n}`,
    timestamp: iso,
    userType: 'external',
    cwd: '/p',
    sessionId: 's',
    version: '2.1.100',
    entrypoint: 'sdk-cli',
    requestId: `req_${n}`,
    message: {
      model: 'claude-sonnet-4-5',
      type: 'message',
      role: 'assistant',
      id: `msg_${n}`,
      content: [{ type: 'text', text: 'ok' }],
      usage: { input_tokens: 100_000, output_tokens: 0, cache_read_input_tokens: 0 },
    },
  });
}

/** A transcript root holding requests at the given instants. */
function root(name: string, instants: string[]): string {
  const r = join(dir, name);
  mkdirSync(join(r, 'projects', 'p'), { recursive: true });
  writeFileSync(join(r, 'projects', 'p', 's.jsonl'), instants.map((t, i) => line(i, t)).join('\n') + '\n');
  return r;
}

const args = (r: string, now: string, extra: string[] = []): string[] => [
  'status',
  '--claude-dir',
  r,
  '--db',
  join(dir, `${now}.db`),
  '--config',
  join(dir, 'empty.json'),
  '--tz',
  'UTC',
  '--now',
  now,
  ...extra,
];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cm-status-little-'));
  writeFileSync(join(dir, 'empty.json'), '{}');
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

describe('status with little history', () => {
  it('one small request 30 minutes ago: a bounded P50 and no --fail-at from the forecast', async () => {
    const r = root('one', ['2026-11-10T09:00:00Z']);
    // A $1 credit: $0.30 used is 30%; on a straight hourly line the P50 would be far past 100%.
    const res = await run([
      ...args(r, '2026-11-10T09:30:00Z', ['--json', '--plan', 'custom', '--credit', '1', '--fail-at', '80']),
    ]);
    expect(res.err).toBe('');
    expect(res.code).toBe(0);
    const s = JSON.parse(res.out) as StatusReport;
    expect(s.credit.used).toBeCloseTo(0.3, 6);
    // $0.30 over one whole day, for the rest of the cycle: about $6.8; at most a small multiple of $0.30 x 30 days.
    expect(s.forecast.cycleEndSpend.p50).toBeGreaterThan(0.3 * 20);
    expect(s.forecast.cycleEndSpend.p50).toBeLessThan(0.3 * 30 * 1.5);
    expect(s.forecast.cycleEndSpend.p90 / s.forecast.cycleEndSpend.p10).toBeGreaterThan(4);
    // The used share still triggers it.
    const used = await run([
      ...args(r, '2026-11-10T09:30:00Z', ['--json', '--plan', 'custom', '--credit', '0.35', '--fail-at', '80']),
    ]);
    expect(used.code).toBe(3);
    expect(used.err).toMatch(/used 86% of the credit/);
  });

  it('says the history went quiet however long ago, a whole window without spend included', async () => {
    // Daily spend through September, then nothing.
    const days = Array.from({ length: 30 }, (_, d) => new Date(Date.parse('2026-09-01T12:00:00Z') + d * 86_400_000));
    const r = root(
      'stopped',
      days.map((d) => d.toISOString()),
    );
    const basis = async (now: string): Promise<NonNullable<StatusReport['forecast']['basis']>> =>
      (JSON.parse((await run(args(r, now, ['--json']))).out) as StatusReport).forecast.basis!;
    const lately = await basis('2026-12-15T00:00:00Z');
    expect(lately.text).toMatch(/nothing spent for \d+ days \(quiet lately\)$/);
    // Past the whole window looked back at (16 weeks): still said, not a history that reads healthy.
    for (const now of ['2027-06-01T00:00:00Z', '2030-01-01T00:00:00Z']) {
      const gone = await basis(now);
      expect(gone.text, now).toMatch(/nothing spent in them \(quiet lately\)$/);
      expect(gone.littleHistory, now).toBe(true);
    }
  });

  it('after a full day of history the P50 forecast can trigger --fail-at', async () => {
    const hourly = Array.from({ length: 33 }, (_, h) =>
      new Date(Date.parse('2026-11-09T00:00:00Z') + h * 3_600_000).toISOString(),
    );
    const r = root('day', hourly);
    // $0.30 an hour: $7.20 a day; a $100 credit is about 10% used, the cycle end about 150%.
    const res = await run([...args(r, '2026-11-10T09:30:00Z', ['--json', '--plan', 'max5x', '--fail-at', '80'])]);
    expect(res.code).toBe(3);
    expect(res.err).toMatch(/the P50 forecast uses \d+% of the credit by the cycle end, at or above --fail-at 80%/);
    const s = JSON.parse(res.out) as StatusReport;
    expect(s.credit.usedFraction).toBeLessThan(0.8);
    expect(s.forecast.cycleEndSpend.p50).toBeGreaterThan(80);
  });

  it('shows the cycle as its local days inclusive, the same in a zone east of UTC', async () => {
    const r = root('one', ['2026-11-10T09:00:00Z']);
    process.env.NO_COLOR = '1';
    const utc = await run(args(r, '2026-11-10T09:30:00Z', ['--plan', 'pro']));
    expect(utc.out).toContain('cycle Nov 1 – Nov 30 (UTC)');
    expect(utc.out).toContain('the spend so far as a daily level (little history: wide band)');
    const tokyo = await run([
      ...args(r, '2026-11-10T09:30:00Z', ['--plan', 'pro', '--cycle-start-day', '15']),
      '--tz',
      'Asia/Tokyo',
    ]);
    expect(tokyo.out).toContain('cycle Oct 15 – Nov 14 (Asia/Tokyo)');
  });

  it('the default command without a terminal prints the same summary, with the assumed plan', async () => {
    const r = root('one', ['2026-11-10T09:00:00Z']);
    process.env.NO_COLOR = '1';
    // Not a terminal, whatever runs the tests: the summary path, not the live dashboard.
    const tty = Object.getOwnPropertyDescriptor(process.stdout, 'isTTY');
    Object.defineProperty(process.stdout, 'isTTY', { value: false, configurable: true });
    const res = await run([
      '--claude-dir',
      r,
      '--db',
      join(dir, 'dash.db'),
      '--config',
      join(dir, 'empty.json'),
      '--tz',
      'UTC',
    ]).finally(() => {
      if (tty) Object.defineProperty(process.stdout, 'isTTY', tty);
      else delete (process.stdout as { isTTY?: boolean }).isTTY;
    });
    expect(res.code).toBe(0);
    expect(res.out).toContain(
      'Assumed plan Pro, cycle on the 1st, UTC; set yours with: creditmeter config set plan max5x',
    );
    expect(res.out).toMatch(/cycle \w{3} \d+ – \w{3} \d+ \(UTC\)/);
  });
});
