/**
 * Four ways requests could vanish or a report die, each ending with the totals and classes of a
 * cold read: implausible timestamps, a read that failed once, a file rewritten in place, and a
 * file holding two sessions read in pieces.
 */
import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catchUp } from '../../src/ingest/pipeline.js';
import { aggregate } from '../../src/store/queries.js';
import { buildCli, cliPath } from '../e2e/build-cli.js';
import { openTestApp, tempDir, totals } from './helpers.js';
import { line, snapshotLine } from './session-lines.js';

const tmp = tempDir('cm-loss-');
afterAll(() => tmp.cleanup());

function classes(dbFile: string, root: string): Record<string, { requests: number; output: number }> {
  const ctx = openTestApp([root], dbFile);
  try {
    const rows = ctx.db
      .prepare('SELECT class, COUNT(*) AS requests, SUM(output_tokens) AS output FROM requests GROUP BY class')
      .all() as { class: string; requests: number; output: number }[];
    return Object.fromEntries(rows.map((r) => [r.class, { requests: r.requests, output: r.output }]));
  } finally {
    ctx.close();
  }
}

async function ingest(root: string, dbFile: string): Promise<{ warnings: string[]; skipped: Record<string, number> }> {
  const ctx = openTestApp([root], dbFile);
  try {
    const s = await catchUp(ctx);
    return { warnings: s.warnings, skipped: s.skipped };
  } finally {
    ctx.close();
  }
}

/** Totals and classes of a cold read of `root` into a new database. */
async function cold(root: string, name: string): Promise<unknown> {
  const db = join(tmp.dir, `${name}-cold-${Math.random().toString(36).slice(2)}.db`);
  await ingest(root, db);
  const ctx = openTestApp([root], db);
  try {
    return { totals: totals(ctx.db), classes: classes(db, root) };
  } finally {
    ctx.close();
  }
}

async function state(root: string, db: string): Promise<unknown> {
  const ctx = openTestApp([root], db);
  try {
    return { totals: totals(ctx.db), classes: classes(db, root) };
  } finally {
    ctx.close();
  }
}

describe('implausible timestamps', () => {
  it('are a skip reason, kept out of day and cycle arithmetic', async () => {
    const root = join(tmp.dir, 'future');
    const dir = join(root, 'projects', 'p');
    mkdirSync(dir, { recursive: true });
    const S = '11111111-1111-4111-8111-111111111111';
    writeFileSync(
      join(dir, `${S}.jsonl`),
      line({ session: S, id: 'a', output: 10, ts: '2026-11-02T10:00:00.000Z' }) +
        line({ session: S, id: 'b', output: 20, ts: '9999-01-01T00:00:00.000Z' }) +
        line({ session: S, id: 'c', output: 30, ts: '+275760-09-13T00:00:00.000Z' }) +
        line({ session: S, id: 'd', output: 40, ts: '1970-01-02T00:00:00.000Z' }),
    );
    const db = join(tmp.dir, 'future.db');
    const s = await ingest(root, db);
    expect(s.skipped['implausible-timestamp']).toBe(3);
    const ctx = openTestApp([root], db);
    try {
      expect(totals(ctx.db).requests).toBe(1);
      expect(aggregate(ctx.db, 'day', {}, 'UTC').map((r) => r.key)).toEqual(['2026-11-02']);
    } finally {
      ctx.close();
    }
  });

  it('already stored in an old store, never make a day report build ranges up to them', () => {
    const root = join(tmp.dir, 'future');
    const ctx = openTestApp([root], join(tmp.dir, 'future-old.db'));
    try {
      const insert = ctx.db.prepare(
        `INSERT INTO requests (key, class, model, ts, input_tokens, output_tokens, cache_read_tokens,
           cache_write_5m_tokens, cache_write_1h_tokens, web_search_requests, web_fetch_requests, cost, source)
         VALUES (?, 'programmatic', 'claude-sonnet-4-5-20250929', ?, 1, 1, 0, 0, 0, 0, 0, 0.01, 'line')`,
      );
      insert.run('ok', Date.UTC(2026, 10, 2));
      insert.run('far', 8.64e15);
      const days = aggregate(ctx.db, 'day', {}, 'UTC');
      expect(days.map((d) => d.key)).toEqual(['2026-11-02']);
    } finally {
      ctx.close();
    }
  });
});

