/**
 * A team store receives one request twice: `push` sends the transcript copy from one machine
 * (its cache-write split, message id and class known) and Claude Code's telemetry sends its own
 * event (attribution, no split). Whichever comes first, and with or without a request id, the
 * store ends with one request: the transcript copy's counts and class, the telemetry's attribution.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openApp } from '../../src/app/context.js';
import { priceRequest } from '../../src/domain/pricing.js';
import { mergeEvents, type TelemetryEvent } from '../../src/domain/telemetry.js';
import { keyless, permutations, pushed, sent, TS } from './telemetry-events.js';
import { TelemetryWriter } from '../../src/store/telemetry-writer.js';
import { getMeta, openDatabase, setMeta } from '../../src/store/database.js';
import { isolateHome } from '../helpers/run-cli.js';
import { aggregate, listRequests } from '../../src/store/queries.js';

let stores = 0;
function store() {
  const dir = join(isolateHome(), `copies-${++stores}`);
  mkdirSync(join(dir, 'projects'), { recursive: true });
  const ctx = openApp({ db: join(dir, 'store.db'), claudeDir: [dir], tz: 'UTC' });
  const price = (e: TelemetryEvent): number =>
    priceRequest(ctx.prices, { model: e.model, ts: e.ts, usage: e.usage, speed: null, inferenceGeo: null })!;
  const writer = new TelemetryWriter(ctx.db, {
    classes: ctx.config.classes,
    priceVersion: ctx.prices.version,
    price: (input) => priceRequest(ctx.prices, input),
  });
  const rows = () =>
    ctx.db
      .prepare(
        `SELECT key, message_id, class, cost, output_tokens, cache_write_5m_tokens AS w5, cache_write_1h_tokens AS w1,
           web_search_requests AS web, user_name, repo, workflow, run_id, host FROM requests ORDER BY key`,
      )
      .all() as Record<string, string | number | null>[];
  /** A rebuild's join: the rows gone, every kept event joined again in the order it is kept. */
  const rebuild = () => {
    ctx.db.prepare('DELETE FROM requests').run();
    writer.rejoinAll();
  };
  return { ctx, writer, rows, price, rebuild };
}

/** What the one request must look like, whatever came first. */
function expectOneMerged(rows: Record<string, string | number | null>[], price: number): void {
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({
    message_id: 'msg_1',
    class: 'programmatic',
    output_tokens: 500,
    w5: 0,
    w1: 20_000,
    web: 1,
    user_name: 'ci@example.com',
    repo: 'acme/api',
    workflow: 'nightly',
    run_id: '42',
    host: 'runner-1',
  });
  expect(rows[0]!.cost).toBeCloseTo(price, 12);
}

