/** The built CLI with no terminal: the default command prints the status summary and exits 0. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCli, cliPath } from './build-cli.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSessions, writeTree } from '../ui/fixture.js';

let dir = '';

function run(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync('node', [cliPath, ...args], {
    encoding: 'utf8',
    env: { ...process.env, CREDITMETER_CONFIG: join(dir, 'none.json'), NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('dashboard without a terminal (built CLI)', () => {
  beforeAll(() => {
    buildCli();
    dir = mkdtempSync(join(tmpdir(), 'creditmeter-pipe-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the status summary of the fixture tree', () => {
    const root = join(dir, 'claude');
    writeTree(root, defaultSessions(), Date.now());
    const common = ['--claude-dir', root, '--db', join(dir, 'a.db'), '--tz', 'UTC', '--plan', 'max5x'];
    // `status` just before and just after: the forecast follows the clock (the rest of today's
    // quarter hour), so a cent of it may move between two runs a few hundred ms apart.
    const before = run(['status', ...common]);
    const r = run(common);
    const after = run(['status', ...common]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('$100.00');
    expect(r.stdout).toContain('claude-opus-4-7');
    expect(r.stdout).not.toContain('\u001b[');
    // The same summary as `status`, line for line (nothing dropped, no blank line added).
    expect([before.stdout, after.stdout]).toContain(r.stdout);
  });

  it('says where it looked and how to point elsewhere when no transcripts exist', () => {
    const empty = join(dir, 'empty-root');
    mkdirSync(empty);
    const r = run(['--claude-dir', empty, '--db', join(dir, 'b.db'), '--tz', 'UTC']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('No Claude Code transcripts found.');
    expect(r.stderr).toContain(join(empty, 'projects'));
    expect(r.stderr).toContain('--claude-dir DIR');
    expect(r.stderr).toContain('CLAUDE_CONFIG_DIR');
    expect(r.stderr).toContain('creditmeter --demo');
  });
});
