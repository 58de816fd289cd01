/**
 * The built CLI in a real terminal (tmux) when the system runs out of file watches: run in a user
 * namespace of its own whose inotify limit (/proc/sys/user/max_inotify_watches) is 2, so chokidar's
 * watches really fail with ENOSPC, without lowering the limit for anything else on the machine.
 * The dashboard and serve must say so, read new lines anyway (every 2 s), and quit as usual.
 */
import { spawn, spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, cliPath } from './build-cli.js';
import { assistantLine, defaultSessions, writeTree } from '../ui/fixture.js';
import { endedWith, hasTmux, sleep, tmuxServer } from '../helpers/tmux.js';

/** Sets the inotify limit of the user namespace the shell runs in (run under `unshare --user`). */
const LIMIT_WATCHES = 'echo 2 > /proc/sys/user/max_inotify_watches';
/** A user namespace can be made here and its inotify limit set (not on every machine or container). */
const limitInNamespace = spawnSync('unshare', ['--user', '--map-root-user', 'sh', '-c', LIMIT_WATCHES]).status === 0;
const server = tmuxServer('watch-limit');
const { tmux } = server;
let dir = '';

const waitScreen = (test: (s: string) => boolean, timeoutMs: number): Promise<string> =>
  server.waitScreen('limit', test, timeoutMs);

describe.skipIf(!hasTmux || !limitInNamespace)('dashboard out of file watches (built CLI)', () => {
  beforeAll(() => {
    buildCli();
    dir = mkdtempSync(join(tmpdir(), 'creditmeter-limit-'));
  });
  afterAll(() => {
    server.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('says the limit is reached, with the setting to raise, and still shows appended lines', async () => {
    const root = join(dir, 'claude');
    const fileOf = writeTree(root, defaultSessions(), Date.now());
    const exitFile = join(dir, 'exit.txt');
    const script = join(dir, 'run.sh');
    writeFileSync(
      script,
      [
        `${LIMIT_WATCHES} || exit 9`,
        `cd ${dir}`,
        `CREDITMETER_CONFIG=${join(dir, 'none.json')} XDG_DATA_HOME=${join(dir, 'data')} node ${cliPath} ` +
          `--claude-dir ${root} --db ${join(dir, 'usage.db')} --tz UTC --plan max5x`,
        `echo EXIT=$? > ${exitFile}`,
        'sleep 30',
      ].join('\n'),
    );
    tmux('new-session', '-d', '-s', 'limit', '-x', '100', '-y', '30', `unshare --user --map-root-user sh ${script}`);

    const first = await waitScreen((s) => s.includes('● live (checked every 2 s)'), 60_000);
    expect(first.replace(/\n/g, ' ')).toMatch(
      /The system limit of file watches is reached \(fs\.inotify\.max_user_watches\)/,
    );
    expect(first).toContain('claude-opus-4-7');
    expect(first).not.toContain('claude-haiku-4-5');

    const s = { id: 'sess-beta', project: '/work/beta', requests: [] };
    appendFileSync(
      fileOf('sess-beta'),
      `${assistantLine(s, { model: 'claude-haiku-4-5-20251001', entrypoint: 'sdk-ts', hoursAgo: 0 }, Date.now())}\n`,
    );
    const after = await waitScreen((sc) => /^[ ▸] claude-haiku-4-5-20251001 .*\$\d/m.test(sc), 15_000);
    expect(after).toMatch(/haiku-4-5 +prog +\/work\/beta/);

    tmux('send-keys', '-t', 'limit', 'q');
    expect(await endedWith(exitFile)).toBe('EXIT=0');
  }, 120_000);

  it('serve says it once and still stores lines appended to local transcripts', async () => {
    const root = join(dir, 'claude-serve');
    const fileOf = writeTree(root, defaultSessions(), Date.now());
    const db = join(dir, 'serve.db');
    const script = join(dir, 'serve.sh');
    writeFileSync(
      script,
      [
        `${LIMIT_WATCHES} || exit 9`,
        `exec env CREDITMETER_CONFIG=${join(dir, 'none.json')} node ${cliPath} serve --listen 127.0.0.1:0 ` +
          `--claude-dir ${root} --db ${db}`,
      ].join('\n'),
    );
    const child = spawn('unshare', ['--user', '--map-root-user', 'sh', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      const start = Date.now();
      while (!out.includes('max_user_watches') && Date.now() - start < 30_000) await sleep(100);
      expect(out.replace(/\s+/g, ' ')).toMatch(/creditmeter: the system limit of file watches is reached/);
      const s = { id: 'sess-beta', project: '/work/beta', requests: [] };
      const line = assistantLine(
        s,
        { model: 'claude-haiku-4-5-20251001', entrypoint: 'sdk-ts', hoursAgo: 0 },
        Date.now(),
      );
      appendFileSync(fileOf('sess-beta'), `${line}\n`);
      const key = (JSON.parse(line) as { message: { id: string } }).message.id;
      const stored = (): number => {
        const d = new Database(db, { readonly: true });
        try {
          return (d.prepare('SELECT COUNT(*) AS n FROM requests WHERE message_id = ?').get(key) as { n: number }).n;
        } finally {
          d.close();
        }
      };
      const waitFrom = Date.now();
      while (stored() === 0 && Date.now() - waitFrom < 15_000) await sleep(200);
      expect(stored()).toBe(1);
      expect(out.match(/limit of file watches/g)).toHaveLength(1);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(out).toMatch(/stopped on SIGINT/);
  }, 60_000);
});
