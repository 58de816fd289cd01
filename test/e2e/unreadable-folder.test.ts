/**
 * A project folder that cannot be read is warned of on every run, and read again as soon as it can
 * be: while it is closed, its parent's kept listing still names it, so a run does not pass it by
 * because the parent has not changed; a dashboard started meanwhile looks at it again until it
 * opens, then reads and watches it. The built CLI, on real folders closed with `chmod 000`, run as
 * a user the mode applies to (as root, the CLI runs as `nobody`: root reads any folder).
 */
import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  existsSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { buildCli, cliPath } from './build-cli.js';
import { hasTmux, tmuxServer } from '../helpers/tmux.js';
import { assistantLine } from '../ui/fixture.js';

const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;
/** As root, the commands run as `nobody` (setpriv in a tmux pane). */
const hasSetpriv = spawnSync('setpriv', ['--version']).status === 0;
const base = mkdtempSync(join(tmpdir(), 'cm-unreadable-'));
const server = tmuxServer('unreadable');
const opened: string[] = [];
afterAll(() => {
  server.kill();
  for (const folder of opened) if (existsSync(folder)) chmodSync(folder, 0o755);
  rmSync(base, { recursive: true, force: true });
});
beforeAll(() => buildCli(), 120_000);

const SESSION = { id: 's-unreadable', project: '/srv/app', requests: [] };
/** One programmatic request, written now (the fixture's line, with ids of its own). */
const requestLine = (): string =>
  `${assistantLine(SESSION, { model: 'claude-sonnet-4-5', entrypoint: 'sdk-cli', hoursAgo: 0 }, Date.now())}\n`;

/** Gives the folder's tree to the user the CLI runs as. */
function handOver(path: string): void {
  if (!asRoot) return;
  chownSync(path, NOBODY, NOBODY);
  for (const e of readdirSync(path, { withFileTypes: true }))
    if (e.isDirectory()) handOver(join(path, e.name));
    else chownSync(join(path, e.name), NOBODY, NOBODY);
}

/** A root with one transcript of one request in each of `folders`, its store folder, its settings. */
async function tree(name: string, folders: string[]): Promise<{ dir: string; args: string[] }> {
  const dir = join(base, name);
  for (const folder of folders) {
    mkdirSync(join(dir, 'claude', 'projects', folder), { recursive: true });
    writeFileSync(join(dir, 'claude', 'projects', folder, 's.jsonl'), requestLine());
  }
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'data', 'config.json'), '{}');
  chmodSync(base, 0o755);
  chmodSync(dir, 0o755);
  handOver(dir);
  // The folders' listings are trusted once they have been quiet for two seconds (dir-cache.ts).
  await new Promise((r) => setTimeout(r, 2200));
  const args = ['--claude-dir', join(dir, 'claude'), '--db', join(dir, 'data', 's.db')];
  return { dir, args: [...args, '--config', join(dir, 'data', 'config.json')] };
}

function run(args: string[], command: string): { stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cliPath, command, '--json', ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
  });
  expect(r.status, r.stderr).toBe(0);
  return { stdout: r.stdout, stderr: r.stderr };
}

function status(args: string[]): { requests: number; stderr: string } {
  const r = run(args, 'status');
  const report = JSON.parse(r.stdout) as { programmatic: { requests: number } };
  return { requests: report.programmatic.requests, stderr: r.stderr };
}

const close = (folder: string): void => {
  chmodSync(folder, 0o000);
  opened.push(folder);
};

