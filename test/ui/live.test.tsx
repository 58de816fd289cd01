/** Live updates end to end inside the process: a real append, the real watcher, the next frame. */
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { watch as chokidarWatch } from 'chokidar';
import { afterEach, describe, expect, it } from 'vitest';
import { watchRoots, watchLimitOf } from '../../src/ingest/watcher.js';
import { createDashboardStore, type DashboardStore } from '../../src/state/app-store.js';
import { createDbSource } from '../../src/state/data-source.js';
import { startLive, type LiveHandle } from '../../src/state/live.js';
import { watchLimitNotice } from '../../src/ingest/poll.js';
import { MAX_LINE_BYTES } from '../../src/ingest/scan.js';
import { buildFixture, NOW_MS, type Fixture } from './fixture.js';
import { renderApp, type Rendered } from './render.js';

const opened: { fx: Fixture | null; store: DashboardStore | null; ui: Rendered | null } = {
  fx: null,
  store: null,
  ui: null,
};
let live: LiveHandle | null = null;

afterEach(async () => {
  opened.ui?.unmount();
  await live?.close();
  opened.store?.getState().actions.dispose();
  opened.fx?.close();
  opened.ui = null;
  live = null;
  opened.store = null;
  opened.fx = null;
});

/** The fixture's store, the dashboard's app store on it and its frames at 100x30, closed after the test. */
async function openDashboard(): Promise<{ fx: Fixture; store: DashboardStore; ui: Rendered }> {
  const f = (opened.fx = await buildFixture());
  const s = (opened.store = createDashboardStore({
    source: createDbSource(f.ctx.db, f.ctx.config.plan, f.ctx.prices.version),
    now: () => NOW_MS,
  }));
  return { fx: f, store: s, ui: (opened.ui = await renderApp(s, 100, 30)) };
}