describe('a pushed transcript copy and Claude Code’s event of one request', () => {
  it('merge field by field into the same event in either order', () => {
    const a = mergeEvents(pushed(), sent());
    const b = mergeEvents(sent(), pushed());
    for (const m of [a, b]) {
      expect(m.usage).toEqual(pushed().usage);
      expect(m.splitKnown).toBe(true);
      expect([m.messageId, m.classHint, m.entrypoint, m.user, m.repo, m.workflow, m.runId, m.host]).toEqual([
        'msg_1',
        'programmatic',
        'sdk-cli',
        'ci@example.com',
        'acme/api',
        'nightly',
        '42',
        // The host Claude Code named, not the one `push` ran on.
        'runner-1',
      ]);
      expect([m.ts, m.ccCost, m.inferenceGeo, m.project]).toEqual([TS, 0.1, 'us', 'api']);
    }
    // A push sent again after the merge changes nothing (its host is the pushing machine's).
    expect(mergeEvents(a, pushed())).toEqual(a);
    expect(mergeEvents(b, sent())).toEqual(b);
  });

  it('with a request id: one request, the transcript copy’s split and class, the telemetry’s attribution', () => {
    for (const order of [
      [pushed(), sent()],
      [sent(), pushed()],
    ]) {
      const { ctx, writer, rows, price } = store();
      for (const e of order) writer.write([e], TS);
      expectOneMerged(rows(), price(pushed()));
      // Sent again, in any order: nothing changes.
      writer.write([...order].reverse(), TS);
      writer.write(order, TS);
      expectOneMerged(rows(), price(pushed()));
      ctx.close();
    }
  });

  it('keeps the class the transcript gave, whatever entrypoint the event names', () => {
    for (const order of [
      [pushed({ entrypoint: null }), sent()],
      [sent({ entrypoint: 'cli' }), pushed({ entrypoint: null })],
      [pushed({ entrypoint: null }), sent({ entrypoint: 'cli' })],
    ]) {
      const { ctx, writer, rows } = store();
      for (const e of order) writer.write([e], TS);
      expect(rows().map((r) => r.class)).toEqual(['programmatic']);
      ctx.close();
    }
  });

  it('keeps the larger output count: a pushed streaming placeholder does not undo the final count', () => {
    const { ctx, writer, rows, price } = store();
    writer.write([sent()], TS);
    const placeholder = pushed({ usage: { ...pushed().usage, output: 3 } });
    writer.write([placeholder], TS);
    const [row] = rows();
    expect(row).toMatchObject({ output_tokens: 500, w1: 20_000, user_name: 'ci@example.com' });
    expect(row!.cost).toBeCloseTo(price(pushed()), 12);
    ctx.close();
  });

  it('without a request id: told by session, model and counts, merged into one request in either order', () => {
    const s = keyless(sent(), 's:sess-1:p-1:7');
    for (const [p, s2] of [
      // The transcript had the request id, Claude Code's event did not.
      [pushed(), s],
      // Claude Code's event had it, the transcript did not.
      [keyless(pushed(), 's:sess-1:transcript:msg_1'), sent()],
      // Neither had one.
      [keyless(pushed(), 's:sess-1:transcript:msg_1'), s],
      [keyless(pushed(), 's:sess-1:transcript:msg_1'), keyless(sent(), 'h:0123')],
    ])
      for (const order of [
        [p, s2],
        [s2, p],
      ]) {
        const { ctx, writer, rows, price, rebuild } = store();
        for (const e of order) writer.write([e!], TS);
        expectOneMerged(rows(), price(pushed()));
        writer.write(order as TelemetryEvent[], TS);
        writer.write([...order].reverse() as TelemetryEvent[], TS);
        expectOneMerged(rows(), price(pushed()));
        // Both events are kept; joining them again (after a repricing, or a rebuild) ends the same.
        writer.rejoinAll();
        expectOneMerged(rows(), price(pushed()));
        rebuild();
        expectOneMerged(rows(), price(pushed()));
        ctx.close();
      }
  });

  it('pairs look-alike requests one to one, in every order of arrival, and a rebuild pairs them the same', () => {
    // Two requests of one session that say the same (parallel subagents from one context): pushed
    // with their request ids; Claude Code's events came without them.
    const pa = pushed({ key: 'req_A', requestId: 'req_A', messageId: 'msg_A', ts: TS });
    const pb = pushed({ key: 'req_B', requestId: 'req_B', messageId: 'msg_B', ts: TS + 10_000 });
    const sa = keyless(sent({ ts: TS + 60_000, user: 'a@example.com' }), 's:sess-1:p-1:1');
    const sb = keyless(sent({ ts: TS + 15_000, user: 'b@example.com' }), 's:sess-1:p-1:2');
    const all = [pa, pb, sa, sb];
    const orders = permutations(all);
    expect(orders).toHaveLength(24);
    for (const order of orders) {
      const { ctx, writer, rows, price, rebuild } = store();
      for (const e of order) writer.write([e], TS);
      const live = rows();
      const named = order.map((e) => e.key).join(' ');
      expect(
        live.map((r) => r.key),
        named,
      ).toEqual(['otel:req_A', 'otel:req_B']);
      expect(
        live.reduce((t, r) => t + Number(r.cost), 0),
        named,
      ).toBeCloseTo(2 * price(pushed()), 12);
      // Each request has one of the two users: every event counted once.
      expect(live.map((r) => r.user_name).sort(), named).toEqual(['a@example.com', 'b@example.com']);
      rebuild();
      expect(rows(), named).toEqual(live);
      ctx.close();
    }
  });

  it('without any request id: a copy already paired is not taken again by the next request', () => {
    const p1 = keyless(pushed({ ts: TS }), 's:sess-1:transcript:1');
    const s1 = keyless(sent({ ts: TS + 2_000 }), 's:sess-1:p-1:1');
    const p2 = keyless(pushed({ ts: TS + 30_000 }), 's:sess-1:transcript:2');
    const s2 = keyless(sent({ ts: TS + 32_000 }), 's:sess-1:p-1:2');
    for (const order of permutations([p1, s1, p2, s2])) {
      const { ctx, writer, rows, rebuild } = store();
      const named = order.map((e) => e.key).join(' ');
      for (const [i, e] of order.entries()) {
        writer.write([e], TS);
        // Never fewer requests than the pushed copies so far: one is never lost into another.
        const pushedSoFar = order.slice(0, i + 1).filter((x) => x.splitKnown).length;
        expect(rows().length, named).toBeGreaterThanOrEqual(pushedSoFar);
      }
      expect(rows(), named).toHaveLength(2);
      const live = rows();
      rebuild();
      expect(rows(), named).toEqual(live);
      ctx.close();
    }
  });

  it('without a request id: a different request of the session is not taken for the pushed copy', () => {
    const { ctx, writer, rows } = store();
    writer.write([pushed(), keyless(sent({ usage: { ...sent().usage, cacheRead: 2_000 } }), 's:sess-1:p-1:8')], TS);
    writer.write([keyless(sent({ sessionId: 'sess-2' }), 's:sess-2:p-1:1')], TS);
    expect(rows()).toHaveLength(3);
    ctx.close();
  });

  it('without a request id: two of Claude Code’s events that look alike stay two requests', () => {
    const { ctx, writer, rows } = store();
    writer.write([keyless(sent(), 's:sess-1:p-1:7'), keyless(sent(), 's:sess-1:p-1:8')], TS);
    expect(rows()).toHaveLength(2);
    ctx.close();
  });
});

