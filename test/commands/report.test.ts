import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { openApp } from '../../src/app/context.js';
import { isolateHome, runCli } from '../helpers/run-cli.js';
import { insertRows } from '../store/queries-rows.js';

let dbPath = '';
let root = '';
const odd = '/home/u/a "quoted", project';

beforeAll(() => {
  const dir = isolateHome();
  root = path.join(dir, 'claude');
  mkdirSync(path.join(root, 'projects'), { recursive: true });
  dbPath = path.join(dir, 'usage.db');
  // Opened as the commands open it (the bundled table applied), so the hand-set costs below stay.
  const ctx = openApp({ db: dbPath, claudeDir: [root] });
  const db = ctx.db;
  insertRows(db, [
    // Pacific/Kiritimati is UTC+14: 09:59Z on 03-01 is still 03-01 there, 10:00Z is 03-02.
    {
      key: 'a',
      ts: '2026-03-01T09:59:00Z',
      model: 'claude-opus-4-7',
      input: 100,
      output: 1000,
      cacheRead: 5000,
      cacheWrite5m: 200,
      cacheWrite1h: 10,
      webSearch: 2,
      cost: 1.25,
    },
    { key: 'b', ts: '2026-03-01T10:00:00Z', model: 'claude-opus-4-7', input: 50, output: 500, cost: 0.5, project: odd },
    {
      key: 'c',
      ts: '2026-03-03T12:00:00Z',
      model: 'claude-sonnet-4-6',
      input: 7,
      output: 70,
      cost: 2.000_000_4,
      cls: 'interactive',
      entrypoint: 'cli',
    },
    {
      key: 'd',
      ts: '2026-03-04T12:00:00Z',
      model: 'mystery-model',
      input: 3,
      output: 30,
      cost: null,
      cls: 'unknown',
      entrypoint: null,
    },
    // Stamped an hour ahead of this machine's clock (a runner whose clock runs ahead): reported
    // once its time has come, as status counts it; every total below leaves it out.
    { key: 'ahead', ts: Date.now() + 3_600_000, model: 'claude-opus-4-7', input: 1, output: 1, cost: 3 },
  ]);
  ctx.close();
});

const report = (...args: string[]) =>
  runCli(['report', '--db', dbPath, '--claude-dir', root, '--tz', 'Pacific/Kiritimati', ...args]);

describe('creditmeter report (text)', () => {
  it('prints aligned columns, a totals line and the unpriced warning', async () => {
    const r = await report();
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(
      /^Usage by model, all classes, all time \(days in Pacific\/Kiritimati\); prices \d{4}-\d{2}-\d{2}$/,
    );
    const header = lines[2] ?? '';
    expect(header).toMatch(
      /^model\s+requests\s+input\s+output\s+cache read\s+5m write\s+1h write\s+web search\s+cost\s+unpriced$/,
    );
    const body = lines.filter((l) => /^(claude|mystery|total)/.test(l));
    expect(body.map((l) => l.split(/\s{2,}/)[0])).toEqual([
      'claude-sonnet-4-6',
      'claude-opus-4-7',
      'mystery-model',
      'total',
    ]);
    // Right-aligned numbers: every row ends where the header ends.
    for (const l of body) expect(l.length).toBe(header.length);
    expect(body[1]).toMatch(/claude-opus-4-7\s+2\s+150\s+1,500\s+5,000\s+200\s+10\s+2\s+\$1\.75\s+0$/);
    // A cost with unpriced requests in it reads `?`, as in the dashboard: mystery-model is no $0.00.
    expect(body[2]).toMatch(/^mystery-model\s+.*\$0\.00\?\s+1$/);
    expect(body[3]).toMatch(/^total\s+4\s+160\s+1,600\s+.*\$3\.75\?\s+1$/);
    expect(r.stdout).toContain('Warning: 1 request of 1 unknown model is not in the cost: mystery-model (1).');
  });

  it('says so when nothing matches', async () => {
    const r = await report('--since', '2027-01-01');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No requests match.');
  });
});

