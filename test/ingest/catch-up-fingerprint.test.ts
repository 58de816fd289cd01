/**
 * A catch-up that finds the same files with the same stats as the last complete one skips loading
 * the file rows; everything that changes a file, the set of files or the store's own bookkeeping
 * must still be read, once.
 */
import { appendFileSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { catchUp, ingestPaths } from '../../src/ingest/pipeline.js';
import { getMeta } from '../../src/store/database.js';
import { coverage } from '../../src/store/coverage.js';
import { openTestApp, tempDir, totals } from './helpers.js';
import { line } from './session-lines.js';

const tmp = tempDir('cm-fingerprint-');
afterAll(() => tmp.cleanup());

async function run(root: string, dbFile: string, tail?: string[]) {
  const ctx = openTestApp([root], dbFile);
  try {
    const summary = tail ? await ingestPaths(ctx, tail) : await catchUp(ctx);
    const t = totals(ctx.db);
    const missing = (ctx.db.prepare('SELECT COUNT(*) AS n FROM files WHERE missing = 1').get() as { n: number }).n;
    return { summary, requests: t.requests, output: t.output, missing, fp: getMeta(ctx.db, 'catch_up_fingerprint') };
  } finally {
    ctx.close();
  }
}

describe('catch-up fingerprint', () => {
  it('reads every change after a nothing-new run, and nothing twice', async () => {
    const root = join(tmp.dir, 'root');
    const dir = join(root, 'projects', '-home-u-project');
    mkdirSync(dir, { recursive: true });
    const a = join(dir, 'sess-a.jsonl');
    writeFileSync(a, line({ session: 'sess-a', id: 'a1', output: 10 }));
    const db = join(tmp.dir, 'store.db');

    const first = await run(root, db);
    expect(first).toMatchObject({ requests: 1, output: 10 });
    expect(first.fp).toMatch(/\S+ \S+/);
    // Nothing new: same totals, the file still counted.
    const idle = await run(root, db);
    expect(idle).toMatchObject({ requests: 1, output: 10, fp: first.fp });
    expect(idle.summary.files).toBe(1);
    expect(idle.summary.filesRead).toBe(0);

    // An append is read.
    appendFileSync(a, line({ session: 'sess-a', id: 'a2', output: 20 }));
    expect(await run(root, db)).toMatchObject({ requests: 2, output: 30 });
    expect((await run(root, db)).summary.filesRead).toBe(0);

    // A new file in an existing folder, and one in a new folder, are read.
    writeFileSync(join(dir, 'sess-b.jsonl'), line({ session: 'sess-b', id: 'b1', output: 5 }));
    mkdirSync(join(root, 'projects', '-home-u-other'));
    writeFileSync(
      join(root, 'projects', '-home-u-other', 'sess-c.jsonl'),
      line({ session: 'sess-c', id: 'c1', output: 7 }),
    );
    expect(await run(root, db)).toMatchObject({ requests: 4, output: 42 });

    // A removed file is marked missing; its requests stay.
    rmSync(join(dir, 'sess-b.jsonl'));
    expect(await run(root, db)).toMatchObject({ requests: 4, output: 42, missing: 1 });
    expect(await run(root, db)).toMatchObject({ requests: 4, output: 42, missing: 1 });

    // A file replaced by another (new inode, same name) is read again without double counting.
    const next = join(dir, 'sess-a.next');
    writeFileSync(
      next,
      line({ session: 'sess-a', id: 'a1', output: 10 }) +
        line({ session: 'sess-a', id: 'a2', output: 20 }) +
        line({ session: 'sess-a', id: 'a3', output: 1 }),
    );
    renameSync(next, a);
    expect(await run(root, db)).toMatchObject({ requests: 5, output: 43 });

    // Another writer (the live tail) moves the store's bookkeeping on: the next catch-up notices,
    // reads nothing twice, and remembers the new state.
    appendFileSync(a, line({ session: 'sess-a', id: 'a4', output: 2 }));
    expect(await run(root, db, [a])).toMatchObject({ requests: 6, output: 45 });
    const after = await run(root, db);
    expect(after).toMatchObject({ requests: 6, output: 45 });
    expect(after.fp).not.toBe(first.fp);
    expect((await run(root, db)).summary.filesRead).toBe(0);
  });

  it('counts the duplicates of a file read again from its start as a first read of it would', async () => {
    const root = join(tmp.dir, 'reread');
    const dir = join(root, 'projects', '-home-u-project');
    mkdirSync(dir, { recursive: true });
    const a = join(dir, 'sess-r.jsonl');
    // A streaming copy then its final one (replaced), and a copy written twice (dropped).
    const v1 =
      line({ session: 'sess-r', id: 'r1', output: 3 }) +
      line({ session: 'sess-r', id: 'r1', output: 30 }) +
      line({ session: 'sess-r', id: 'r2', output: 8 }) +
      line({ session: 'sess-r', id: 'r2', output: 8 });
    // A later version: r2's final count and a request more.
    const v2 = v1 + line({ session: 'sess-r', id: 'r2', output: 9 }) + line({ session: 'sess-r', id: 'r3', output: 4 });
    const figures = async (db: string) => {
      await run(root, db);
      const ctx = openTestApp([root], db);
      try {
        const c = coverage(ctx.db);
        return {
          requests: totals(ctx.db).requests,
          lines: c.lines,
          replaced: c.duplicatesReplaced,
          dropped: c.duplicatesDropped,
        };
      } finally {
        ctx.close();
      }
    };
    const replace = (text: string) => {
      writeFileSync(`${a}.next`, text);
      renameSync(`${a}.next`, a);
    };
    writeFileSync(a, v1);
    const db = join(tmp.dir, 'reread.db');
    const first = await figures(db);
    expect(first).toEqual({ requests: 2, lines: 4, replaced: 1, dropped: 1 });
    // The same bytes in a new file (a restore, a sync tool): the same figures, read after read.
    replace(v1);
    expect(await figures(db)).toEqual(first);
    replace(v1);
    expect(await figures(db)).toEqual(first);
    // A new version in a new file: what a store that only ever saw that version says.
    replace(v2);
    const fresh = join(tmp.dir, 'reread-fresh.db');
    const once = await figures(fresh);
    expect(once).toEqual({ requests: 3, lines: 6, replaced: 2, dropped: 1 });
    expect(await figures(db)).toEqual(once);
    // Appended after that read: its copies of earlier lines still count as duplicates.
    appendFileSync(a, line({ session: 'sess-r', id: 'r3', output: 4 }));
    expect(await figures(db)).toEqual({ requests: 3, lines: 7, replaced: 2, dropped: 2 });
  });
});
