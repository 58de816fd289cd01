import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { catchUp } from '../../src/ingest/pipeline.js';
import { watchRoots } from '../../src/ingest/watcher.js';
import type { IngestSummary } from '../../src/ingest/summary.js';
import { openTestApp, tempDir, totals } from './helpers.js';
import { assistantLine, userLine } from './lines.js';

const S1 = '33333333-3333-4333-8333-333333333333';
const S2 = '44444444-4444-4444-8444-444444444444';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

async function until(check: () => boolean, what: string, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * A root holding one transcript (`first`) in `projects/p`, caught up and watched; `stored` says
 * whether a request is in the store, `close` ends the watch and the store.
 */
async function watchedRoot(root: string, db: string, first: string, options: Parameters<typeof watchRoots>[2] = {}) {
  const project = join(root, 'projects', 'p');
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, `${S1}.jsonl`), first);
  const ctx = openTestApp([root], join(tmp.dir, db));
  await catchUp(ctx);
  const watcher = await watchRoots(ctx, () => {}, options);
  return {
    project,
    ctx,
    stored: (id: string): boolean =>
      ctx.db.prepare('SELECT 1 FROM requests WHERE message_id = ?').get(id) !== undefined,
    close: async (): Promise<void> => {
      await watcher.close();
      ctx.close();
    },
  };
}

