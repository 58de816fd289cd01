/**
 * Paths that are not plain files: a device (`/dev/null`), a FIFO, a symbolic link. A store, an
 * export or a config file is never written in place of a device or a pipe (as root that would
 * replace /dev/null), and one reached through a link is written where the link points, the link kept.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { statusLine } from '../../src/commands/statusline.js';
import { openDatabase } from '../../src/store/database.js';
import { isolateHome, runCli } from '../helpers/run-cli.js';

let dir = '';
let root = '';
const line = (id: string): string =>
  JSON.stringify({
    type: 'assistant',
    uuid: `u-${id}`,
    timestamp: '2026-12-01T10:00:00.000Z',
    sessionId: 's1',
    cwd: '/x',
    entrypoint: 'sdk-cli',
    requestId: `r-${id}`,
    message: { id: `m-${id}`, model: 'claude-sonnet-4-5', usage: { input_tokens: 1000, output_tokens: 1000 } },
  });

beforeAll(() => {
  dir = isolateHome();
  root = path.join(dir, 'claude');
  mkdirSync(path.join(root, 'projects', 'p'), { recursive: true });
  writeFileSync(path.join(root, 'projects', 'p', 's.jsonl'), `${line('1')}\n${line('2')}\n`);
});

const charDevice = (p: string): boolean => statSync(p).isCharacterDevice();

describe('a device or a pipe as a path', () => {
  it('--db /dev/null is refused by every command, and left a device', async () => {
    // (--rebuild is tried on a FIFO below: a test must not risk /dev/null itself on a broken build.)
    for (const args of [['status'], ['ingest'], ['report']]) {
      const r = await runCli([...args, '--db', '/dev/null', '--claude-dir', root]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/The database path \/dev\/null is a character device, not a file/);
    }
    expect(charDevice('/dev/null')).toBe(true);
    expect(existsSync('/dev/null-journal')).toBe(false);
    const hook = new PassThrough();
    hook.end('{}');
    const shown = await statusLine({ db: '/dev/null', claudeDir: [root] }, hook as unknown as NodeJS.ReadStream, {});
    expect(shown).toMatch(/\/dev\/null is a character device, not a file/);
    expect(existsSync('/dev/null-official.json')).toBe(false);
  });

  it('--rebuild on a FIFO answers at once and leaves it a FIFO', async () => {
    const fifo = path.join(dir, 'store.fifo');
    execFileSync('mkfifo', [fifo]);
    const r = await runCli(['ingest', '--rebuild', '--db', fifo, '--claude-dir', root]);
    expect([r.code, r.stderr]).toEqual([2, expect.stringMatching(/is a FIFO \(named pipe\), not a file/)]);
    expect(statSync(fifo).isFIFO()).toBe(true);
  });

  it('export --out a device, even with --force, is refused and names --out -', async () => {
    const db = ['--db', path.join(dir, 'export.db'), '--claude-dir', root];
    const r = await runCli(['export', '--format', 'md', '--out', '/dev/null', '--force', ...db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\/dev\/null is a character device, not a file: it was left as it is\. Pass --out - /);
    expect(charDevice('/dev/null')).toBe(true);
  });

  it('config set --config /dev/null is refused, and the device left', async () => {
    const r = await runCli(['config', 'set', 'plan', 'max5x', '--config', '/dev/null']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/The config file \/dev\/null is not a plain file/);
    expect(charDevice('/dev/null')).toBe(true);
  });
});

describe('a symbolic link as a path', () => {
  it('--rebuild through a link rebuilds the store it points to and keeps the link', async () => {
    const real = path.join(dir, 'real.db');
    const link = path.join(dir, 'link.db');
    symlinkSync(real, link);
    expect((await runCli(['ingest', '--db', link, '--claude-dir', root])).code).toBe(0);
    const r = await runCli(['ingest', '--rebuild', '--db', link, '--claude-dir', root]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    const db = openDatabase(real);
    expect(db.prepare('SELECT COUNT(*) FROM requests').pluck().get()).toBe(2);
    db.close();
  });

  it('export --force through a link replaces the file it points to', async () => {
    const target = path.join(dir, 'snap-target.md');
    const link = path.join(dir, 'snap.md');
    writeFileSync(target, 'old');
    symlinkSync(target, link);
    const r = await runCli([
      'export',
      '--format',
      'md',
      '--out',
      link,
      '--force',
      '--db',
      path.join(dir, 'e2.db'),
      '--claude-dir',
      root,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toMatch(/^# creditmeter snapshot/);
  });

  it('a store named through a link keeps its side files beside the file it leads to', async () => {
    const real = path.join(dir, 'side-real.db');
    const link = path.join(dir, 'side-link.db');
    symlinkSync(real, link);
    expect((await runCli(['ingest', '--db', link, '--claude-dir', root])).code).toBe(0);
    expect(existsSync(`${real}-dirs.json`)).toBe(true);
    expect(existsSync(`${link}-dirs.json`)).toBe(false);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it('config set through a link to a file not made yet writes that file', async () => {
    mkdirSync(path.join(dir, 'dot'));
    const link = path.join(dir, 'config-ahead.json');
    symlinkSync(path.join('dot', 'creditmeter.json'), link);
    const r = await runCli(['config', 'set', 'credit', '150', '--config', link]);
    expect(r.code, r.stderr).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(path.join(dir, 'dot', 'creditmeter.json'), 'utf8'))).toEqual({ credit: 150 });
  });

  it('config set through a link writes the file it points to', async () => {
    const real = path.join(dir, 'dotfiles-config.json');
    const link = path.join(dir, 'config-link.json');
    writeFileSync(real, '{}');
    symlinkSync(real, link);
    const r = await runCli(['config', 'set', 'plan', 'max5x', '--config', link]);
    expect(r.code, r.stderr).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(real, 'utf8'))).toEqual({ plan: 'max5x' });
  });
});