describe('creditmeter report --json', () => {
  it('prints exactly the contract shape, costs rounded to 6 decimals', async () => {
    const r = await report('--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(['rows', 'totals', 'unpriced']);
    expect(doc.rows[1]).toEqual({
      key: 'claude-opus-4-7',
      requests: 2,
      inputTokens: 150,
      outputTokens: 1500,
      cacheReadTokens: 5000,
      cacheWrite5mTokens: 200,
      cacheWrite1hTokens: 10,
      webSearchRequests: 2,
      cost: 1.75,
      unpricedRequests: 0,
    });
    expect(doc.rows[0].cost).toBe(2);
    expect(doc.totals).toEqual({
      requests: 4,
      inputTokens: 160,
      outputTokens: 1600,
      cacheReadTokens: 5000,
      cacheWrite5mTokens: 200,
      cacheWrite1hTokens: 10,
      webSearchRequests: 2,
      cost: 3.75,
      unpricedRequests: 1,
    });
    expect(doc.unpriced).toEqual([{ model: 'mystery-model', requests: 1 }]);
  });

  it('buckets days in --tz and filters --since/--until as inclusive local days', async () => {
    const days = JSON.parse((await report('--json', '--by', 'day')).stdout).rows.map(
      (x: { key: string; requests: number }) => [x.key, x.requests],
    );
    expect(days).toEqual([
      ['2026-03-01', 1],
      ['2026-03-02', 1],
      ['2026-03-04', 1],
      ['2026-03-05', 1],
    ]);
    const one = JSON.parse((await report('--json', '--since', '2026-03-02', '--until', '2026-03-04')).stdout);
    expect(one.totals.requests).toBe(2);
    const utc = JSON.parse(
      (
        await runCli([
          'report',
          '--db',
          dbPath,
          '--claude-dir',
          root,
          '--tz',
          'UTC',
          '--json',
          '--by',
          'day',
          '--until',
          '2026-03-01',
        ])
      ).stdout,
    );
    expect(utc.rows).toHaveLength(1);
    expect(utc.rows[0]).toMatchObject({ key: '2026-03-01', requests: 2 });
  });

  it('groups by calendar week (from Monday) and month in --tz, and takes YYYYMMDD dates as ccusage does', async () => {
    const rows = async (...args: string[]): Promise<Array<[string, number]>> =>
      JSON.parse((await report('--json', ...args)).stdout).rows.map((x: { key: string; requests: number }) => [
        x.key,
        x.requests,
      ]);
    // 2026-03-01 is a Sunday: its week is the one from Monday, February 23.
    expect(await rows('--by', 'week')).toEqual([
      ['2026-02-23', 1],
      ['2026-03-02', 3],
    ]);
    expect(await rows('--by', 'month')).toEqual([['2026-03', 4]]);
    expect(await rows('--by', 'day', '--since', '20260302', '--until', '20260304')).toEqual(
      await rows('--by', 'day', '--since', '2026-03-02', '--until', '2026-03-04'),
    );
    expect((await report('--by', 'week')).stdout).toMatch(/Usage by week, all classes/);
  });

  it('filters by class and groups by class, entrypoint and project', async () => {
    const prog = JSON.parse((await report('--json', '--class', 'programmatic')).stdout);
    expect(prog.totals.requests).toBe(2);
    expect(prog.unpriced).toEqual([]);
    const byClass = JSON.parse((await report('--json', '--by', 'class')).stdout).rows.map(
      (x: { key: string }) => x.key,
    );
    expect(byClass).toEqual(['interactive', 'programmatic', 'unknown']);
    const byEntry = JSON.parse((await report('--json', '--by', 'entrypoint')).stdout).rows.map(
      (x: { key: string }) => x.key,
    );
    expect(byEntry).toContain('(none)');
  });
});

describe('creditmeter report --csv', () => {
  it('prints RFC 4180 CSV whose records equal the JSON rows', async () => {
    const csv = await report('--csv', '--by', 'project');
    const json = JSON.parse((await report('--json', '--by', 'project')).stdout);
    expect(csv.code).toBe(0);
    expect(csv.stdout).toContain(`"${odd.replaceAll('"', '""')}"`);
    expect(csv.stdout.endsWith('\r\n')).toBe(true);
    const records = parse(csv.stdout, {
      columns: true,
      cast: (v, ctx) => (ctx.header || ctx.column === 'key' ? v : Number(v)),
    });
    expect(records).toEqual(json.rows);
    expect(csv.stderr).toContain('mystery-model (1)');
  });
});

describe('bad arguments', () => {
  it.each([
    [['--by', 'fortnight'], /--by must be one of model, day, week, month, project, branch, session, entrypoint, class/],
    [['--since', '2026031'], /--since must be a date YYYY-MM-DD, not "2026031"/],
    [['--since', '2026-02-30'], /--since must be a date YYYY-MM-DD/],
    [['--until', 'yesterday'], /--until must be a date YYYY-MM-DD/],
    [['--since', '2026-03-05', '--until', '2026-03-01'], /--since \(2026-03-05\) is after --until/],
    [['--class', 'robots'], /--class must be one of programmatic, interactive, unknown or all/],
    [['--json', '--csv'], /Choose one of --json and --csv/],
  ])('%j exits 2 with one sentence', async (args, message) => {
    const r = await report(...args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('an unknown --tz exits 2', async () => {
    const r = await runCli(['report', '--db', dbPath, '--claude-dir', root, '--tz', 'Mars/Olympus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Unknown time zone/);
  });
});

describe('unpriced requests', () => {
  it('are priced by the report as soon as a price file knows their model', async () => {
    const copy = path.join(path.dirname(dbPath), 'copy.db');
    copyFileSync(dbPath, copy);
    const prices = path.join(path.dirname(dbPath), 'prices.json');
    const rates = { input: 1000, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, output: 100 };
    writeFileSync(prices, JSON.stringify({ models: [{ id: 'mystery-model', rates }] }));
    const run = (...extra: string[]) => runCli(['report', '--json', '--db', copy, '--claude-dir', root, ...extra]);
    expect(JSON.parse((await run()).stdout).unpriced).toEqual([{ model: 'mystery-model', requests: 1 }]);
    const priced = JSON.parse((await run('--prices', prices)).stdout);
    expect(priced.unpriced).toEqual([]);
    // 3 input at $1000/M + 30 output at $100/M = 0.006
    expect(priced.rows.find((r: { key: string }) => r.key === 'mystery-model')).toMatchObject({
      cost: 0.006,
      unpricedRequests: 0,
    });
    expect(priced.totals.unpricedRequests).toBe(0);
    // Another table is in use, so every stored cost was computed again from its tokens: the rows
    // still add up to the total.
    const rowSum = priced.rows.reduce((sum: number, r: { cost: number }) => sum + r.cost, 0);
    expect(Math.abs(priced.totals.cost - rowSum)).toBeLessThan(1e-6);
  });
});