describe('watchRoots', () => {
  it('tails appends, new files and new project folders, and a final copy replaces the placeholder', async () => {
    const root = join(tmp.dir, 'root');
    mkdirSync(join(root, 'projects', 'first'), { recursive: true });
    const f1 = join(root, 'projects', 'first', `${S1}.jsonl`);
    writeFileSync(f1, userLine(S1));
    const ctx = openTestApp([root], join(tmp.dir, 'watch.db'));
    await catchUp(ctx);
    const seen: IngestSummary[] = [];
    const watcher = await watchRoots(ctx, (s) => seen.push(s));
    const output = (id: string): number | undefined =>
      (
        ctx.db.prepare('SELECT output_tokens AS o FROM requests WHERE message_id = ?').get(id) as
          { o: number } | undefined
      )?.o;
    try {
      appendFileSync(f1, assistantLine({ session: S1, id: 'W1', output: 2 }));
      await until(() => output('W1') === 2, 'the placeholder copy');
      appendFileSync(f1, assistantLine({ session: S1, id: 'W1', output: 222 }));
      await until(() => output('W1') === 222, 'the final copy');

      const dir2 = join(root, 'projects', 'second');
      mkdirSync(dir2);
      writeFileSync(join(dir2, `${S2}.jsonl`), userLine(S2) + assistantLine({ session: S2, id: 'W2', output: 5 }));
      await until(() => output('W2') === 5, 'a file in a new project folder');
      expect(seen.some((s) => s.duplicatesReplaced === 1)).toBe(true);
      expect(seen.every((s) => s.filesRead <= 2)).toBe(true);
    } finally {
      await watcher.close();
    }
    expect(totals(ctx.db).requests).toBe(2);
    ctx.close();
  });

  it('never misses a file written right after its new folder, with both cores busy', async () => {
    const root = join(tmp.dir, 'root');
    mkdirSync(join(root, 'projects'), { recursive: true });
    const ctx = openTestApp([root], join(tmp.dir, 'load.db'));
    await catchUp(ctx);
    const watcher = await watchRoots(ctx, () => {});
    // Two busy loops in other processes: the machine has no idle core while the folders appear.
    const burners = [0, 1].map(() => spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
    try {
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) {
        const session = `5${String(i).padStart(7, '0')}-5555-4555-8555-555555555555`;
        // Every other file two new folders deep (a session's subagents folder appears with it).
        const dir =
          i % 2 === 0 ? join(root, 'projects', `burst-${i}`) : join(root, 'projects', `burst-${i}`, 'subagents');
        mkdirSync(dir, { recursive: true });
        writeFileSync(
          join(dir, `${session}.jsonl`),
          userLine(session) + assistantLine({ session, id: `L${i}`, output: 7 }),
        );
        ids.push(`L${i}`);
      }
      const stored = (): number =>
        (
          ctx.db
            .prepare(`SELECT COUNT(*) AS n FROM requests WHERE message_id IN (${ids.map(() => '?').join(',')})`)
            .get(...ids) as { n: number }
        ).n;
      await until(() => stored() === ids.length, 'every file of the new folders', 5000);
    } finally {
      for (const b of burners) b.kill('SIGKILL');
      await watcher.close();
    }
    ctx.close();
  });

  it('reads a root folder made again after it was removed, and says while it has no projects folder', async () => {
    const base = join(tmp.dir, 'home');
    const root = join(base, '.claude');
    const empty: string[][] = [];
    const w = await watchedRoot(root, 'gone.db', userLine(S1) + assistantLine({ session: S1, id: 'G1', output: 1 }), {
      onEmptyRoots: (roots) => empty.push(roots),
    });
    const { project, ctx, stored } = w;
    const missing = (): number =>
      (ctx.db.prepare('SELECT COUNT(*) AS n FROM files WHERE missing = 1').get() as { n: number }).n;
    try {
      rmSync(root, { recursive: true });
      await until(() => missing() === 1, 'the removed transcript marked gone');
      // Made again once the old folder's watch is long gone.
      await new Promise((r) => setTimeout(r, 300));
      mkdirSync(project, { recursive: true });
      const f2 = join(project, `${S2}.jsonl`);
      writeFileSync(f2, userLine(S2) + assistantLine({ session: S2, id: 'G2', output: 2 }));
      await until(() => stored('G2'), 'a transcript of the root made again');
      await until(() => empty.length === 2, 'the root said gone, then back');
      expect(empty).toEqual([[root], []]);
      appendFileSync(f2, assistantLine({ session: S2, id: 'G3', output: 3 }));
      await until(() => stored('G3'), 'an append in the root made again');

      // Removed with the folder above it, and made again folder by folder.
      rmSync(base, { recursive: true });
      await until(() => empty.length === 3, 'the root said gone with its parent');
      await new Promise((r) => setTimeout(r, 300));
      mkdirSync(base);
      await new Promise((r) => setTimeout(r, 300));
      mkdirSync(project, { recursive: true });
      writeFileSync(join(project, 'later.jsonl'), userLine(S1) + assistantLine({ session: S1, id: 'G4', output: 4 }));
      await until(() => stored('G4'), 'a transcript of the root made again under a new parent');
    } finally {
      await w.close();
    }
  });

  it('keeps watching a root replaced at once (removed and made again in one go)', async () => {
    const root = join(tmp.dir, 'root');
    const w = await watchedRoot(root, 'replaced.db', userLine(S1));
    const { project, stored } = w;
    try {
      rmSync(root, { recursive: true });
      mkdirSync(project, { recursive: true });
      writeFileSync(join(project, `${S2}.jsonl`), userLine(S2) + assistantLine({ session: S2, id: 'R1', output: 1 }));
      await until(() => stored('R1'), 'a transcript of the replaced root');
      await new Promise((r) => setTimeout(r, 300));
      // Its projects folder removed and made again: only a watch on the new root itself sees that.
      rmSync(join(root, 'projects'), { recursive: true });
      await new Promise((r) => setTimeout(r, 300));
      mkdirSync(project, { recursive: true });
      writeFileSync(join(project, 'next.jsonl'), userLine(S1) + assistantLine({ session: S1, id: 'R2', output: 2 }));
      await until(() => stored('R2'), 'a transcript of a projects folder made again in the replaced root');
    } finally {
      await w.close();
    }
  });

  it('keeps hearing the root after the folder above it is made anew in one go', async () => {
    // The watch on the folder above the root stood on the old folder: the new one at the same path
    // must be watched in its turn, or the root's later removal and return go unheard.
    const base = join(tmp.dir, 'base');
    const root = join(base, 'claude');
    const w = await watchedRoot(root, 'above.db', userLine(S1));
    const { project, stored } = w;
    try {
      rmSync(base, { recursive: true });
      mkdirSync(project, { recursive: true });
      writeFileSync(join(project, `${S2}.jsonl`), userLine(S2) + assistantLine({ session: S2, id: 'A1', output: 1 }));
      await until(() => stored('A1'), 'a transcript after the folder above was made anew');
      await new Promise((r) => setTimeout(r, 300));
      rmSync(root, { recursive: true });
      await new Promise((r) => setTimeout(r, 300));
      mkdirSync(project, { recursive: true });
      writeFileSync(join(project, 'later.jsonl'), userLine(S1) + assistantLine({ session: S1, id: 'A2', output: 2 }));
      await until(() => stored('A2'), 'a transcript of the root made again after that');
    } finally {
      await w.close();
    }
  });
});
