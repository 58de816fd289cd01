/**
 * `npm start` on a machine without Claude Code logs and without a terminal (CI, a pipe): the app
 * runs on the bundled demo history, says so, and leaves the user's own store untouched.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, cliPath } from './build-cli.js';

beforeAll(() => buildCli(), 120_000);

describe('first run without transcripts, not on a terminal', () => {
  it('prints the demo history summary against Max 5x and creates no store in the home folder', () => {
    const home = mkdtempSync(path.join(tmpdir(), 'cm-home-'));
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, NO_COLOR: '1', TZ: 'UTC' };
    for (const k of [
      'XDG_CONFIG_HOME',
      'XDG_DATA_HOME',
      'CLAUDE_CONFIG_DIR',
      'CREDITMETER_DB',
      'CREDITMETER_CONFIG',
      'CREDITMETER_PLAN',
    ])
      delete env[k];
    const r = spawnSync(process.execPath, [cliPath], { env, encoding: 'utf8', timeout: 120_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Demo history: no Claude Code transcripts found/m);
    expect(r.stdout).toMatch(/Max 5x, credit \$100\.00/);
    const used = /Credit\s+\$([\d,.]+) of \$100\.00 used/.exec(r.stdout);
    expect(used).not.toBeNull();
    expect(Number(used![1]!.replace(/,/g, ''))).toBeGreaterThan(0);
    expect(existsSync(path.join(home, '.local', 'share', 'creditmeter', 'usage.db'))).toBe(false);
  }, 150_000);
});
