/** The status line never breaks the prompt: whatever the flags and wherever they stand, exit 0. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, cliPath } from './build-cli.js';

beforeAll(() => buildCli(), 120_000);

describe('statusline entry', () => {
  it.each([
    [['statusline', '--plan', 'bogus']],
    [['--plan', 'bogus', 'statusline']],
    [['--db', 'DB', 'statusline', '--tz', 'Mars/Base']],
  ])('%j prints one line and exits 0', (args) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cm-sl-'));
    const config = path.join(dir, 'config.json');
    writeFileSync(config, '{}');
    const argv = args.map((a) => (a === 'DB' ? path.join(dir, 'usage.db') : a));
    const r = spawnSync(process.execPath, [cliPath, ...argv, '--config', config], {
      input: '{}',
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toMatch(/^creditmeter: /);
  });

  it('says what is wrong when a flag ends the line without its value, and what mends a damaged store', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cm-sl-'));
    const config = path.join(dir, 'config.json');
    writeFileSync(config, '{}');
    const run = (...argv: string[]): string =>
      spawnSync(process.execPath, [cliPath, 'statusline', '--config', config, ...argv], {
        input: '{}',
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
      }).stdout.trim();
    expect(run('--db')).toBe("creditmeter: option '--db <file>' argument missing");
    const damaged = path.join(dir, 'damaged.db');
    writeFileSync(damaged, Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(8192, 7)]));
    expect(run('--db', damaged)).toBe(
      'creditmeter: the store is damaged · run `creditmeter status --rebuild` with the same --db',
    );
  });
});