describe('live dashboard', () => {
  it('shows a new model and request after a line is appended to a transcript', async () => {
    const { fx, store, ui } = await openDashboard();
    live = await startLive(fx.ctx, store);
    await ui.waitFor((f) => f.includes('● live'));
    expect(ui.frame()).not.toContain('claude-haiku-4-5');
    const usedBefore = store.getState().status!.credit.used;
    const session = { id: 'sess-beta', project: '/work/beta', requests: [] };
    fx.append(session, { model: 'claude-haiku-4-5-20251001', entrypoint: 'sdk-ts', hoursAgo: 0.25, output: 400_000 });
    const f = await ui.waitFor((fr) => /claude-haiku-4-5-20251001 +█/.test(fr), 5000);
    expect(f).toContain('last request 11:45:00');
    expect(f).toMatch(/11:45:00 +haiku-4-5 +prog +\/work\/beta/);
    expect(store.getState().status!.credit.used).toBeGreaterThan(usedBefore + 1.9);
  });

  it('shows a request stamped ahead of its clock only once its time has come, as status counts it', async () => {
    const { fx, store, ui } = await openDashboard();
    live = await startLive(fx.ctx, store);
    await ui.waitFor((f) => f.includes('● live'));
    // A runner whose clock runs 20 hours ahead, then a request of now.
    const ahead = { id: 'sess-ahead', project: '/work/ahead', requests: [] };
    fx.append(ahead, { model: 'claude-haiku-4-5-20251001', entrypoint: 'sdk-ts', hoursAgo: -20, output: 400_000 });
    const session = { id: 'sess-beta', project: '/work/beta', requests: [] };
    fx.append(session, { model: 'claude-opus-4-5-20251101', entrypoint: 'sdk-cli', hoursAgo: 0.25, output: 10_000 });
    const f = await ui.waitFor((fr) => fr.includes('claude-opus-4-5-20251101'), 5000);
    expect(f).toContain('last request 11:45:00');
    expect(f).not.toContain('haiku');
    const { rows, status, recent } = store.getState();
    expect(recent.some((r) => r.model.includes('haiku'))).toBe(false);
    const listed = rows.reduce((sum, r) => sum + r.cost, 0);
    // The programmatic view's rows add up to the gauge's programmatic spend.
    expect(store.getState().nav.classFilter).toBe('programmatic');
    expect(listed).toBeCloseTo(status!.programmatic.cost, 6);
  });

  it('says a line it skipped as too long while watching, as the catch-up and ingest say it', async () => {
    const { fx, store, ui } = await openDashboard();
    live = await startLive(fx.ctx, store);
    await ui.waitFor((f) => f.includes('● live'));
    appendFileSync(fx.fileOf('sess-beta'), `{"type":"assistant","pad":"${'x'.repeat(MAX_LINE_BYTES)}"}\n`);
    const f = await ui.waitFor((fr) => fr.includes('was skipped'), 10_000);
    expect(f).toMatch(/1 line over 64 MiB was skipped/);
    // It stays on screen, and a second such line in the same file is said again.
    await new Promise((r) => setTimeout(r, 4500));
    expect(ui.frame()).toMatch(/was skipped/);
    store.getState().actions.showNotice('something else');
    await ui.waitFor((fr) => !fr.includes('was skipped'), 5000);
    appendFileSync(fx.fileOf('sess-beta'), `{"type":"assistant","pad":"${'y'.repeat(MAX_LINE_BYTES)}"}\n`);
    const again = await ui.waitFor((fr) => fr.includes('was skipped'), 10_000);
    expect(again).toMatch(/1 line over 64 MiB was skipped/);
  }, 40_000);

  it('says what its catch-up could not read, as the commands warn', async () => {
    const { fx, store, ui } = await openDashboard();
    const closed = join(fx.dir, 'second-root');
    live = await startLive({ ...fx.ctx, config: { ...fx.ctx.config, roots: [...fx.ctx.config.roots, closed] } }, store);
    const f = await ui.waitFor((fr) => fr.includes('● live'));
    expect(f.replace(/\s+/g, ' ')).toContain(`${closed} has no projects folder: nothing to read there.`);
    // The live line says it too: that root is watched, but nothing is read from it.
    expect(f).toContain('● live, 1 root missing');
  });

  it('keeps the selected row when new rows arrive above it', async () => {
    const { fx, store, ui } = await openDashboard();
    live = await startLive(fx.ctx, store);
    await ui.press('j');
    expect(ui.lines().find((l) => l.startsWith('▸'))).toContain('claude-sonnet-4-6');
    const session = { id: 'sess-new', project: '/work/gamma', requests: [] };
    fx.append(session, { model: 'claude-opus-4-5-20251101', entrypoint: 'sdk-cli', hoursAgo: 0.5, output: 900_000 });
    await ui.waitFor((fr) => fr.includes('claude-opus-4-5-20251101'), 5000);
    const rows = store.getState().rows.map((r) => r.key);
    expect(rows.indexOf('claude-sonnet-4-6')).toBe(2);
    expect(ui.lines().find((l) => l.startsWith('▸'))).toContain('claude-sonnet-4-6');
  });

  it('says a root removed while watched has nothing to read, and reads it again once it is made again', async () => {
    const { fx, store, ui } = await openDashboard();
    live = await startLive(fx.ctx, store);
    await ui.waitFor((f) => f.includes('● live'));
    rmSync(fx.root, { recursive: true });
    await ui.waitFor((f) => f.includes('has no projects folder') && f.includes('● live, 1 root missing'), 5000);
    // Said (whole in the store; the frame shortens the path) until the root is back, not for a moment.
    await new Promise((r) => setTimeout(r, 300));
    expect(store.getState().notice).toBe(`${fx.root} has no projects folder: nothing to read there.`);
    mkdirSync(join(fx.root, 'projects', '-work-fixture'), { recursive: true });
    const back = await ui.waitFor((f) => f.includes('is there now'), 5000);
    expect(back).not.toContain('missing');
    expect(store.getState().notice).toBe(
      `${join(fx.root, 'projects')} is there now: its transcripts are read and watched.`,
    );
    const session = { id: 'sess-beta', project: '/work/beta', requests: [] };
    fx.append(session, { model: 'claude-haiku-4-5-20251001', entrypoint: 'sdk-ts', hoursAgo: 0.25, output: 400_000 });
    await ui.waitFor((fr) => /claude-haiku-4-5-20251001 +█/.test(fr), 5000);
  });

  it('keeps a failed live read said until a read succeeds again', async () => {
    const f = (opened.fx = await buildFixture());
    // Flashed notices go after 60 ms here: a failure's must not.
    const store = (opened.store = createDashboardStore({
      source: createDbSource(f.ctx.db, f.ctx.config.plan, f.ctx.prices.version),
      now: () => NOW_MS,
      noticeMs: 60,
    }));
    const ui = (opened.ui = await renderApp(store, 100, 30));
    live = await startLive(f.ctx, store);
    await ui.waitFor((fr) => fr.includes('● live'));
    const session = { id: 'sess-beta', project: '/work/beta', requests: [] };
    // The table of files gone (as a damaged page would take it): every read fails.
    f.ctx.db.exec('ALTER TABLE files RENAME TO files_away');
    f.append(session, { model: 'claude-haiku-4-5-20251001', entrypoint: 'sdk-ts', hoursAgo: 0.25, output: 400_000 });
    await ui.waitFor((fr) => fr.includes('Live ingest failed'), 5000);
    await new Promise((r) => setTimeout(r, 600));
    expect(ui.frame()).toContain('Live ingest failed');
    // The live line says it too: not "live" over figures that no longer change.
    expect(ui.frame()).toContain('▲ watching, reads failing');
    expect(ui.frame()).not.toContain('● live');
    f.ctx.db.exec('ALTER TABLE files_away RENAME TO files');
    f.append(session, { model: 'claude-haiku-4-5-20251001', entrypoint: 'sdk-ts', hoursAgo: 0.2, output: 400_000 });
    await ui.waitFor((fr) => /claude-haiku-4-5-20251001 +█/.test(fr), 5000);
    expect(store.getState().notice === null || !store.getState().notice!.startsWith('Live ingest failed')).toBe(true);
    expect(ui.frame()).toContain('● live');
  });

  it('reads new lines every few seconds, and says so, when watching runs out of watches', async () => {
    const { fx, store, ui } = await openDashboard();
    // A real chokidar watcher that sees none of the transcripts (it watches an empty folder), as when
    // the system's limit of watches is reached before theirs are set up: it then reports the limit.
    // (test/e2e/watch-limit.test.ts runs the built dashboard out of real watches, in a user namespace.)
    const elsewhere = mkdtempSync(join(tmpdir(), 'cm-unwatched-'));
    try {
      live = await startLive(fx.ctx, store, {
        pollMs: 300,
        watch: (ctx, onIngested, options) =>
          watchRoots(ctx, onIngested, {
            ...options,
            chokidarWatch: (_paths, chokidarOptions) => {
              const w = chokidarWatch(elsewhere, chokidarOptions);
              const limit = Object.assign(new Error('ENOSPC: System limit for number of file watchers reached'), {
                code: 'ENOSPC',
              });
              w.once('ready', () => w.emit('error', limit));
              return w;
            },
          }),
      });
      const shown = await ui.waitFor((f) => f.includes('● live (checked every'));
      expect(shown).toContain('fs.inotify.max_user_watches');
      const session = { id: 'sess-beta', project: '/work/beta', requests: [] };
      fx.append(session, { model: 'claude-haiku-4-5-20251001', entrypoint: 'sdk-ts', hoursAgo: 0.25, output: 400_000 });
      await ui.waitFor((fr) => /claude-haiku-4-5-20251001 +█/.test(fr), 5000);
    } finally {
      await live?.close();
      live = null;
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});

describe('watch limits', () => {
  it('are told from other watch errors by their code, and named with the way out', () => {
    const err = (code: string): NodeJS.ErrnoException => Object.assign(new Error(code), { code });
    expect(watchLimitOf(err('ENOSPC'))).toBe('ENOSPC');
    expect(watchLimitOf(err('EMFILE'))).toBe('EMFILE');
    expect(watchLimitOf(err('ENFILE'))).toBe('ENFILE');
    expect(watchLimitOf(err('EACCES'))).toBeNull();
    expect(watchLimitOf(err('ENOENT'))).toBeNull();
    expect(watchLimitOf(null)).toBeNull();
    expect(watchLimitNotice('ENOSPC')).toContain('sudo sysctl fs.inotify.max_user_watches=');
    expect(watchLimitNotice('EMFILE')).toContain('ulimit -n');
  });
});
