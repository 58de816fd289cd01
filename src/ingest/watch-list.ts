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
import type { Discovery } from './roots.js';
import { RAW, statView, statWords, VIEW, wordsAreFile, wordsOf, type PathStat } from '../store/path-stat.js';

export interface WatchList {
  /** Folders first, then files, joined by NUL (which no path holds). */
  paths: string;
  dirs: number;
  /**
   * Per folder: mtimeMs, ctimeMs, inode. Per file: dev, inode, size, and its modification time's
   * whole seconds and nanoseconds (inode -1: not a file): integers as stat(2) gives them, compared
   * bit for bit (store/path-stat.ts, statWords).
   */
  nums: ArrayLike<number>;
  /**
   * Folders changed shortly before they were listed (by index), with their entries (listingOf):
   * their times may not show an entry made in the same tick after the listing, so they are
   * listed again each time (as the folder cache does, ingest/dir-cache.ts).
   */
  racy: number[];
  listings: string[];
}

/** Figures per folder and per file. */
const DIR_FIGURES = 3;
const FILE_FIGURES = 5;
/** Where statWords has a file's figures, in the order the list keeps them. */
const FILE_AT = [RAW.dev, RAW.ino, RAW.size, RAW.mtimeSec, RAW.mtimeNsec];
const NOT_A_FILE = [0, -1, 0, 0, 0];

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
export function watchListOf(found: Discovery, stats: readonly (PathStat | null)[]): WatchList {
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
    nums.push(...(st === null ? NOT_A_FILE : [st.dev, st.ino, st.size, st.mtimeSec, st.mtimeNsec]));
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
 * listed again that have been quiet long enough by now come off the list (a new list is returned:
 * the caller keeps it), so a folder changed just before a catch-up is listed again only until then.
 *
 * It runs once per command, mostly before V8 optimises it: the paths are cut from the list one at
 * a time (not split into an array that lives through the loop), and a file's figures are compared
 * as 32-bit words (store/path-stat.ts, statWords), so the loop over thousands of files allocates
 * little but those paths.
 */
export function recheckWatchList(w: WatchList, now: () => number = Date.now): WatchList | null {
  // Taken before any stat: a folder quiet for RACY_MS by then has a listing that holds for good.
  const checkedAt = now();
  const all = w.paths;
  const nums = w.nums;
  if (all === '') return null;
  let at = 0;
  /** The next path of the list; null past its end. */
  const next = (): string | null => {
    if (at > all.length) return null;
    let end = all.indexOf('\0', at);
    if (end < 0) end = all.length;
    const path = all.slice(at, end);
    at = end + 1;
    return path;
  };
  const dirs: string[] = [];
  for (let k = 0; k < w.dirs; k++) {
    const path = next();
    if (path === null) return null;
    dirs.push(path);
    let v;
    try {
      v = statView(path, true)!;
    } catch {
      return null;
    }
    const n = k * DIR_FIGURES;
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
      if (listingOf(dirs[k]!) !== w.listings[r]) return null;
    } catch {
      return null;
    }
    const n = k * DIR_FIGURES;
    if (checkedAt - nums[n]! < RACY_MS || checkedAt - nums[n + 1]! < RACY_MS) stillRacy.push(r);
  }
  // The kept figures as 32-bit words, compared with the stat's bit for bit (statWords).
  const kept = wordsOf(nums instanceof Float64Array ? nums : Float64Array.from(nums));
  let n = w.dirs * DIR_FIGURES;
  for (let path = next(); path !== null; path = next(), n += FILE_FIGURES) {
    if (n + FILE_FIGURES > nums.length) return null;
    // As statFile sees it: a file, or nothing (gone, unreadable, not a file).
    let stat;
    try {
      stat = statWords(path, false);
    } catch {
      stat = undefined;
    }
    if (stat === undefined) {
      if (nums[n + 1] !== -1) return null;
      continue;
    }
    let same = true;
    for (let f = 0; f < FILE_FIGURES && same; f++) {
      const word = FILE_AT[f]! * 2;
      const keptWord = (n + f) * 2;
      same = stat[word] === kept[keptWord] && stat[word + 1] === kept[keptWord + 1];
    }
    // Not the file kept here: news, unless nothing was a file here and nothing is.
    if (!same && (nums[n + 1] !== -1 || wordsAreFile(stat))) return null;
  }
  if (n !== nums.length) return null;
  if (stillRacy.length === w.racy.length) return w;
  return { ...w, racy: stillRacy.map((r) => w.racy[r]!), listings: stillRacy.map((r) => w.listings[r]!) };
}
