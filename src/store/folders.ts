/**
 * Creating a folder and its missing parents. Node's `mkdirSync(dir, { recursive: true })` spins
 * forever where mkdir answers ENOENT under a folder that exists (virtual file systems such as
 * /proc): this creates one level at a time and throws mkdir's error instead.
 */
import { existsSync, lstatSync, mkdirSync, readlinkSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Whether `path` is a folder (false when it is missing, a file, or cannot be looked at). */
export function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * What `path` is when it is there and is neither a file nor a folder (a character or block device,
 * a FIFO, a socket), following symbolic links; null otherwise.
 */
export function specialFileKind(path: string): string | null {
  let st;
  try {
    st = statSync(path);
  } catch {
    return null;
  }
  if (st.isFile() || st.isDirectory()) return null;
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  return st.isSocket() ? 'a socket' : 'no regular file';
}

/**
 * The file `path` names: where a symbolic link points, followed link by link (a relative target
 * from its link's folder), else `path` itself. A link to a file not made yet (a dotfile manager's,
 * before the first write) names that file. A file written in its place through a rename then
 * replaces the target, not the link.
 */
export function throughLinks(path: string): string {
  let at = path;
  // (A loop of links ends here too: after 40 steps the path is taken as it is.)
  for (let step = 0; step < 40; step++) {
    let target: string;
    try {
      if (!lstatSync(at).isSymbolicLink()) return at;
      target = readlinkSync(at);
    } catch {
      return at; // not there (yet): the name the last link gave
    }
    at = resolve(dirname(at), target);
  }
  return path;
}

/** Creates `dir` and the parents it lacks, each with `mode` (umask applies). Throws mkdir's error. */
export function makeFolders(dir: string, mode?: number): void {
  const missing: string[] = [];
  for (let d = resolve(dir); !existsSync(d); d = dirname(d)) {
    missing.unshift(d);
    if (dirname(d) === d) break;
  }
  for (const d of missing) {
    try {
      mkdirSync(d, mode === undefined ? undefined : { mode });
    } catch (err) {
      // Made by another process meanwhile: as good as made here.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(d).isDirectory()) throw err;
    }
  }
}
