/**
 * What a catch-up that found nothing new rested on, flat: every folder it listed (or whose kept
 * listing it trusted) with its times and inode, every file it found with its stat, and the links
 * and `history.jsonl` paths that were not files then. While each of them stats as it did, a new
 * catch-up would find the same files at the same sizes and times: nothing to read.
 *
 * `ingest`, `status` and `report` ask this before anything else (app/ingest-snapshot.ts): one
 * `stat` per entry and a comparison of numbers, without listing, the folder cache or a digest.
 * Creating, removing or renaming an entry changes its folder's times; appending changes a file's
 * size and mtime; a link's target is stat'ed through the link.
 */
import { readdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { RACY_MS } from './dir-cache.js';
import type { FileStat } from './plan.js';
import type { Discovery } from './roots.js';
import { statView, VIEW } from '../store/path-stat.js';

export interface WatchList {
  /** Folders first, then files, joined by NUL (which no path holds). */
  paths: string;
  dirs: number;
  /** Per folder: mtimeMs, ctimeMs, inode. Per file: dev, inode, size, mtimeMs (inode -1: not a file). */
  nums: ArrayLike<number>;
  /**
   * Folders changed shortly before they were listed (by index), with their entries (listingOf):
   * their times may not show an entry made in the same tick after the listing, so they are
   * listed again each time (as the folder cache does, ingest/dir-cache.ts).
   */
  racy: number[];
  listings: string[];
}

const NOT_A_FILE = [0, -1, 0, 0];

/** A folder's entries as discovery takes them: subfolders, `*.jsonl` files and links, sorted. */
function listingOf(dir: string): string {
  const names: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) names.push(`d/${e.name}`);
    else if (e.name.endsWith('.jsonl')) {
      if (e.isFile()) names.push(`f/${e.name}`);
      else if (e.isSymbolicLink()) names.push(`l/${e.name}`);
    }
  }
  return names.sort().join('\0');
}

/** The same for every folder of a discovery, as it saw them (one pass, by folder). */
function listingsFound(found: Discovery): Map<string, string[]> {
  const byDir = new Map<string, string[]>();
  const add = (path: string, kind: string): void => {
    const dir = dirname(path);
    const names = byDir.get(dir);
    if (names === undefined) byDir.set(dir, [`${kind}/${basename(path)}`]);
    else names.push(`${kind}/${basename(path)}`);
  };
  const links = new Set(found.links);
  for (const d of found.dirs) add(d.path, 'd');
  for (const p of found.links) add(p, 'l');
  for (const f of found.files) if (f.kind === 'transcript' && !links.has(f.path)) add(f.path, 'f');
  return byDir;
}

/** The watch list of a discovery and the stats its catch-up took of its files (in its order). */
export function watchListOf(found: Discovery, stats: readonly (FileStat | null)[]): WatchList {
  const paths: string[] = [];
  const nums: number[] = [];
  const racy: number[] = [];
  const listings: string[] = [];
  let byDir: Map<string, string[]> | null = null;
  found.dirs.forEach((d, k) => {
    paths.push(d.path);
    nums.push(d.m, d.c, d.i);
    if (d.t - d.m < RACY_MS || d.t - d.c < RACY_MS) {
      byDir ??= listingsFound(found);
      racy.push(k);
      listings.push([...(byDir.get(d.path) ?? [])].sort().join('\0'));
    }
  });
  const seen = new Set<string>();
  found.files.forEach((f, i) => {
    const st = stats[i] ?? null;
    seen.add(f.path);
    paths.push(f.path);
    nums.push(...(st === null ? NOT_A_FILE : [st.dev, st.ino, st.size, st.mtimeMs]));
  });
  // Links and histories that were not files: their turning into one is news too.
  for (const p of [...found.links, ...found.histories]) {
    if (seen.has(p)) continue;
    seen.add(p);
    paths.push(p);
    nums.push(...NOT_A_FILE);
  }
  return { paths: paths.join('\0'), dirs: found.dirs.length, nums, racy, listings };
}

/** A watch list read from a file: its shape (anything else is not one). */
export function isWatchList(x: unknown): x is WatchList {
  const w = x as WatchList;
  return (
    typeof w === 'object' &&
    w !== null &&
    typeof w.paths === 'string' &&
    Number.isSafeInteger(w.dirs) &&
    w.dirs >= 0 &&
    (Array.isArray(w.nums) || w.nums instanceof Float64Array) &&
    Array.isArray(w.racy) &&
    Array.isArray(w.listings) &&
    w.racy.length === w.listings.length
  );
}

/**
 * The list when every entry stats as it did (no folder, file or link changed), else null. Folders
 * listed again that have been quiet long enough by now come off that list (a new list is returned:
 * the caller keeps it), so a folder changed just before a catch-up is listed again only until then.
 */
export function recheckWatchList(w: WatchList, now: () => number = Date.now): WatchList | null {
  // Taken before any stat: a folder quiet for RACY_MS by then has a listing that holds for good.
  const checkedAt = now();
  const paths = w.paths.split('\0');
  const nums = w.nums;
  if (w.paths === '' || nums.length !== w.dirs * 3 + (paths.length - w.dirs) * 4) return null;
  for (let k = 0; k < w.dirs; k++) {
    let v;
    try {
      v = statView(paths[k]!, true)!;
    } catch {
      return null;
    }
    const n = k * 3;
    if (
      v[VIEW.type] !== 2 ||
      v[VIEW.mtimeMs] !== nums[n] ||
      v[VIEW.ctimeMs] !== nums[n + 1] ||
      v[VIEW.ino] !== nums[n + 2]
    )
      return null;
  }
  const stillRacy: number[] = [];
  for (let r = 0; r < w.racy.length; r++) {
    const k = w.racy[r]!;
    if (!(k >= 0 && k < w.dirs)) return null;
    try {
      if (listingOf(paths[k]!) !== w.listings[r]) return null;
    } catch {
      return null;
    }
    if (checkedAt - nums[k * 3]! < RACY_MS || checkedAt - nums[k * 3 + 1]! < RACY_MS) stillRacy.push(r);
  }
  for (let k = w.dirs, n = w.dirs * 3; k < paths.length; k++, n += 4) {
    // As statFile sees it: a file, or nothing (gone, unreadable, not a file).
    let v;
    try {
      v = statView(paths[k]!, false);
    } catch {
      v = undefined;
    }
    if (v === undefined || v[VIEW.type] !== 1) {
      if (nums[n + 1] !== -1) return null;
    } else if (
      v[VIEW.dev] !== nums[n] ||
      v[VIEW.ino] !== nums[n + 1] ||
      v[VIEW.size] !== nums[n + 2] ||
      v[VIEW.mtimeMs] !== nums[n + 3]
    )
      return null;
  }
  if (stillRacy.length === w.racy.length) return w;
  return { ...w, racy: stillRacy.map((r) => w.racy[r]!), listings: stillRacy.map((r) => w.listings[r]!) };
}
