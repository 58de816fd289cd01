/**
 * The built CLI in a real terminal (tmux): the dashboard draws a fixture tree, shows a line
 * appended to a transcript, and quits on `q` with exit code 0 and the shell's screen back.
 */
import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { buildCli, cliPath } from './build-cli.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assistantLine, defaultSessions, writeTree } from '../ui/fixture.js';
import { endedWith, hasTmux, sleep, tmuxServer } from '../helpers/tmux.js';

const server = tmuxServer('e2e');
const { tmux } = server;
const session = 'dash';
let dir = '';

/** Whether the process `pid` still runs (one ended but not yet reaped does not). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

const waitScreen = (test: (s: string) => boolean, timeoutMs: number): Promise<string> =>
  server.waitScreen(session, test, timeoutMs);

/**
 * A store of the default sessions, read once, then with every page of `table` (and its indexes)
 * overwritten: its path and the flags that run the dashboard on it.
 */
function damagedStore(name: string, table: string): { db: string; common: string[] } {
  const root = join(dir, `claude-${name}`);
  writeTree(root, defaultSessions(), Date.now());
  const db = join(dir, `${name}.db`);
  writeFileSync(join(dir, 'empty.json'), '{}');
  const common = ['--claude-dir', root, '--db', db, '--config', join(dir, 'empty.json'), '--tz', 'UTC'];
  execFileSync(process.execPath, [cliPath, 'ingest', ...common]);
  const store = new Database(db);
  store.pragma('wal_checkpoint(TRUNCATE)');
  const pageSize = store.pragma('page_size', { simple: true }) as number;
  const pages = store
    .prepare('SELECT rootpage FROM sqlite_schema WHERE tbl_name = ? AND rootpage > 0')
    .all(table)
    .map((r) => (r as { rootpage: number }).rootpage);
  store.close();
  const fd = openSync(db, 'r+');
  for (const p of pages) writeSync(fd, Buffer.alloc(pageSize, 0xff), 0, pageSize, (p - 1) * pageSize);
  closeSync(fd);
  return { db, common };
}

