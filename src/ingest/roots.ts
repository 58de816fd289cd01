/**
 * Finds the files to read under the config roots: every `*.jsonl` at any depth below
 * `<root>/projects` (session files, `agent-*.jsonl` beside them, `<session>/subagents/agent-*.jsonl`),
 * and `<root>/history.jsonl`. Unreadable folders become one counted warning, never an error.
 */
import { readdirSync, realpathSync, type Dirent } from 'node:fs';
import { statPath, type PathStat } from '../store/path-stat.js';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { asEntry, listingHolds, readDirCache, writeDirCache, type DirCache, type DirEntry } from './dir-cache.js';

export interface FoundFile {
  path: string;
  root: string;
  kind: 'transcript' | 'history';
}

/** A folder as the listing saw it: its times and inode, and when it was listed (dir-cache.ts). */
export interface WatchedDir {
  path: string;
  m: number;
  c: number;
  i: number;
  t: number;
}

export interface Discovery {
  files: FoundFile[];
  /**
   * What else the listing rests on (ingest/watch-list.ts): every folder it listed or whose kept
   * listing it trusted, every `*.jsonl` link (whether it points at a file is asked each time), and
   * every `history.jsonl` it looked for.
   */
  dirs: WatchedDir[];
  links: string[];
  histories: string[];
  /** Roots that had no `projects` folder (nothing to read there). */
  emptyRoots: string[];
  /** The folders that could not be read: what the store knows under them is not gone. */
  unreadableDirs: string[];
}

/**
 * Lists every transcript and history file under the roots, sorted by path. With `cachePath`, the
 * folder listings kept there are reused for folders that did not change (ingest/dir-cache.ts),
 * and the file is rewritten when a folder was listed anew or is gone. `now` is the clock the
 * listings are timed by (tests move it).
 */
export function discoverFiles(
  roots: readonly string[],
  cachePath: string | null = null,
  now: () => number = Date.now,
): Discovery {
  const out: Discovery = {
    files: [],
    dirs: [],
    links: [],
    histories: [],
    emptyRoots: [],
    unreadableDirs: [],
  };
  const cache = readDirCache(cachePath);
  const walk: Walk = { out, changed: false, now };
  const next: DirCache = { v: 1, roots: {} };
  for (const rootRaw of roots) {
    const root = resolve(rootRaw);
    const projects = join(root, 'projects');
    const state = folderState(projects);
    if (state === 'missing') out.emptyRoots.push(root);
    else if (state === 'unreadable') {
      // Not "nothing there": a folder on the way is closed to this user (or the disk failed).
      out.unreadableDirs.push(projects);
    } else {
      const entry = walkDir(walk, projects, root, 0, own(cache.roots, projects));
      if (entry !== null) next.roots[projects] = entry;
    }
    const history = join(root, 'history.jsonl');
    out.histories.push(history);
    if (isFile(history)) out.files.push({ path: history, root, kind: 'history' });
  }
  out.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const sameRoots = Object.keys(next.roots).length === Object.keys(cache.roots).length;
  if (cachePath !== null && (walk.changed || !sameRoots)) writeDirCache(cachePath, next);
  return out;
}

const MAX_DEPTH = 12;

interface Walk {
  out: Discovery;
  /** A folder was listed anew, or a kept one is gone: the cache file is rewritten. */
  changed: boolean;
  now: () => number;
}

/** A map by folder name without a prototype (a folder may be called `__proto__`). */
const noNames = (): Record<string, DirEntry> => Object.create(null) as Record<string, DirEntry>;

const own = (d: Record<string, unknown>, name: string): unknown => (Object.hasOwn(d, name) ? d[name] : undefined);

/**
 * The entry kept for a folder that could not be read: its parent's kept listing names it, so the
 * next run looks at it again (and warns again) even while the parent is unchanged; its times are
 * no folder's, so it never holds (dir-cache.ts, listingHolds). Without it a folder closed once
 * (a `chmod`, a disk error) stayed out of every later run until its parent changed.
 */
function unreadableEntry(): DirEntry {
  return { m: -1, c: -1, i: -1, t: -1, f: [], l: [], d: noNames() };
}

const isUnreadableEntry = (e: DirEntry | undefined): boolean => e !== undefined && e.t === -1 && e.m === -1;

/**
 * Adds the transcripts of `dir` and its subfolders to the discovery: from the `kept` entry when the
 * folder's stat says its listing holds, else from a fresh listing. Returns the folder's entry for
 * the next cache (for a folder that could not be read, one that makes the next run look again and
 * warn again), or null when it is gone.
 */
