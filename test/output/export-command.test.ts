import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW_ISO, writeTree } from './fixture-store.js';
import { isolateHome, runCli } from '../helpers/run-cli.js';

describe('creditmeter export', () => {
  let home: string;
  let base: string[];
  beforeAll(() => {
    home = isolateHome();
    const root = join(home, 'claude');
    writeTree(root);
    base = [
      '--claude-dir',
      root,
      '--db',
      join(home, 'usage.db'),
      '--tz',
      'America/New_York',
      '--plan',
      'custom',
      '--credit',
      '2',
      '--cycle-start-day',
      '15',
    ];
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));
  const exportDir = (): string => join(home, 'data', 'creditmeter', 'exports');

  it('catches up, writes a timestamped file in the export folder and prints its path', async () => {
    const r = await runCli(['export', '--format', 'md', '--now', NOW_ISO, ...base]);
    expect(r.code).toBe(0);
    const path = r.stdout.trim();
    expect(dirname(path)).toBe(exportDir());
    expect(basename(path)).toMatch(/^creditmeter-2026-08-15-\d{8}-\d{6}\.md$/);
    expect(readFileSync(path, 'utf8')).toContain('## Credit');
  });

  it('takes a session by the start of its id, as the dashboard shows it, and says when a drill matches nothing', async () => {
    const full = await runCli([
      'export',
      '--out',
      '-',
      '--session',
      'aaaaaaaa-0000-4000-8000-000000000001',
      '--now',
      NOW_ISO,
      ...base,
    ]);
    const short = await runCli(['export', '--out', '-', '--session', 'aaaaaaaa', '--now', NOW_ISO, ...base]);
    expect(short.code, short.stderr).toBe(0);
    expect(short.stderr).toBe('');
    const rows = (text: string): unknown => (JSON.parse(text) as { rows: unknown }).rows;
    expect(rows(short.stdout)).toEqual(rows(full.stdout));
    expect((JSON.parse(short.stdout) as { view: { drill: { sessionId?: string } } }).view.drill.sessionId).toBe(
      'aaaaaaaa-0000-4000-8000-000000000001',
    );
    const none = await runCli([
      'export',
      '--out',
      '-',
      '--session',
      '11111111',
      '--model',
      'nope',
      '--now',
      NOW_ISO,
      ...base,
    ]);
    expect(none.code).toBe(0);
    expect(none.stderr).toMatch(/no stored request matches --model nope and --session 11111111/);
    // Several sessions start so (here: every one): a usage error naming them.
    const several = await runCli(['export', '--out', '-', '--session', '', '--now', NOW_ISO, ...base]);
    expect(several.code).toBe(2);
    expect(several.stderr).toMatch(
      /--session  starts more than five sessions' ids|--session  starts \d sessions' ids \(aaaaaaaa-/,
    );
  });

  it('takes a model by the id prices list (without its date), and says when --filter matches nothing', async () => {
    const rowsOf = (text: string) => JSON.parse(text) as { rows: unknown[]; view: { drill: { model?: string } } };
    const dated = await runCli([
      'export',
      '--out',
      '-',
      '--model',
      'claude-sonnet-4-5-20250929',
      '--now',
      NOW_ISO,
      ...base,
    ]);
    const plain = await runCli(['export', '--out', '-', '--model', 'claude-sonnet-4-5', '--now', NOW_ISO, ...base]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stderr).toBe('');
    expect(rowsOf(plain.stdout).rows).toEqual(rowsOf(dated.stdout).rows);
    expect(rowsOf(plain.stdout).view.drill.model).toBe('claude-sonnet-4-5-20250929');
    // In any case: model ids are lower case.
    const upper = await runCli(['export', '--out', '-', '--model', 'CLAUDE-Sonnet-4-5', '--now', NOW_ISO, ...base]);
    expect(upper.stderr).toBe('');
    expect(rowsOf(upper.stdout).rows).toEqual(rowsOf(dated.stdout).rows);
    // Only a date completes a model's id: claude-sonnet-4 is not claude-sonnet-4-5.
    const prefix = await runCli(['export', '--out', '-', '--model', 'claude-sonnet-4', '--now', NOW_ISO, ...base]);
    expect(prefix.stderr).toMatch(/no stored request matches --model claude-sonnet-4:/);
    const nothing = await runCli(['export', '--out', '-', '--filter', 'nomatch', '--now', NOW_ISO, ...base]);
    expect(nothing.code).toBe(0);
    expect(nothing.stderr).toMatch(/no stored request matches --filter nomatch:/);
    const some = await runCli(['export', '--out', '-', '--filter', 'HAIKU', '--now', NOW_ISO, ...base]);
    expect(some.stderr).toBe('');
  });

  it('names the logs folder by its whole path in the provenance, also when given relative', async () => {
    const relativeBase = [...base];
    relativeBase[1] = relative(process.cwd(), join(home, 'claude'));
    expect(relativeBase[1]).not.toMatch(/^\//);
    const r = await runCli(['export', '--format', 'json', '--out', '-', '--now', NOW_ISO, ...relativeBase]);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { provenance: { roots: string[] } }).provenance.roots).toEqual([
      join(home, 'claude'),
    ]);
  });

  it('never replaces an earlier default-named export', async () => {
    const before = readdirSync(exportDir()).length;
    const a = await runCli(['export', '--format', 'json', '--now', NOW_ISO, ...base]);
    const b = await runCli(['export', '--format', 'json', '--now', NOW_ISO, ...base]);
    expect(a.stdout.trim()).not.toBe(b.stdout.trim());
    expect(readdirSync(exportDir())).toHaveLength(before + 2);
    expect(readdirSync(exportDir()).filter((n) => n.endsWith('.tmp') || n.startsWith('.'))).toEqual([]);
  });

  it('refuses an existing --out (exit 2) unless --force', async () => {
    const out = join(home, 'out', 'snap.html');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, 'mine');
    const refused = await runCli(['export', '--format', 'html', '--out', out, '--now', NOW_ISO, ...base]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/already exists.*--force/);
    expect(readFileSync(out, 'utf8')).toBe('mine');
    const forced = await runCli(['export', '--format', 'html', '--out', out, '--force', '--now', NOW_ISO, ...base]);
    expect(forced.code).toBe(0);
    expect(forced.stdout.trim()).toBe(out);
    expect(readFileSync(out, 'utf8')).toMatch(/^<!DOCTYPE html>/);
    expect(readdirSync(dirname(out))).toEqual(['snap.html']);
  });

  it('says in one sentence why an --out path cannot be written (exit 1), leaving no temp file', async () => {
    const blocker = join(home, 'not-a-folder');
    writeFileSync(blocker, 'x');
    const r = await runCli(['export', '--format', 'md', '--out', join(blocker, 'snap.md'), '--now', NOW_ISO, ...base]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      `creditmeter: Could not write the snapshot to ${join(blocker, 'snap.md')}: a part of the path is not a folder. Choose another --out.`,
    );
    expect(readFileSync(blocker, 'utf8')).toBe('x');
  });

  it('puts a timestamped file inside an --out folder', async () => {
    const folder = join(home, 'reports');
    mkdirSync(folder);
    const r = await runCli(['export', '--format', 'csv', '--by', 'day', '--out', folder, '--now', NOW_ISO, ...base]);
    expect(r.code).toBe(0);
    expect(dirname(r.stdout.trim())).toBe(folder);
    expect(readFileSync(r.stdout.trim(), 'utf8').split('\r\n')[0]).toMatch(/^day,requests,/);
  });

  it('prints to stdout with --out -', async () => {
    const r = await runCli([
      'export',
      '--format',
      'json',
      '--out',
      '-',
      '--class',
      'programmatic',
      '--cycle',
      'previous',
      '--now',
      NOW_ISO,
      ...base,
    ]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { view: { classFilter: string }; status: { cycle: { start: string } } };
    expect(json.view.classFilter).toBe('programmatic');
    expect(json.status.cycle.start.slice(0, 10)).toBe('2026-07-15');
  });

  it('groups by week and by month as report does, in every format', async () => {
    const out = async (args: string[]): Promise<string> => {
      const r = await runCli(['export', '--out', '-', '--now', NOW_ISO, ...args, ...base]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      return r.stdout;
    };
    // The view's days, rolled up here by Monday-weeks and by months, are what the export's periods hold.
    const snap = JSON.parse(await out(['--format', 'json'])) as {
      totals: { requests: number };
      byDay: { key: string; requests: number }[];
    };
    expect(snap.totals.requests).toBeGreaterThan(0);
    const rollUp = (period: (day: string) => string): [string, number][] => {
      const m = new Map<string, number>();
      for (const d of snap.byDay) m.set(period(d.key), (m.get(period(d.key)) ?? 0) + d.requests);
      return [...m].sort((a, b) => a[0].localeCompare(b[0]));
    };
    const mondayOf = (day: string): string => {
      const t = new Date(`${day}T12:00:00Z`);
      t.setUTCDate(t.getUTCDate() - ((t.getUTCDay() + 6) % 7));
      return t.toISOString().slice(0, 10);
    };
    const expected = { week: rollUp(mondayOf), month: rollUp((d) => d.slice(0, 7)) };
    for (const by of ['week', 'month'] as const) {
      const csv = (await out(['--format', 'csv', '--by', by])).trim().split('\r\n');
      expect(csv[0]).toMatch(new RegExp(`^${by},requests,`));
      const rows = csv.slice(1).map((l) => l.split(','));
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.map((c) => [c[0], Number(c[1])])).toEqual(expected[by]);
      const json = JSON.parse(await out(['--format', 'json', '--by', by])) as Record<string, unknown> & {
        view: { grouping: string };
      };
      expect(json.view.grouping).toBe(by);
      const key = by === 'week' ? 'byWeek' : 'byMonth';
      expect((json[key] as { key: string }[]).map((r) => r.key)).toEqual(rows.map((c) => c[0]));
      expect(await out(['--format', 'md', '--by', by])).toContain(`By ${by}`);
      expect(await out(['--format', 'html', '--by', by])).toContain(`<section id="by-${by}">`);
    }
    expect(expected.week.length).toBeGreaterThan(1);
  });

  it('says whether unknown-class spend counts against the credit, as the config has it', async () => {
    const md = async (extra: string[]): Promise<string> => {
      const r = await runCli(['export', '--format', 'md', '--out', '-', '--now', NOW_ISO, ...extra, ...base]);
      expect(r.code).toBe(0);
      return r.stdout;
    };
    expect(await md([])).toContain('| Unknown class (no class signal; not charged to the credit) |');
    // No telemetry in this store: no tables of who ran the requests.
    expect(await md([])).not.toContain('Top workflows');
    const config = join(home, 'count-unknown.json');
    writeFileSync(config, JSON.stringify({ countUnknown: true }));
    const counted = await md(['--config', config]);
    expect(counted).toContain('| Unknown class (counted against the credit: countUnknown) |');
    const html = await runCli([
      'export',
      '--format',
      'html',
      '--out',
      '-',
      '--now',
      NOW_ISO,
      '--config',
      config,
      ...base,
    ]);
    expect(html.stdout).toContain('counted against the credit (countUnknown)');
  });

  it('gives the HTML page a table of any other main grouping (branch)', async () => {
    const r = await runCli(['export', '--format', 'html', '--by', 'branch', '--out', '-', '--now', NOW_ISO, ...base]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('<section id="by-branch"><h2>By branch');
    expect(r.stdout).toContain('main');
  });

  it.each([
    [['--format', 'xml'], /xml/],
    [['--cycle', 'someday'], /--cycle/],
    [['--now', 'yesterday'], /--now/],
    [['--out', '/nonexistent-dir-cm/x.json'], /does not exist/],
  ])('rejects %j with exit 2', async (args, message) => {
    const r = await runCli(['export', ...args, ...base]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync('/nonexistent-dir-cm')).toBe(false);
  });
});
