/**
 * Several creditmeter processes on one database, as users run them: two first runs at once on a
 * new store, and a reader (status, report) while another process is catching up.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, cliPath } from './build-cli.js';
import { generateHistory } from '../../src/demo/index.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, ...args], { env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let dir = '';
let root = '';
let config = '';

beforeAll(async () => {
  buildCli();
  dir = mkdtempSync(path.join(tmpdir(), 'cm-conc-'));
  root = path.join(dir, 'root');
  config = path.join(dir, 'config.json');
  writeFileSync(config, '{}');
  await generateHistory({
    outDir: root,
    seed: 7,
    startMs: Date.UTC(2026, 9, 1),
    endMs: Date.UTC(2026, 10, 1),
    targetBytes: 40e6,
  });
}, 120_000);

describe('several processes on one database', () => {
  it('two first runs at once on a new database both succeed and store the same totals', async () => {
    for (let trial = 0; trial < 3; trial++) {
      const db = path.join(dir, `new-${trial}.db`);
      const args = ['ingest', '--json', '--claude-dir', root, '--db', db, '--config', config];
      const [a, b] = await Promise.all([cli(args), cli(args)]);
      expect(a.stderr).toBe('');
      expect(b.stderr).toBe('');
      expect([a.code, b.code]).toEqual([0, 0]);
      const check = await cli([
        'report',
        '--json',
        '--by',
        'class',
        '--claude-dir',
        root,
        '--db',
        db,
        '--config',
        config,
      ]);
      const cold = await cli([
        'report',
        '--json',
        '--by',
        'class',
        '--claude-dir',
        root,
        '--db',
        path.join(dir, `cold-${trial}.db`),
        '--config',
        config,
      ]);
      expect(JSON.parse(check.stdout).totals).toEqual(JSON.parse(cold.stdout).totals);
    }
  }, 180_000);

  it('status and report work while another process catches up', async () => {
    const db = path.join(dir, 'shared.db');
    const flags = ['--claude-dir', root, '--db', db, '--config', config, '--tz', 'UTC'];
    const ingest = cli(['ingest', ...flags]);
    await new Promise((r) => setTimeout(r, 150));
    const [status, report] = await Promise.all([
      cli(['status', '--json', ...flags]),
      cli(['report', '--json', ...flags]),
    ]);
    const done = await ingest;
    for (const r of [done, status, report]) {
      expect(r.stderr).not.toMatch(/locked|busy|Error/);
      expect(r.code).toBe(0);
    }
    expect(JSON.parse(status.stdout).cycle).toBeDefined();
    expect(JSON.parse(report.stdout).totals.requests).toBeGreaterThan(0);
  }, 180_000);
});
