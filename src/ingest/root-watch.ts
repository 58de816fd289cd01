/**
 * Where a root folder itself is, watched from outside it. chokidar watches a folder through its
 * inode: a root that is removed takes its watch along, and one made again at the same path is
 * watched by nothing (a removed `projects` folder is seen coming back only because its root's watch
 * still stands). A plain `fs.watch` on the nearest existing folder above the root hears the root, or
 * a folder on the way to it, come, go or be replaced; events for other names are dropped unread.
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, relative, sep } from 'node:path';
import { statPath } from '../store/path-stat.js';

/** Quiet time after the last event before looking: `rm -rf` and `mkdir -p` come as bursts. */
export const ROOT_SETTLE_MS = 100;

export interface RootFolderWatch {
  close(): void;
}

/** Which folder is at `path` now (device and inode); null when none. */
function folderId(path: string): string | null {
  try {
    const st = statPath(path, false);
    return st?.isDirectory === true ? `${st.dev}:${st.ino}` : null;
  } catch {
    return null;
  }
}

/** The nearest folder above `path` that exists (the file system's root at worst), and which folder it is. */
function folderAbove(path: string): { dir: string; id: string | null } {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const id = folderId(dir);
    if (id !== null || dirname(dir) === dir) return { dir, id };
  }
}

/**
 * Calls `onChange` (after ROOT_SETTLE_MS of quiet) when the folder at `root` may have been made,
 * removed, renamed or replaced: its own name changed in its parent (a replaced root is there before
 * and after), or a folder on the way to it came, went or was made anew (the watch moved). Events for
 * other names, and for the way to the root while nothing on it changed, call nothing. `onError`
 * hears a watch that could not be set up (out of watches or descriptors), with the error.
 */
export function watchRootFolder(root: string, onChange: () => void, onError: (err: unknown) => void): RootFolderWatch {
  let above = '';
  /** The folder the watch stands on: one made again at the same path is another, unwatched one. */
  let aboveId: string | null = null;
  /**
   * The watched folder itself was removed or renamed: the watch stands on a folder no longer at its
   * path (a new one made there may even reuse its inode number), so it is set up anew.
   */
  let stale = false;
  let watcher: FSWatcher | null = null;
  let timer: NodeJS.Timeout | null = null;
  /** The root's own name was heard since the last settle. */
  let rootNamed = false;
  let closed = false;
  const settle = (): void => {
    timer = null;
    if (closed) return;
    // A folder on the way came, went or was made anew (the watch is set anew): the root may have come
    // with it before the new watch stood, and a root there now is a new folder, since its parent is.
    const onTheWay = arm();
    const named = rootNamed;
    rootNamed = false;
    if (named || onTheWay) onChange();
  };
  const heard = (isRoot: boolean): void => {
    rootNamed ||= isRoot;
    if (timer) clearTimeout(timer);
    timer = setTimeout(settle, ROOT_SETTLE_MS);
  };
  /** Watches the nearest existing folder above the root, unless it is watched already; whether it set a watch anew. */
  const arm = (): boolean => {
    const { dir, id } = folderAbove(root);
    if (dir === above && id === aboveId && watcher !== null && !stale) return false;
    watcher?.close();
    watcher = null;
    above = dir;
    aboveId = id;
    stale = false;
    // The name under `dir` on the way to the root; the watched folder's own name is what Linux
    // reports when that folder itself is removed.
    const next = relative(dir, root).split(sep)[0]!;
    const own = basename(dir);
    const parentOfRoot = dir === dirname(root);
    try {
      const w = watch(dir, { persistent: false }, (_event, name) => {
        const n = name === null ? null : String(name);
        if (n === next) heard(parentOfRoot);
        else if (n === null || n === own) {
          stale = true;
          heard(false);
        }
      });
      w.on('error', () => {
        // The folder went in a way the watch could not follow: look again from higher up.
        if (watcher === w) {
          w.close();
          watcher = null;
        }
        heard(false);
      });
      watcher = w;
    } catch (err) {
      onError(err);
    }
    return true;
  };
  arm();
  return {
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      watcher?.close();
      watcher = null;
    },
  };
}
