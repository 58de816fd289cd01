/**
 * Discovery with the folder listing cache finds exactly what a fresh walk finds, whatever changed
 * in between: files and folders added, removed or renamed, symbolic links turning into files or
 * dangling, a damaged cache file; and it does not trust a folder listed right after a change.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { discoverFiles } from '../../src/ingest/roots.js';
import { RACY_MS, readDirCache } from '../../src/ingest/dir-cache.js';
import { tempDir } from './helpers.js';

const tmp = tempDir('cm-dircache-');
afterAll(() => tmp.cleanup());

let n = 0;
/** A Claude root with a few projects, sessions and subagent folders. */
function tree(): { root: string; cache: string; projects: string } {
  const root = join(tmp.dir, `root-${++n}`);
  const projects = join(root, 'projects');
  for (const p of ['-home-a', '-home-b']) {
    mkdirSync(join(projects, p, 's1', 'subagents'), { recursive: true });
    writeFileSync(join(projects, p, 's1.jsonl'), '{}\n');
    writeFileSync(join(projects, p, 's1', 'subagents', 'agent-1.jsonl'), '{}\n');
    writeFileSync(join(projects, p, 'notes.txt'), 'x');
  }
  return { root, cache: join(tmp.dir, `dirs-${n}.json`), projects };
}

const paths = (roots: string[], cache: string | null, now?: () => number): string[] =>
  discoverFiles(roots, cache, now).files.map((f) => f.path);

/** A clock past the racy window: every listing taken with it is trusted on the next run. */
const later = (): number => Date.now() + RACY_MS + 1_000;

describe('folder listing cache', () => {
  it('equals a fresh walk after every kind of change', () => {
    const t = tree();
    const fresh = (): string[] => paths([t.root], null);
    const cached = (): string[] => paths([t.root], t.cache, later);
    expect(cached()).toEqual(fresh());
    expect(Object.keys(readDirCache(t.cache).roots)).toEqual([t.projects]);
    expect(cached()).toEqual(fresh());

    const changes: Array<() => void> = [
      () => writeFileSync(join(t.projects, '-home-a', 's2.jsonl'), '{}\n'),
      () => writeFileSync(join(t.projects, '-home-a', 's1', 'subagents', 'agent-2.jsonl'), '{}\n'),
      () => mkdirSync(join(t.projects, '-home-c', 's9', 'subagents'), { recursive: true }),
      () => writeFileSync(join(t.projects, '-home-c', 's9', 'subagents', 'agent-9.jsonl'), '{}\n'),
      () => rmSync(join(t.projects, '-home-b', 's1.jsonl')),
      () => renameSync(join(t.projects, '-home-a', 's2.jsonl'), join(t.projects, '-home-a', 's3.jsonl')),
      () => rmSync(join(t.projects, '-home-b'), { recursive: true }),
      () => renameSync(join(t.projects, '-home-c'), join(t.projects, '-home-d')),
      () => symlinkSync(join(t.projects, '-home-a', 'gone.txt'), join(t.projects, '-home-a', 'link.jsonl')),
      () => writeFileSync(join(t.projects, '-home-a', 'gone.txt'), '{}\n'),
      () => rmSync(join(t.projects, '-home-a', 'gone.txt')),
      () => writeFileSync(join(t.projects, '-home-a', 's1', 'subagents', 'agent-2.jsonl'), '{"more":1}\n'),
    ];
    for (const change of changes) {
      change();
      const want = fresh();
      expect(cached()).toEqual(want);
      expect(cached()).toEqual(want);
    }
    expect(fresh()).toContain(join(t.projects, '-home-d', 's9', 'subagents', 'agent-9.jsonl'));
  });

  it('does not trust a folder listed right after it changed: an entry added in the same tick is found', () => {
    const t = tree();
    paths([t.root], t.cache, later);
    const kept = readDirCache(t.cache);
    const dirA = join(t.projects, '-home-a');
    const added = join(dirA, 'same-tick.jsonl');
    writeFileSync(added, '{}\n');
    // A listing that matches the folder's times now but misses the new file: what a listing taken
    // in the same clock tick just before the file was created would look like.
    const st = statSync(dirA);
    const forge = (listedAt: number): void => {
      const a = kept.roots[t.projects]!.d['-home-a']!;
      kept.roots[t.projects]!.d['-home-a'] = { ...a, m: st.mtimeMs, c: st.ctimeMs, i: st.ino, t: listedAt };
      writeFileSync(t.cache, JSON.stringify(kept));
    };
    forge(Math.max(st.mtimeMs, st.ctimeMs) + 1);
    expect(paths([t.root], t.cache, later)).toContain(added);
    // The same listing taken long after the change is trusted: the cache is what is read then.
    forge(Math.max(st.mtimeMs, st.ctimeMs) + RACY_MS);
    expect(paths([t.root], t.cache, later)).not.toContain(added);
  });

  it('lists everything again from a damaged or foreign cache file, and mends it', () => {
    const t = tree();
    const want = paths([t.root], null);
    for (const bad of [
      'not json',
      '{"v":1,"roots":{"x":1}}',
      JSON.stringify({ v: 1, roots: { [t.projects]: { m: 1, c: 1, i: 1, t: 1, f: [3], l: [], d: {} } } }),
      JSON.stringify({ v: 1, roots: { [t.projects]: { m: 1, c: 1, i: 1, t: 1, f: ['../../x'], l: [], d: {} } } }),
      '{"v":2}',
      '{"v":1,"roots":[]}',
      JSON.stringify({ v: 1, roots: { [t.projects]: 5 } }),
      JSON.stringify({ v: 1, roots: { [t.projects]: null } }),
      JSON.stringify({ v: 1, roots: { [t.projects]: { m: 1, c: 1, i: 1, t: 1, f: [], l: [], d: { '-home-a': 7 } } } }),
      JSON.stringify({ v: 1, roots: { [t.projects]: { m: '1', c: 1, i: 1, t: 1, f: [], l: [], d: {} } } }),
    ]) {
      writeFileSync(t.cache, bad);
      expect(paths([t.root], t.cache, later)).toEqual(want);
      expect(readDirCache(t.cache).roots[t.projects]?.f).toEqual([]);
    }
  });

  it('warns of an unreadable folder on every run and keeps no listing of it', () => {
    if (process.getuid?.() === 0) return; // root reads every folder
    const t = tree();
    const locked = join(t.projects, '-home-a', 's1');
    chmodSync(locked, 0o000);
    try {
      expect(discoverFiles([t.root], t.cache, later).unreadableDirs.length).toBe(1);
      expect(discoverFiles([t.root], t.cache, later).unreadableDirs.length).toBe(1);
      expect(JSON.stringify(readDirCache(t.cache))).not.toContain('agent-1.jsonl');
    } finally {
      chmodSync(locked, 0o755);
    }
  });

  it('keeps no cache for a store in memory', () => {
    const t = tree();
    expect(paths([t.root], null, later)).toHaveLength(4);
    expect(() => readFileSync(t.cache)).toThrow();
  });
});
