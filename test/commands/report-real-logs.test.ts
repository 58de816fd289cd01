import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { isolateHome, runCli } from '../helpers/run-cli.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const realLogs = (name: string): string => path.resolve(repoRoot, '../shared/real-logs', name);

// Reference totals from ../shared/real-logs/README.md (cache write = 5m + 1h).
const REFERENCE = [
  {
    root: 'spotter',
    requests: 904,
    input: 9_165,
    output: 195_801,
    cacheRead: 77_423_878,
    cacheWrite: 2_079_960,
    cost: 51.742581,
  },
  { root: 'margin', requests: 2, input: 18, output: 312, cacheRead: 55_547, cacheWrite: 11_821, cost: 0.030775 },
  {
    root: 'claude-code-viewer',
    requests: 197,
    input: 1_040,
    output: 56_515,
    cacheRead: 4_075_332,
    cacheWrite: 198_421,
    cost: 2.817523,
  },
];

interface Totals {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWrite5mTokens: number;
  cacheWrite1hTokens: number;
  cost: number;
  unpricedRequests: number;
}

let dir = '';
beforeAll(() => {
  dir = isolateHome();
});
const freshDb = (): string => path.join(mkdtempSync(path.join(dir, 'db-')), 'usage.db');

async function reportJson(
  roots: string[],
  ...args: string[]
): Promise<{ rows: Array<Totals & { key: string }>; totals: Totals; unpriced: unknown[] }> {
  const r = await runCli([
    'report',
    '--json',
    '--db',
    freshDb(),
    '--tz',
    'UTC',
    ...roots.flatMap((x) => ['--claude-dir', realLogs(x)]),
    ...args,
  ]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}

describe('report --json on the real logs matches the reference totals', () => {
  it.each(REFERENCE)('$root', async (ref) => {
    const doc = await reportJson([ref.root]);
    expect(doc.totals.requests).toBe(ref.requests);
    expect(doc.totals.inputTokens).toBe(ref.input);
    expect(doc.totals.outputTokens).toBe(ref.output);
    expect(doc.totals.cacheReadTokens).toBe(ref.cacheRead);
    expect(doc.totals.cacheWrite5mTokens + doc.totals.cacheWrite1hTokens).toBe(ref.cacheWrite);
    expect(Math.abs(doc.totals.cost - ref.cost)).toBeLessThanOrEqual(1e-6);
    expect(doc.unpriced).toEqual([]);
    const rowSum = doc.rows.reduce((s, r) => s + r.cost, 0);
    expect(Math.abs(rowSum - ref.cost)).toBeLessThan(1e-5);
  });

  it('all three roots together, and split by class', async () => {
    const all = await reportJson(
      REFERENCE.map((r) => r.root),
      '--by',
      'class',
    );
    expect(all.totals.requests).toBe(1_103);
    expect(Math.abs(all.totals.cost - 54.590879)).toBeLessThanOrEqual(1e-6);
    const byClass = Object.fromEntries(all.rows.map((r) => [r.key, r.cost]));
    expect(byClass.interactive).toBeCloseTo(51.61756, 6);
    expect(byClass.programmatic).toBeCloseTo(0.030775, 6);
    expect(byClass.unknown).toBeCloseTo(0.125021 + 2.817523, 6);
  });

  it('a second report on the same database reads nothing new and gives the same totals', async () => {
    const db = freshDb();
    const args = ['report', '--json', '--db', db, '--claude-dir', realLogs('margin')];
    const first = await runCli(args);
    const second = await runCli(args);
    expect(JSON.parse(second.stdout)).toEqual(JSON.parse(first.stdout));
  });
});