describe('two of Claude Code’s events with one request id that differ', () => {
  /** Each order of `copies` stored: the rows, which must be the same in every order. */
  const storedInEveryOrder = (copies: TelemetryEvent[]): Record<string, string | number | null>[] => {
    const kept = permutations(copies).map((order) => {
      const { ctx, writer, rows } = store();
      for (const e of order) writer.write([e], TS);
      const r = rows();
      ctx.close();
      return r;
    });
    for (const k of kept) expect(k).toEqual(kept[0]);
    return kept[0]!;
  };
  /** Every order of merging `copies` one into another: one event, the same in every order. */
  const mergedInEveryOrder = (copies: TelemetryEvent[]): TelemetryEvent => {
    const merged = permutations(copies).map((order) => order.slice(1).reduce((m, e) => mergeEvents(m, e), order[0]!));
    for (const m of merged) expect(m).toEqual(merged[0]);
    return merged[0]!;
  };

  it('keep one whole copy whichever came first: its counts and who it charges together', () => {
    const mallory = sent({
      model: 'claude-opus-4-5-20251101',
      usage: { ...sent().usage, input: 99_999, output: 900 },
      user: 'mallory@example.com',
      sessionId: 'sess-z',
      host: 'elsewhere',
    });
    // More output tokens: that copy, whole.
    expect(mergedInEveryOrder([sent(), mallory])).toEqual(mallory);
    expect(storedInEveryOrder([sent(), mallory])).toMatchObject([
      { user_name: 'mallory@example.com', host: 'elsewhere' },
    ]);
    // Equal counts: one of the two whole, the same in both orders (not the later).
    const tie = sent({ user: 'other@example.com', host: 'runner-9', sessionId: 'sess-y' });
    const kept = mergedInEveryOrder([sent(), tie]);
    expect([sent(), tie]).toContainEqual(kept);
    expect(storedInEveryOrder([sent(), tie])).toHaveLength(1);
  });

  it('keep the same whole copy of three or more in every order, none filled in from another', () => {
    const copies = [
      sent({ sessionId: 'a', user: 'ua@example.com' }),
      sent({ sessionId: null, user: 'ub@example.com' }),
      sent({ sessionId: 'z', user: 'uc@example.com' }),
    ];
    const kept = mergedInEveryOrder(copies);
    expect(copies).toContainEqual(kept);
    expect(storedInEveryOrder(copies)).toHaveLength(1);
  });
});

