/**
 * A busy database never takes the dashboard down: another process holds the write lock longer
 * than the busy timeout (5 s) while the dashboard catches up, ingests an append or re-reads the
 * store; the dashboard says so, retries, and shows the new data once the lock is released.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createDashboardStore, type DashboardStore } from '../../src/state/app-store.js';
import { createDbSource, type DashboardSource } from '../../src/state/data-source.js';
import { startLive, type LiveHandle } from '../../src/state/live.js';
import { repo } from '../e2e/build-cli.js';
import { buildFixture, NOW_MS, type Fixture } from './fixture.js';
import { renderApp, type Rendered } from './render.js';

let fx: Fixture | null = null;
let store: DashboardStore | null = null;
let live: LiveHandle | null = null;
let ui: Rendered | null = null;
let holder: ChildProcess | null = null;

afterEach(async () => {
  holder?.kill();
  ui?.unmount();
  await live?.close();
  store?.getState().actions.dispose();
  fx?.close();
  holder = null;
  ui = null;
  live = null;
  store = null;
  fx = null;
});

/** Another process takes the write lock (BEGIN IMMEDIATE) on `db` for `ms`; resolves once it holds it. */
function holdWriteLock(db: string, ms: number): Promise<ChildProcess> {
  const code = `
    const Database = require('better-sqlite3');
    const db = new Database(${JSON.stringify(db)});
    db.exec('BEGIN IMMEDIATE');
    process.stdout.write('locked\\n');
    setTimeout(() => { db.exec('COMMIT'); db.close(); process.stdout.write('released\\n'); }, ${ms});
  `;
  const child = spawn(process.execPath, ['-e', code], { cwd: repo, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('locked')) resolve(child);
    });
    child.on('exit', (c) => reject(new Error(`lock holder exited early (${c})`)));
  });
}

const newModel = { model: 'claude-haiku-4-5-20251001', entrypoint: 'sdk-ts', hoursAgo: 0.25, output: 400_000 };
const beta = { id: 'sess-beta', project: '/work/beta', requests: [] };

/** Every distinct busy notice the store showed. */
function busyNotices(s: DashboardStore): string[] {
  const seen: string[] = [];
  s.subscribe((st) => {
    if (st.busy && !seen.includes(st.busy)) seen.push(st.busy);
  });
  return seen;
}

describe('busy database', () => {
  it('waits out a write lock held through the initial catch-up, then shows the new data', async () => {
    fx = await buildFixture();
    store = createDashboardStore({
      source: createDbSource(fx.ctx.db, fx.ctx.config.plan, fx.ctx.prices.version),
      now: () => NOW_MS,
    });
    const notices = busyNotices(store);
    ui = await renderApp(store, 100, 30);
    fx.append(beta, newModel);
    holder = await holdWriteLock(join(fx.dir, 'usage.db'), 6000);
    live = await startLive(fx.ctx, store);
    const f = await ui.waitFor((fr) => /claude-haiku-4-5-20251001 +█/.test(fr) && fr.includes('● live'), 10_000);
    expect(notices.some((n) => /^Database busy .*reading the logs again in/.test(n))).toBe(true);
    expect(store.getState().busy).toBeNull();
    expect(f).not.toContain('Database busy');
    expect(f).toMatch(/11:45:00 +haiku-4-5 +prog +\/work\/beta/);
  }, 40_000);

  it('waits out a write lock held while the watcher ingests an append, then shows it', async () => {
    fx = await buildFixture();
    store = createDashboardStore({
      source: createDbSource(fx.ctx.db, fx.ctx.config.plan, fx.ctx.prices.version),
      now: () => NOW_MS,
    });
    ui = await renderApp(store, 100, 30);
    live = await startLive(fx.ctx, store);
    await ui.waitFor((fr) => fr.includes('● live'));
    const notices = busyNotices(store);
    // Longer than the busy timeout counted from the watcher's first write attempt (after its file event).
    holder = await holdWriteLock(join(fx.dir, 'usage.db'), 8000);
    fx.append(beta, newModel);
    const shown = await ui.waitFor((fr) => fr.includes('Database busy'), 15_000);
    expect(shown).toContain('● live');
    const f = await ui.waitFor(
      (fr) => /claude-haiku-4-5-20251001 +█/.test(fr) && !fr.includes('Database busy'),
      20_000,
    );
    expect(f).toMatch(/11:45:00 +haiku-4-5 +prog +\/work\/beta/);
    expect(notices.length).toBeGreaterThan(0);
    expect(store.getState().notice).toBeNull();
  }, 40_000);

  it('keeps re-reading the store while it is busy, and draws once it answers', async () => {
    fx = await buildFixture();
    const real = createDbSource(fx.ctx.db, fx.ctx.config.plan, fx.ctx.prices.version);
    let locked = true;
    // The store's reads fail the way SQLite fails them while another process holds a lock.
    const source: DashboardSource = {
      ...real,
      status(nowMs, cycle) {
        if (locked) throw new Database.SqliteError('database is locked', 'SQLITE_BUSY');
        return real.status(nowMs, cycle);
      },
    };
    store = createDashboardStore({ source, now: () => NOW_MS });
    ui = await renderApp(store, 80, 24);
    const waiting = await ui.waitFor((fr) => fr.includes('Database busy'));
    expect(waiting).toContain('Reading the store…');
    expect(waiting).toMatch(/refreshing again in \d+/);
    // A key pressed meanwhile is kept and applied by the retry.
    await ui.press('c');
    locked = false;
    const f = await ui.waitFor((fr) => fr.includes('Credit') && !fr.includes('Database busy'), 10_000);
    expect(f).toContain('Interactive spend');
    expect(store.getState().busy).toBeNull();
  }, 20_000);
});