describe('a project folder closed for a while', () => {
  it('is warned of on every run while closed, and read as soon as it opens again', async () => {
    const { dir, args } = await tree('commands', ['-srv-app']);
    const folder = join(dir, 'claude', 'projects', '-srv-app');
    const transcript = join(folder, 's.jsonl');
    expect(status(args).requests).toBe(1);

    appendFileSync(transcript, requestLine());
    close(folder);
    for (let i = 0; i < 3; i++) {
      const closed = status(args);
      expect(closed.requests).toBe(1);
      expect(closed.stderr).toMatch(/1 folder could not be read \(e\.g\. .*-srv-app\)/);
    }
    // Its transcript was not seen, not seen gone: the store does not call it gone.
    const store = (JSON.parse(run(args, 'ingest').stdout) as { store: { files: number; missingFiles: number } }).store;
    expect(store).toMatchObject({ files: 1, missingFiles: 0 });

    chmodSync(folder, 0o755);
    const open = status(args);
    expect(open.requests).toBe(2);
    expect(open.stderr).not.toMatch(/could not be read/);
  }, 120_000);

  it('is not counted gone while it can be listed but not entered (read without search permission)', async () => {
    const { dir, args } = await tree('listable', ['-srv-a', '-srv-b']);
    const folder = join(dir, 'claude', 'projects', '-srv-a');
    const transcript = join(folder, 's.jsonl');
    run(args, 'ingest');
    appendFileSync(transcript, requestLine());
    chmodSync(folder, 0o644);
    opened.push(folder);
    const ingest = run(args, 'ingest');
    expect(ingest.stdout).toMatch(/1 file could not be read \(e\.g\. \/.*\.jsonl\); their stored requests are kept/);
    expect((JSON.parse(ingest.stdout) as { store: unknown }).store).toMatchObject({ files: 2, missingFiles: 0 });
    chmodSync(folder, 0o755);
    expect(status(args).requests).toBe(3);
  }, 120_000);

  it('is counted gone once it is deleted while closed', async () => {
    const { dir, args } = await tree('deleted', ['-srv-a', '-srv-b']);
    const folder = join(dir, 'claude', 'projects', '-srv-a');
    run(args, 'ingest');
    close(folder);
    for (let i = 0; i < 2; i++) expect(status(args).stderr).toMatch(/could not be read/);
    rmSync(folder, { recursive: true, force: true });
    const files = (): unknown => (JSON.parse(run(args, 'ingest').stdout) as { store: unknown }).store;
    // Its request is kept, and its transcript counted as no longer on disk, run after run.
    for (let i = 0; i < 2; i++) expect(files()).toMatchObject({ files: 2, missingFiles: 1, requests: 2 });
  }, 120_000);

  it.skipIf(!hasTmux || (asRoot && !hasSetpriv))(
    'is read by a dashboard started while it was closed, once it opens, and watched from then on',
    async () => {
      const { dir, args } = await tree('dashboard', ['-srv-a', '-srv-b']);
      const folder = join(dir, 'claude', 'projects', '-srv-a');
      const transcript = join(folder, 's.jsonl');
      run(args, 'ingest');
      appendFileSync(transcript, requestLine());
      close(folder);
      const as = asRoot ? `setpriv --reuid=${NOBODY} --regid=${NOBODY} --clear-groups ` : '';
      const cmd = `cd ${dir} && ${as}env HOME=${dir} node ${cliPath} ${args.join(' ')} --tz UTC; sleep 30`;
      server.tmux('new-session', '-d', '-s', 'dash', '-x', '120', '-y', '40', cmd);
      await server.waitScreen('dash', (s) => s.includes('● live') && s.includes('could not be read'), 60_000);
      const stored = (): number => {
        const db = new Database(join(dir, 'data', 's.db'), { readonly: true });
        try {
          return (db.prepare('SELECT COUNT(*) AS n FROM requests').get() as { n: number }).n;
        } finally {
          db.close();
        }
      };
      expect(stored()).toBe(2);

      // Opened, with one more request: read within the dashboard's next look (every 10 s).
      chmodSync(folder, 0o755);
      appendFileSync(transcript, requestLine());
      const told = await server.waitScreen('dash', (s) => s.includes('can be read again'), 30_000);
      expect(told).not.toContain('could not be read (e.g.');
      expect(stored()).toBe(4);
      // And watched from then on: a later line shows up at once, without waiting for a look.
      appendFileSync(transcript, requestLine());
      const start = Date.now();
      while (stored() < 5 && Date.now() - start < 5000) await new Promise((r) => setTimeout(r, 100));
      expect(stored()).toBe(5);
      server.tmux('send-keys', '-t', 'dash', 'q');
    },
    120_000,
  );
});
