/**
 * Creating a folder and its missing parents. Node's `mkdirSync(dir, { recursive: true })` spins
 * forever where mkdir answers ENOENT under a folder that exists (virtual file systems such as
 * /proc): this creates one level at a time and throws mkdir's error instead.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Whether `path` is a folder (false when it is missing, a file, or cannot be looked at). */
export function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
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