describe.skipIf(!hasTmux)('dashboard in tmux (built CLI)', () => {
  beforeAll(() => {
    buildCli();
    dir = mkdtempSync(join(tmpdir(), 'creditmeter-e2e-'));
  });
  afterAll(() => {
    server.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('updates on an appended line and exits cleanly on q', async () => {
    // The dashboard runs as one CommonJS file through the code cache: it keeps one when it quits.
    const cacheDir = join(dirname(cliPath), 'chunks', '.code-cache');
    const dashboardCaches = (): string[] =>
      existsSync(cacheDir) ? readdirSync(cacheDir).filter((n) => n.startsWith('dashboard-main.cjs-')) : [];
    for (const n of dashboardCaches()) rmSync(join(cacheDir, n), { force: true });
    const root = join(dir, 'claude');
    const now = Date.now();
    const fileOf = writeTree(root, defaultSessions(), now);
    const exitFile = join(dir, 'exit.txt');
    const cli = cliPath;
    const cmd =
      `cd ${dir} && CREDITMETER_CONFIG=${join(dir, 'none.json')} XDG_DATA_HOME=${join(dir, 'data')} node ${cli} --claude-dir ${root} --db ${join(dir, 'usage.db')} ` +
      `--tz UTC --plan max5x 2>${join(dir, 'stderr.txt')}; echo EXIT=$? > ${exitFile}; echo SHELL-SCREEN-BACK; sleep 30`;
    tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '40', cmd);

    const first = await waitScreen((s) => s.includes('● live'), 60_000);
    expect(first).toContain('Max 5x $100.00');
    expect(first).toContain('claude-opus-4-7');
    expect(first).not.toContain('claude-haiku-4-5');

    const s = { id: 'sess-beta', project: '/work/beta', requests: [] };
    appendFileSync(
      fileOf('sess-beta'),
      `${assistantLine(s, { model: 'claude-haiku-4-5-20251001', entrypoint: 'sdk-ts', hoursAgo: 0 }, Date.now())}\n`,
    );
    const after = await waitScreen((sc) => /^[ ▸] claude-haiku-4-5-20251001 .*\$\d/m.test(sc), 30_000);
    expect(after).toMatch(/claude-haiku-4-5-\S* +prog +\/work\/beta/);

    tmux('send-keys', '-t', session, 'e');
    const exported = await waitScreen((sc) => sc.includes('Exported to'), 10_000);
    // The path is shown whole (wrapped over lines when it has to be), never cut.
    const noticeText = exported.slice(exported.indexOf('Exported to')).split('\n').slice(0, 3).join('');
    expect(noticeText).toMatch(
      new RegExp(`Exported to ${join(dir, 'data', 'creditmeter', 'exports')}/creditmeter-[^ ]*\\.json`),
    );

    // Resizes redraw on a clean screen: one header, on the first line, and nothing stale around it.
    for (const [x, y] of [
      [60, 20],
      [80, 24],
      [80, 12],
      [120, 40],
    ] as const) {
      tmux('resize-window', '-t', session, '-x', String(x), '-y', String(y));
      const shot = await waitScreen((sc) => {
        const lines = sc.split('\n');
        const body = lines.filter((l) => l.trim() !== '');
        return (
          lines[0]!.startsWith('creditmeter · Max 5x') &&
          lines[1]!.startsWith('● live') &&
          body.length <= y - 1 &&
          (sc.match(/creditmeter · Max 5x/g) ?? []).length === 1 &&
          body[body.length - 1]!.includes('drill')
        );
      }, 10_000);
      expect(Math.max(...shot.split('\n').map((l) => l.length))).toBeLessThanOrEqual(x);
    }

    tmux('send-keys', '-t', session, 'q');
    expect(await endedWith(exitFile)).toBe('EXIT=0');
    const back = await waitScreen((sc) => sc.includes('SHELL-SCREEN-BACK'), 5000);
    expect(back).not.toContain('Forecast');
    expect(dashboardCaches()).toHaveLength(1);
    // Its stderr, sent to a file, holds no terminal sequence (the cursor is shown on the terminal).
    expect(readFileSync(join(dir, 'stderr.txt'), 'utf8')).toBe('');
  }, 120_000);

  it('applies every key of a burst typed faster than a frame: Tab Tab Tab Tab, j j Enter, then j q', async () => {
    const root = join(dir, 'claude-burst');
    writeTree(root, defaultSessions(), Date.now());
    const exitFile = join(dir, 'exit-burst.txt');
    const cmd =
      `cd ${dir} && CREDITMETER_CONFIG=${join(dir, 'none.json')} XDG_DATA_HOME=${join(dir, 'data')} node ${cliPath} --claude-dir ${root} --db ${join(dir, 'burst.db')} ` +
      `--tz UTC --plan max5x; echo EXIT=$? > ${exitFile}; sleep 30`;
    tmux('new-session', '-d', '-s', 'burst', '-x', '120', '-y', '40', cmd);
    const wait = (test: (s: string) => boolean): Promise<string> => server.waitScreen('burst', test, 30_000);
    await wait((s) => s.includes('● live'));
    // Four Tabs in one write: model -> project -> day -> entrypoint -> session.
    tmux('send-keys', '-t', 'burst', 'Tab', 'Tab', 'Tab', 'Tab');
    const sessions = await wait((s) => s.includes('By session'));
    const rows = sessions.split('\n').filter((l) => /^[ ▸] \S.* \$\d/.test(l));
    expect(rows.length).toBeGreaterThanOrEqual(3);
    // The label column is one space from its bar when the label fills it.
    const third = rows[2]!
      .slice(2)
      .split(/ {2,}| [█▉▊▋▌▍▎▏]/)[0]!
      .trim();
    // j j Enter in one write: the third session is drilled into.
    tmux('send-keys', '-t', 'burst', 'j', 'j', 'Enter');
    const drilled = await wait((s) => s.includes('› requests'));
    // A label too long for its column keeps its end, after an ellipsis.
    expect(drilled).toContain(third.split(' · ')[0]!.replace(/^…/, ''));
    expect(drilled).toContain(third.split(' · ').pop()!);
    // j then q in one write: the move is applied and the q still quits.
    tmux('send-keys', '-t', 'burst', 'j', 'q');
    expect(await endedWith(exitFile)).toBe('EXIT=0');
  }, 120_000);

  it("removes the demo's throw-away database when its terminal closes, and ends quietly", async () => {
    const dbFolders = (): string[] => readdirSync(tmpdir()).filter((n) => n.startsWith('creditmeter-demo-db-'));
    const before = new Set(dbFolders());
    const pidFile = join(dir, 'hup.pid');
    const errFile = join(dir, 'hup.err');
    // The shell's pid is the dashboard's (exec), so its end can be waited for.
    tmux(
      'new-session',
      '-d',
      '-s',
      'hup',
      '-x',
      '100',
      '-y',
      '30',
      `cd ${dir} && echo $$ > ${pidFile} && exec node ${cliPath} --demo --tz UTC 2>${errFile}`,
    );
    await server.waitScreen('hup', (sc) => sc.includes('● live'), 60_000);
    const made = dbFolders().filter((n) => !before.has(n));
    expect(made).toHaveLength(1);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    // Closing the pane sends SIGHUP to the dashboard.
    tmux('kill-session', '-t', 'hup');
    const start = Date.now();
    while ((existsSync(join(tmpdir(), made[0]!)) || running(pid)) && Date.now() - start < 10_000) await sleep(100);
    expect(existsSync(join(tmpdir(), made[0]!))).toBe(false);
    expect(running(pid)).toBe(false);
    // Ended by the signal, as the dashboard without --demo is: not by an exit that Node's restoring
    // of the gone terminal turns into an abort with a native assertion on stderr.
    expect(readFileSync(errFile, 'utf8')).toBe('');
  }, 120_000);

  it('opens the demo history when there are no transcripts anywhere, and says so', async () => {
    const home = join(dir, 'home');
    const exitFile = join(dir, 'exit-demo.txt');
    const cmd =
      `cd ${dir} && env -u CLAUDE_CONFIG_DIR HOME=${home} XDG_CONFIG_HOME=${join(home, '.config')} XDG_DATA_HOME=${join(home, 'data')} ` +
      `node ${cliPath} --tz UTC; echo EXIT=$? > ${exitFile}; sleep 30`;
    tmux('new-session', '-d', '-s', 'demo', '-x', '120', '-y', '40', cmd);
    const s = await server.waitScreen('demo', (sc) => sc.includes('● live'), 60_000);
    expect(s).toContain('Demo history: no Claude Code transcripts found');
    expect(s).toMatch(/claude-\S+ +█/);
    // Claude Code runs for the first time meanwhile: the demo says where the user's history is now.
    mkdirSync(join(home, '.claude', 'projects', '-home-u-app'), { recursive: true });
    writeFileSync(join(home, '.claude', 'projects', '-home-u-app', 's.jsonl'), '{}\n');
    const told = await server.waitScreen('demo', (sc) => sc.includes('your transcripts appeared'), 20_000);
    expect(told).toContain('Quit and start again to see yours: your transcripts appeared in ~/.claude');
    // Ctrl-C in one write with a key before it (typed ahead of the screen) still quits.
    tmux('send-keys', '-t', 'demo', 'j', 'C-c');
    expect(await endedWith(exitFile)).toBe('EXIT=0');
    expect(existsSync(join(home, 'data', 'creditmeter', 'usage.db'))).toBe(false);
  }, 120_000);

  it('ends quietly when its terminal closes while it shows a failed catch-up', async () => {
    // The files table overwritten: the first frame reads the requests, the catch-up then fails.
    const { common } = damagedStore('files-damaged', 'files');
    const pidFile = join(dir, 'failed.pid');
    const errFile = join(dir, 'failed.err');
    tmux(
      'new-session',
      '-d',
      '-s',
      'failed',
      '-x',
      '80',
      '-y',
      '24',
      `cd ${dir} && echo $$ > ${pidFile} && exec node ${cliPath} ${common.join(' ')} 2>${errFile}`,
    );
    const shown = await server.waitScreen('failed', (sc) => /failed|damaged/i.test(sc), 60_000);
    expect(shown).toMatch(/--rebuild/);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    tmux('kill-session', '-t', 'failed');
    const start = Date.now();
    while (running(pid) && Date.now() - start < 10_000) await sleep(100);
    expect(running(pid)).toBe(false);
    // Its last writes to the gone terminal failed (EIO): no stack trace, no abort in Node's exit.
    expect(readFileSync(errFile, 'utf8')).toBe('');
  }, 120_000);

  it('says a store damaged past its first pages is damaged, names --rebuild and exits 1 (never waits on it)', async () => {
    // The requests table and its indexes overwritten: the store opens, its first read fails.
    const { db, common } = damagedStore('damaged', 'requests');
    const exitFile = join(dir, 'exit-damaged.txt');
    const errFile = join(dir, 'damaged.err');
    tmux(
      'new-session',
      '-d',
      '-s',
      'damaged',
      '-x',
      '80',
      '-y',
      '24',
      `cd ${dir} && node ${cliPath} ${common.join(' ')} 2>${errFile}; echo EXIT=$? > ${exitFile}; sleep 30`,
    );
    expect(await endedWith(exitFile)).toBe('EXIT=1');
    expect(readFileSync(errFile, 'utf8').trim()).toBe(
      `creditmeter: The database ${db} is damaged (database disk image is malformed); run with --rebuild to start it anew from the logs.`,
    );
  }, 120_000);
});