describe('a store upgraded from before events were paired', () => {
  it('joins its kept events again once: a pair counted twice before becomes one request', () => {
    const { ctx, writer, rows, price } = store();
    const p = keyless(pushed(), 's:sess-1:transcript:msg_1');
    const s = keyless(sent(), 's:sess-1:p-1:7');
    writer.write([p, s], TS);
    // As a store written before the upgrade holds them: both events unpaired, each its own row.
    ctx.db.prepare('UPDATE telemetry_events SET joined_to = NULL').run();
    const row = ctx.db.prepare('SELECT * FROM requests').get() as Record<string, unknown>;
    const other = row.key === `otel:${p.key}` ? `otel:${s.key}` : `otel:${p.key}`;
    const names = Object.keys(row);
    ctx.db
      .prepare(`INSERT INTO requests (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`)
      .run(...names.map((n) => (n === 'key' ? other : row[n])));
    expect(rows()).toHaveLength(2);
    // The migration leaves word for the next open that writes (meta), which joins every event again.
    setMeta(ctx.db, 'telemetry_rejoin', 'migration 8');
    const file = ctx.db.name;
    ctx.close();
    const again = openApp({ db: file, claudeDir: [join(file, '..')], tz: 'UTC' });
    const after = again.db.prepare('SELECT key, cost FROM requests').all() as { key: string; cost: number }[];
    expect(after).toHaveLength(1);
    expect(after[0]!.cost).toBeCloseTo(price(pushed()), 12);
    expect(getMeta(again.db, 'telemetry_rejoin')).toBeNull();
    again.close();
  });

  it('upgrades a store at schema 7 (the session index alone): it takes events again and pairs them', () => {
    const dir = join(isolateHome(), 'schema7');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'store.db');
    const db = openDatabase(file);
    // Back to schema 7 as it was first committed.
    db.exec(`DROP INDEX telemetry_events_keyless; DROP INDEX telemetry_events_session;
      DROP INDEX telemetry_events_paired; ALTER TABLE telemetry_events DROP COLUMN paired_row;
      ALTER TABLE telemetry_events DROP COLUMN joined_to;
      CREATE INDEX telemetry_events_session ON telemetry_events(session_id, ts);
      ALTER TABLE telemetry_counts DROP COLUMN last_ms;
      DELETE FROM meta WHERE key = 'telemetry_rejoin'; PRAGMA user_version = 7;`);
    db.close();
    const ctx = openApp({ db: file, claudeDir: [dir], tz: 'UTC' });
    const writer = new TelemetryWriter(ctx.db, {
      classes: ctx.config.classes,
      priceVersion: ctx.prices.version,
      price: (input) => priceRequest(ctx.prices, input),
    });
    writer.write([keyless(pushed(), 's:sess-1:transcript:msg_1'), keyless(sent(), 's:sess-1:p-1:7')], TS);
    expect(ctx.db.prepare('SELECT count(*) FROM requests').pluck().get()).toBe(1);
    ctx.close();
  });

  it('upgrades a store whose users were kept as their emails were spelt: one user, in lower case', () => {
    const { ctx, writer } = store();
    const file = ctx.config.dbPath;
    writer.write(
      [sent({ user: 'Dev0@Example.COM' }), sent({ key: 'req_2', requestId: 'req_2', user: 'dev0@example.com' })],
      TS,
    );
    ctx.db.exec(`ALTER TABLE telemetry_counts DROP COLUMN last_ms; DROP INDEX telemetry_events_paired;
      ALTER TABLE telemetry_events DROP COLUMN paired_row; PRAGMA user_version = 8`);
    ctx.close();
    const again = openApp({ db: file, claudeDir: [dirname(file)], tz: 'UTC' });
    const users = (table: string) =>
      again.db.prepare(`SELECT DISTINCT user_name FROM ${table}`).pluck().all() as string[];
    expect(users('requests')).toEqual(['dev0@example.com']);
    expect(users('telemetry_events')).toEqual(['dev0@example.com']);
    again.close();
  });

  it('upgrades a store whose models were kept as a line spelt them: one model, in lower case', () => {
    const { ctx, writer } = store();
    const file = ctx.config.dbPath;
    writer.write(
      [sent({ model: 'claude-opus-4-7' }), sent({ key: 'req_2', requestId: 'req_2', model: 'claude-opus-4-7' })],
      TS,
    );
    // As a store of version 12 held a transcript's capitals.
    ctx.db.exec(`UPDATE requests SET model = 'CLAUDE-Opus-4-7' WHERE key = 'req_2'; DROP INDEX telemetry_events_paired;
      ALTER TABLE telemetry_events DROP COLUMN paired_row; PRAGMA user_version = 12`);
    ctx.close();
    // The upgrade asks for the kept events to be joined again (a keyless event is joined by its
    // model too, which the capitals kept apart; the next migration asks again); the first open
    // that writes does it.
    const raw = openDatabase(file);
    expect(getMeta(raw, 'telemetry_rejoin')).toBe('migration 14');
    raw.close();
    const again = openApp({ db: file, claudeDir: [dirname(file)], tz: 'UTC' });
    expect(getMeta(again.db, 'telemetry_rejoin')).toBeNull();
    const models = again.db.prepare('SELECT model, COUNT(*) AS n FROM requests GROUP BY model').all();
    expect(models).toEqual([{ model: 'claude-opus-4-7', n: 2 }]);
    again.close();
  });

  it('a new store asks for that join once, and the first open does it and clears it', () => {
    const dir = join(isolateHome(), 'fresh');
    mkdirSync(dir, { recursive: true });
    const db = openDatabase(join(dir, 'store.db'));
    expect(getMeta(db, 'telemetry_rejoin')).toBe('migration 14');
    db.close();
    const ctx = openApp({ db: join(dir, 'store.db'), claudeDir: [dir], tz: 'UTC' });
    expect(getMeta(ctx.db, 'telemetry_rejoin')).toBeNull();
    ctx.close();
  });

  it('tells a pushed copy from an event of Claude Code alone in the sources, and filters by them', () => {
    const { ctx, writer } = store();
    // One request pushed (and its event too), one known from its event alone.
    writer.write([pushed(), sent(), sent({ key: 'req_2', requestId: 'req_2', ts: TS + 60_000 })], TS);
    const bySource = (filter = {}) =>
      aggregate(ctx.db, 'source', filter, 'UTC').map((r) => [r.key, r.requests] as [string, number]);
    expect(bySource().sort()).toEqual([
      ['otel', 1],
      ['push', 1],
    ]);
    expect(bySource({ source: 'push' })).toEqual([['push', 1]]);
    expect(bySource({ source: 'otel' })).toEqual([['otel', 1]]);
    // Each request says the same of itself (the CSV's origin column, the request detail).
    expect(
      listRequests(ctx.db, {}, { limit: 10 })
        .map((r) => r.origin)
        .sort(),
    ).toEqual(['otel', 'push']);
    ctx.close();
  });
});
