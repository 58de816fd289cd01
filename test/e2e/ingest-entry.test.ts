/**
 * The binary's `ingest` with nothing new answers from its snapshot with the full command's text,
 * and every argument the short way does not take still reaches the program (same messages, same
 * exit codes).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, cliPath, repo } from './build-cli.js';

beforeAll(() => buildCli(), 120_000);

describe('ingest entry', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cm-ingest-entry-'));
  const root = path.join(dir, 'claude');
  cpSync(path.join(repo, 'fixtures', 'cases', 'pricing-features'), root, { recursive: true });
  const config = path.join(dir, 'config.json');
  writeFileSync(config, '{}');
  const db = path.join(dir, 'usage.db');
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [cliPath, ...args, '--claude-dir', root, '--db', db, '--config', config], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', XDG_CONFIG_HOME: dir, XDG_DATA_HOME: dir },
    });
  const noDuration = (s: string): string => s.replace(/ in \d+\.\d\d s\./, '');

  it('prints the same summary from the snapshot as the full run did', () => {
    expect(run('ingest').stdout).toMatch(/Read 1 of 1 files/);
    const full = run('ingest');
    expect(existsSync(`${db}-ingest.json`)).toBe(true);
    const short = run('ingest');
    expect(short.status).toBe(0);
    expect(noDuration(short.stdout)).toBe(noDuration(full.stdout));
    const json = run('ingest', '--json');
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ filesRead: 0, files: 1, store: { requests: 7 } });
  });

  it.each([
    [['--json', 'ingest'], 2, /unknown option '--json'/],
    [['ingest', '--plan', 'bogus'], 2, /bogus/],
    [['ingest', 'extra'], 2, /too many arguments|unknown command|extra/],
  ])('%j is the program’s to answer', (args, code, message) => {
    const r = run(...(args as string[]));
    expect(r.status).toBe(code);
    expect(r.stderr).toMatch(message as RegExp);
  });
});
