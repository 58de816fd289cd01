import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolateHome, runCli } from '../helpers/run-cli.js';
import { openDatabase } from '../../src/store/database.js';
import { totals } from '../../src/store/queries.js';
import { parseReportFlags, reportFilter } from '../../src/commands/report-options.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const realLogs = (name: string): string => path.resolve(repoRoot, '../shared/real-logs', name);

describe.runIf(existsSync(realLogs('margin')))('exports of the real transcripts', () => {
  let home: string;
  let out: string;
  beforeAll(() => {
    home = isolateHome();
    out = mkdtempSync(path.join(tmpdir(), 'cm-real-'));
  });
  afterAll(() => {
    rmSync(home, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  });

  it('margin: the JSON snapshot carries the $0.030775 programmatic spend of the cycle starting 2026-08-15', async () => {
    const args = [
      '--claude-dir',
      realLogs('margin'),
      '--db',
      path.join(home, 'margin.db'),
      '--plan',
      'pro',
      '--cycle-start-day',
      '15',
      '--tz',
      'UTC',
    ];
    const r = await runCli(['export', '--format', 'json', '--out', '-', '--now', '2026-08-25T00:00:00Z', ...args]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as {
      status: { cycle: { start: string }; programmatic: { cost: number; requests: number } };
      totals: { cost: number; requests: number };
      provenance: { coverage: { requests: number; files: number }; roots: string[] };
    };
    expect(json.status.cycle.start.slice(0, 10)).toBe('2026-08-15');
    expect(json.status.programmatic).toEqual({ cost: 0.030775, requests: 2 });
    expect(json.totals).toMatchObject({ cost: 0.030775, requests: 2 });
    expect(json.provenance.coverage).toMatchObject({ requests: 2, files: 1 });
    expect(json.provenance.roots).toEqual([realLogs('margin')]);
  });

  it('all three roots: the per-request CSV sums to the reference $54.590879 over 1,103 requests', async () => {
    const args = ['--db', path.join(home, 'all.db'), '--tz', 'UTC', '--cycle-start-day', '1'];
    for (const name of ['spotter', 'margin', 'claude-code-viewer']) args.push('--claude-dir', realLogs(name));
    // One CSV per cycle that holds requests, so every stored request is counted once.
    const keys = new Set<string>();
    let cost = 0;
    for (const day of [
      '2025-08-01',
      '2025-09-01',
      '2025-10-01',
      '2025-11-01',
      '2025-12-01',
      '2026-01-01',
      '2026-02-01',
      '2026-03-01',
      '2026-04-01',
      '2026-05-01',
      '2026-06-01',
      '2026-07-01',
      '2026-08-01',
    ]) {
      const file = path.join(out, `${day}.csv`);
      const r = await runCli([
        'export',
        '--format',
        'csv',
        '--cycle',
        day,
        '--now',
        '2026-11-01T00:00:00Z',
        '--out',
        file,
        ...args,
      ]);
      expect(r.code, r.stderr).toBe(0);
      const rows = parse(readFileSync(file, 'utf8'), { columns: true }) as Array<Record<string, string>>;
      for (const row of rows) {
        keys.add(row.key!);
        cost += Number(row.cost_usd || 0);
      }
    }
    expect(keys.size).toBe(1103);
    expect(Math.abs(cost - 54.590879)).toBeLessThanOrEqual(5e-7);
  });

  it('spotter: the per-request CSV cost column sums to the report total within 1e-9', async () => {
    const db = path.join(home, 'spotter.db');
    const args = ['--claude-dir', realLogs('spotter'), '--db', db, '--tz', 'UTC', '--cycle-start-day', '1'];
    const file = path.join(out, 'spotter.csv');
    const r = await runCli([
      'export',
      '--format',
      'csv',
      '--cycle',
      '2026-02-01',
      '--now',
      '2026-03-01T00:00:00Z',
      '--out',
      file,
      ...args,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const rows = parse(readFileSync(file, 'utf8'), { columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(904);
    const csvSum = rows.reduce((s, row) => s + Number(row.cost_usd || 0), 0);

    const flags = { since: '2026-02-01', until: '2026-02-28' };
    const report = await runCli(['report', '--json', '--since', flags.since, '--until', flags.until, ...args]);
    expect(report.code, report.stderr).toBe(0);
    const doc = JSON.parse(report.stdout) as { totals: { cost: number; requests: number } };
    expect(doc.totals.requests).toBe(904);
    // The report's own total before its 6-decimal JSON rounding, from the same filter it uses.
    const store = openDatabase(db, { readonly: true });
    const exact = totals(store, reportFilter(parseReportFlags(flags), 'UTC')).cost;
    store.close();
    expect(Math.abs(csvSum - exact)).toBeLessThan(1e-9);
    expect(Math.abs(csvSum - doc.totals.cost)).toBeLessThanOrEqual(5e-7);
    expect(Math.abs(csvSum - 51.742581)).toBeLessThanOrEqual(5e-7);
  });
});
