/**
 * Writing an export to disk: atomically (temp file in the same folder, fsync, then a link or rename
 * into place) and never over an existing file unless asked to.
 */
import { closeSync, fsyncSync, linkSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DateTime } from '../domain/luxon.js';
import { nodeCrypto } from '../store/node-crypto.js';

/** The target already exists and overwriting was not allowed. */
export class FileExistsError extends Error {
  override readonly name = 'FileExistsError';
  constructor(readonly path: string) {
    super(`${path} already exists`);
  }
}

/** `creditmeter-<cycle start day>-<YYYYMMDD-HHMMSS>.<ext>`, the time taken in `tz`. */
export function defaultExportName(cycleStartDay: string, nowMs: number, tz: string, ext: string): string {
  const stamp = DateTime.fromMillis(nowMs, { zone: tz }).toFormat('yyyyLLdd-HHmmss');
  return `creditmeter-${cycleStartDay}-${stamp}.${ext}`;
}

function syncDir(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some platforms cannot open or fsync a directory; the rename itself is still atomic.
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

function errCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}

/**
 * Writes `content` to `path` atomically: readers see the old file or the whole new one, never a
 * part. With `overwrite` false an existing `path` raises FileExistsError and is left untouched
 * (a hard link publishes the file, which fails rather than replaces). No temp file survives.
 * `mode` sets the new file's permissions.
 */
export function writeFileAtomic(path: string, content: string | Buffer, overwrite: boolean, mode = 0o644): void {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${nodeCrypto().randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', mode);
  try {
    try {
      writeSync(fd, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (overwrite) {
      renameSync(temp, path);
    } else {
      try {
        linkSync(temp, path);
      } catch (err) {
        if (errCode(err) === 'EEXIST') throw new FileExistsError(path);
        // File systems without hard links: exclusive create of the target, then replace it.
        if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV'].includes(errCode(err) ?? '')) throw err;
        try {
          closeSync(openSync(path, 'wx', mode));
        } catch (e) {
          if (errCode(e) === 'EEXIST') throw new FileExistsError(path);
          throw e;
        }
        renameSync(temp, path);
      }
    }
    syncDir(dir);
  } finally {
    rmSync(temp, { force: true });
  }
}

/**
 * Writes `content` under `dir` as `name`, or as `name` with `-2`, `-3`, ... before the extension when
 * taken; returns the path written. Never replaces a file.
 */
export function writeUniqueAtomic(dir: string, name: string, content: string): string {
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot) : '';
  for (let i = 1; i < 1000; i++) {
    const path = join(dir, i === 1 ? name : `${stem}-${i}${ext}`);
    try {
      writeFileAtomic(path, content, false);
      return path;
    } catch (err) {
      if (!(err instanceof FileExistsError)) throw err;
    }
  }
  throw new Error(`Could not find a free file name for ${name} in ${dir}.`);
}
