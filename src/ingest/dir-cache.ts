/**
 * The folder listing cache of discovery: each folder under `projects` with its mtime, ctime and
 * inode when it was listed, its transcripts and its subfolders. Creating, removing or renaming an
 * entry changes a folder's mtime and ctime, so a folder whose times and inode are those of its
 * listing holds the same entries, and one `stat` stands for a `readdir` (a tenth of the cost on a
 * tree of 900 folders). Files appended to still get their own `stat` (ingest/plan.ts).
 *
 * A folder changed shortly before it was listed is not trusted (file times tick coarsely: an entry
 * created in the same tick after the listing could leave the times as they were); it is listed
 * again until it has been quiet for RACY_MS. Kept beside the store; losing it only costs speed.
 */
import { readSideFile, replaceFile } from '../store/side-files.js';

/** How long a folder must have been unchanged when listed for its listing to be reused. */
export const RACY_MS = 2_000;

export interface DirEntry {
  /** mtimeMs, ctimeMs and inode of the folder before it was listed. */
  m: number;
  c: number;
  i: number;
  /** When it was listed (epoch ms, taken before its stat). */
  t: number;
  /** `*.jsonl` files (names). */
  f: string[];
  /** `*.jsonl` symbolic links (names): whether they point at a file is checked on every run. */
  l: string[];
  /** Subfolders by name. */
  d: Record<string, DirEntry>;
}

export interface DirCache {
  v: 1;
  /** By the absolute path of a root's `projects` folder. */
  roots: Record<string, DirEntry>;
}

/** Whether `entry` (well formed, see asEntry) still lists a folder whose stat is now `st`. */
export function listingHolds(entry: DirEntry, st: { mtimeMs: number; ctimeMs: number; ino: number }): boolean {
  return (
    entry.m === st.mtimeMs &&
    entry.c === st.ctimeMs &&
    entry.i === st.ino &&
    entry.t - entry.m >= RACY_MS &&
    entry.t - entry.c >= RACY_MS
  );
}

const isName = (n: unknown): boolean => typeof n === 'string' && n !== '' && !n.includes('/') && !n.includes('\\');

/** A kept entry when it has the shape of one (read from a file that may be damaged), else undefined. */
export function asEntry(x: unknown): DirEntry | undefined {
  return wellFormed(x as DirEntry) ? (x as DirEntry) : undefined;
}

/** A cache file is ours to trust only in shape: a damaged entry is listed again, never followed. */
function wellFormed(e: DirEntry): boolean {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.m === 'number' &&
    typeof e.c === 'number' &&
    typeof e.i === 'number' &&
    typeof e.t === 'number' &&
    Array.isArray(e.f) &&
    e.f.every(isName) &&
    Array.isArray(e.l) &&
    e.l.every(isName) &&
    typeof e.d === 'object' &&
    e.d !== null &&
    !Array.isArray(e.d) &&
    Object.keys(e.d).every(isName)
  );
}

/** The cache file kept beside a store; null without one (in memory, or a caller without a store path). */
export function dirCachePath(dbPath: string | undefined): string | null {
  return dbPath === undefined || dbPath === ':memory:' ? null : `${dbPath}-dirs.json`;
}

/** The cache at `path`, or an empty one (missing, unreadable or not ours). */
export function readDirCache(path: string | null): DirCache {
  if (path !== null) {
    try {
      const v = JSON.parse(readSideFile(path)) as Partial<DirCache>;
      if (v.v === 1 && typeof v.roots === 'object' && v.roots !== null) return v as DirCache;
    } catch {
      // none yet, or unreadable: every folder is listed
    }
  }
  return { v: 1, roots: {} };
}

/** Writes the cache (owner-only, never seen half done); a failure only costs speed. */
export function writeDirCache(path: string, cache: DirCache): void {
  try {
    replaceFile(path, JSON.stringify(cache));
  } catch {
    // a read-only data folder
  }
}