function walkDir(walk: Walk, dir: string, root: string, depth: number, kept: unknown): DirEntry | null {
  const cached = asEntry(kept);
  const listedAt = walk.now();
  const unreadable = (err: unknown): DirEntry | null => {
    const counted = noteUnreadable(walk.out, dir, err);
    if (!counted || !isUnreadableEntry(cached)) walk.changed = true;
    return counted ? unreadableEntry() : null;
  };
  let st: PathStat;
  try {
    st = statPath(dir);
  } catch (err) {
    return unreadable(err);
  }
  if (cached !== undefined && listingHolds(cached, st)) {
    const out = walk.out;
    out.dirs.push({ path: dir, m: cached.m, c: cached.c, i: cached.i, t: cached.t });
    // `dir` is already absolute and normal, and an entry's name holds no separator: a plain join.
    for (const name of cached.f) out.files.push({ path: dir + sep + name, root, kind: 'transcript' });
    for (const name of cached.l) {
      const full = dir + sep + name;
      out.links.push(full);
      if (isFile(full)) out.files.push({ path: full, root, kind: 'transcript' });
    }
    const d = noNames();
    for (const name of Object.keys(cached.d)) {
      const sub = depth < MAX_DEPTH ? walkDir(walk, dir + sep + name, root, depth + 1, own(cached.d, name)) : null;
      if (sub !== null) d[name] = sub;
      else walk.changed = true;
    }
    return { ...cached, d };
  }
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    return unreadable(err);
  }
  walk.changed = true;
  const entry: DirEntry = {
    m: st.mtimeMs,
    c: st.ctimeMs,
    i: st.ino,
    t: listedAt,
    f: [],
    l: [],
    d: noNames(),
  };
  walk.out.dirs.push({ path: dir, m: entry.m, c: entry.c, i: entry.i, t: entry.t });
  for (const e of entries) {
    const full = dir + sep + e.name;
    if (e.isDirectory()) {
      if (depth < MAX_DEPTH) {
        const sub = walkDir(walk, full, root, depth + 1, cached === undefined ? undefined : own(cached.d, e.name));
        if (sub !== null) entry.d[e.name] = sub;
      }
    } else if (e.name.endsWith('.jsonl')) {
      if (e.isFile()) {
        entry.f.push(e.name);
        walk.out.files.push({ path: full, root, kind: 'transcript' });
      } else if (e.isSymbolicLink()) {
        entry.l.push(e.name);
        walk.out.links.push(full);
        if (isFile(full)) walk.out.files.push({ path: full, root, kind: 'transcript' });
      }
    }
  }
  return entry;
}

/** Counts a folder that could not be read; false (nothing counted) when it is gone. */
function noteUnreadable(out: Discovery, path: string, err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return false; // removed while walking
  out.unreadableDirs.push(path);
  return true;
}

/** A folder, nothing (or not a folder) at the path, or a path that cannot be looked at. */
function folderState(p: string): 'folder' | 'missing' | 'unreadable' {
  try {
    return statPath(p).isDirectory ? 'folder' : 'missing';
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : 'unreadable';
  }
}

function isFile(p: string): boolean {
  try {
    return statPath(p).isFile;
  } catch {
    return false;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The session a transcript belongs to by its path: `<uuid>.jsonl`, or a file inside
 * `<uuid>/subagents/`. Null when the path does not say (then the lines' `sessionId` decides).
 */
export function sessionFromPath(path: string): string | null {
  const name = basename(path, '.jsonl');
  if (UUID.test(name)) return name;
  const parent = dirname(path);
  if (basename(parent) === 'subagents') {
    const session = basename(dirname(parent));
    if (UUID.test(session)) return session;
  }
  return null;
}

/** The root (of `roots`) that holds `path`, or null. */
export function rootOf(path: string, roots: readonly string[]): string | null {
  const p = resolve(path);
  for (const r of roots) {
    const root = resolve(r);
    if (p.startsWith(root + sep)) return root;
  }
  return null;
}

/**
 * Where a path given from outside (a status-line hook's transcript) lies among the roots: its root,
 * and the path as the listing of that root names it. A path under a root by another name (the root
 * or the path reached through a symbolic link) is matched by its real location and named under the
 * root, so the file is the one the catch-up stored. Null when no root holds it.
 */
export function placeInRoots(path: string, roots: readonly string[]): { path: string; root: string } | null {
  const given = resolve(path);
  const root = rootOf(given, roots);
  if (root !== null) return { path: given, root };
  const real = realPath(given);
  if (real === null) return null;
  for (const r of roots) {
    const realRoot = realPath(resolve(r));
    if (realRoot !== null && real.startsWith(realRoot + sep))
      return { path: resolve(r) + real.slice(realRoot.length), root: resolve(r) };
  }
  return null;
}

function realPath(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

/**
 * Whether any root holds a transcript (a `*.jsonl` at any depth below `<root>/projects`): stops at
 * the first one. A `projects` folder that is there but cannot be listed counts as holding some, so
 * the run that follows reads it and says what it could not read.
 */
export function hasTranscripts(roots: readonly string[]): boolean {
  const look = (dir: string, depth: number): boolean => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      return depth === 0 && (err as NodeJS.ErrnoException).code !== 'ENOENT';
    }
    if (entries.some((e) => e.name.endsWith('.jsonl') && !e.isDirectory())) return true;
    return depth < MAX_DEPTH && entries.some((e) => e.isDirectory() && look(join(dir, e.name), depth + 1));
  };
  return roots.some((root) => look(join(resolve(root), 'projects'), 0));
}
