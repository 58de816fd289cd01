/**
 * Finds the files to read under the config roots: every `*.jsonl` at any depth below
 * `<root>/projects` (session files, `agent-*.jsonl` beside them, `<session>/subagents/agent-*.jsonl`),
 * and `<root>/history.jsonl`. Unreadable folders become one counted warning, never an error.
 */
import { readdirSync, statSync, type Dirent } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';

export interface FoundFile {
  path: string;
  root: string;
  kind: 'transcript' | 'history';
}

export interface Discovery {
  files: FoundFile[];
  /** Roots that had no `projects` folder (nothing to read there). */
  emptyRoots: string[];
  unreadable: number;
  /** One example of an unreadable path, for the warning. */
  unreadableExample: string | null;
}

/** Lists every transcript and history file under the roots, sorted by path. */
export function discoverFiles(roots: readonly string[]): Discovery {
  const out: Discovery = { files: [], emptyRoots: [], unreadable: 0, unreadableExample: null };
  for (const rootRaw of roots) {
    const root = resolve(rootRaw);
    const projects = join(root, 'projects');
    if (!isDir(projects)) out.emptyRoots.push(root);
    else walk(projects, root, out, 0);
    const history = join(root, 'history.jsonl');
    if (isFile(history)) out.files.push({ path: history, root, kind: 'history' });
  }
  out.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return out;
}

const MAX_DEPTH = 12;

function walk(dir: string, root: string, out: Discovery, depth: number): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    noteUnreadable(out, dir, err);
    return;
  }
  // `dir` is already absolute and normal, and an entry's name holds no separator: a plain join.
  for (const e of entries) {
    const full = dir + sep + e.name;
    if (e.isDirectory()) {
      if (depth < MAX_DEPTH) walk(full, root, out, depth + 1);
    } else if (e.name.endsWith('.jsonl') && (e.isFile() || (e.isSymbolicLink() && isFile(full)))) {
      out.files.push({ path: full, root, kind: 'transcript' });
    }
  }
}

function noteUnreadable(out: Discovery, path: string, err: unknown): void {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return; // removed while walking
  out.unreadable++;
  out.unreadableExample ??= path;
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
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