describe('a read that fails', () => {
  beforeAll(() => buildCli(), 120_000);

  it('is retried on every run and its requests arrive once it succeeds', () => {
    const base = join(tmp.dir, 'perm');
    const dir = join(base, 'root', 'projects', 'p');
    mkdirSync(dir, { recursive: true });
    const S = '22222222-2222-4222-8222-222222222222';
    const file = join(dir, `${S}.jsonl`);
    writeFileSync(file, line({ session: S, id: 'x1', output: 5 }) + line({ session: S, id: 'x2', output: 6 }));
    writeFileSync(join(base, 'config.json'), '{}');
    for (const p of [tmp.dir, base, join(base, 'root'), join(base, 'root', 'projects'), dir]) chmodSync(p, 0o777);
    chmodSync(join(base, 'config.json'), 0o644);
    // As root every file is readable: the CLI then runs as `nobody`, for whom mode 000 is unreadable.
    const asUser = process.getuid?.() === 0 ? ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups'] : [];
    const run = (...args: string[]): { code: number | null; out: string; err: string } => {
      const argv = [...asUser, process.execPath, cliPath, ...args];
      const r = spawnSync(argv[0]!, argv.slice(1), {
        encoding: 'utf8',
        env: { ...process.env, HOME: base, XDG_CONFIG_HOME: base, XDG_DATA_HOME: base, NO_COLOR: '1' },
      });
      return { code: r.status, out: r.stdout, err: r.stderr };
    };
    const common = [
      '--db',
      join(base, 'store.db'),
      '--claude-dir',
      join(base, 'root'),
      '--config',
      join(base, 'config.json'),
    ];
    chmodSync(file, 0o000);
    const first = run('ingest', '--json', ...common);
    expect(first.code, first.err).toBe(0);
    const s1 = JSON.parse(first.out) as { warnings: string[]; requestsAdded: number; files: number; filesRead: number };
    expect(s1.requestsAdded).toBe(0);
    // Found, not read: "Read 0 of 1 file".
    expect([s1.filesRead, s1.files]).toEqual([0, 1]);
    expect(s1.warnings.join('\n')).toMatch(/Could not read .*jsonl/);
    // Still unreadable: reported again, not forgotten.
    const again = JSON.parse(run('ingest', '--json', ...common).out) as { warnings: string[] };
    expect(again.warnings.join('\n')).toMatch(/Could not read/);
    chmodSync(file, 0o644);
    const fixed = JSON.parse(run('ingest', '--json', ...common).out) as { warnings: string[]; requestsAdded: number };
    expect(fixed.requestsAdded).toBe(2);
    expect(fixed.warnings).toEqual([]);
    const report = JSON.parse(run('report', '--json', ...common).out) as {
      totals: { requests: number; outputTokens: number };
    };
    expect(report.totals).toMatchObject({ requests: 2, outputTokens: 11 });
    // A root closed to the user is a folder that could not be read, not one without projects.
    chmodSync(join(base, 'root'), 0o000);
    try {
      const closed = JSON.parse(run('ingest', '--json', ...common).out) as { warnings: string[] };
      expect(closed.warnings.join('\n')).toMatch(/1 folder could not be read \(e\.g\. .*projects\)/);
      expect(closed.warnings.join('\n')).not.toMatch(/no projects folder/);
    } finally {
      chmodSync(join(base, 'root'), 0o777);
    }
  }, 60_000);
});

