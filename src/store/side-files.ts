/**
 * Files kept beside the store (the status line's caches, Claude Code's own figures, `ingest`'s
 * snapshot, the folder listing cache): how the store's files look now, and an owner-only write that
 * readers never see half done. Only `node:fs`, so the paths that avoid opening the database can use it.
 */
import { isAscii } from 'node:buffer';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { statPath } from './path-stat.js';

/**
 * A side file's text (throws when it cannot be read). ASCII, which they nearly always are, becomes
 * a string straight from the bytes: Node's UTF-8 decoding of a 200 KB snapshot took ~2 ms.
 */
export function readSideFile(path: string): string {
  const bytes = readFileSync(path);
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

/** Size and mtime of a file, '-' when there is none (or no path): a change of either changes it. */
export function fileStamp(path: string | null): string {
  if (path === null) return '-';
  try {
    const st = statPath(path);
    return `${st.size}:${st.mtimeMs}`;
  } catch {
    return '-';
  }
}

/** What a store's files look like now: any write by any process changes it (readers do not). */
export function storeStamp(dbPath: string): string {
  return `${fileStamp(dbPath)}|${fileStamp(`${dbPath}-wal`)}`;
}

/**
 * Writes `content` to `path` through a temporary file and a rename, owner-only: readers see the
 * old file or the new one, never half of one. (No fsync: losing this file only costs speed.) A
 * write that fails (a full disk) takes its temporary file with it.
 */
export function replaceFile(path: string, content: string | Uint8Array): void {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, content, { mode: 0o600 });
    renameSync(temp, path);
  } catch (err) {
    try {
      rmSync(temp, { force: true });
    } catch {
      // what the write's own error says is the news
    }
    throw err;
  }
}