describe('a file rewritten in place', () => {
  it('is read again from the start when bytes already read changed, counting nothing twice', async () => {
    const root = join(tmp.dir, 'rewrite');
    const dir = join(root, 'projects', 'p');
    mkdirSync(dir, { recursive: true });
    const S = '33333333-3333-4333-8333-333333333333';
    const file = join(dir, `${S}.jsonl`);
    const head = Array.from({ length: 4 }, (_, i) => line({ session: S, id: `h${i}`, output: 10 + i })).join('');
    const before = head + line({ session: S, id: 'm1', output: 100 }) + line({ session: S, id: 'm2', output: 200 });
    writeFileSync(file, before);
    const db = join(tmp.dir, 'rewrite.db');
    await ingest(root, db);
    // Same inode, same first KB, new lines where m1 and m2 were, and longer than before.
    const after =
      head +
      line({ session: S, id: 'n1', output: 300 }) +
      line({ session: S, id: 'n2', output: 400 }) +
      line({ session: S, id: 'n3', output: 500 });
    expect(Buffer.byteLength(after)).toBeGreaterThan(Buffer.byteLength(before));
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.from(after), 0, Buffer.byteLength(after), 0);
    closeSync(fd);
    await ingest(root, db);
    // Everything the file ever held: the cold read of both versions.
    const archive = join(tmp.dir, 'rewrite-archive');
    mkdirSync(join(archive, 'projects', 'v1'), { recursive: true });
    mkdirSync(join(archive, 'projects', 'v2'), { recursive: true });
    writeFileSync(join(archive, 'projects', 'v1', `${S}.jsonl`), before);
    writeFileSync(join(archive, 'projects', 'v2', `${S}.jsonl`), after);
    const got = (await state(root, db)) as { totals: { requests: number } };
    expect(got.totals.requests).toBe(9);
    expect(got).toEqual(await cold(archive, 'rewrite'));
  });
});

describe('a file holding two sessions, not named after either', () => {
  it('gives every request the same class read cold or in any pieces', async () => {
    const A = '44444444-4444-4444-8444-444444444444';
    const B = '55555555-5555-4555-8555-555555555555';
    const lines = [
      line({ session: A, id: 'a1', output: 1, entrypoint: null }),
      snapshotLine(A),
      line({ session: B, id: 'b1', output: 2, entrypoint: null }),
      line({ session: A, id: 'a2', output: 3, entrypoint: null }),
      line({ session: B, id: 'b2', output: 4, entrypoint: null }),
      line({ session: B, id: 'b3', output: 5, entrypoint: null }),
    ];
    const expected = await (async () => {
      const root = join(tmp.dir, 'two-cold');
      mkdirSync(join(root, 'projects', 'p'), { recursive: true });
      writeFileSync(join(root, 'projects', 'p', 'combined.jsonl'), lines.join(''));
      return cold(root, 'two');
    })();
    for (const cuts of [[1], [2], [3], [2, 4], [1, 2, 3, 4, 5]]) {
      const root = join(tmp.dir, `two-${cuts.join('-')}`);
      mkdirSync(join(root, 'projects', 'p'), { recursive: true });
      const file = join(root, 'projects', 'p', 'combined.jsonl');
      const db = join(tmp.dir, `two-${cuts.join('-')}.db`);
      writeFileSync(file, '');
      let at = 0;
      for (const cut of [...cuts, lines.length]) {
        appendFileSync(file, lines.slice(at, cut).join(''));
        at = cut;
        await ingest(root, db);
      }
      expect(await state(root, db), `cuts ${cuts.join(',')}`).toEqual(expected);
    }
  });
});

describe('the database path', () => {
  it('is a folder: --rebuild says so (exit 2), no raw EISDIR', () => {
    const dir = join(tmp.dir, 'db-is-a-folder');
    mkdirSync(dir, { recursive: true });
    const r = spawnSync(process.execPath, [cliPath, 'ingest', '--rebuild', '--db', dir, '--claude-dir', tmp.dir], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/is a folder/);
    expect(r.stderr).not.toMatch(/EISDIR/);
    expect(readFileSync(cliPath, 'utf8').length).toBeGreaterThan(0);
  });
});
