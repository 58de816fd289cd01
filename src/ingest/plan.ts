/**
 * Decides, per file, what to read: nothing (unchanged since the stored stat), the appended bytes
 * from the stored offset, or everything from 0 when the file shrank or was replaced (another
 * inode, or its first bytes changed). Only stats; reads at most a file's first KB.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import type { FileRow } from '../store/file-state.js';

/** Bytes of a file's head whose hash tells a replaced file from an appended one. */
export const HEAD_BYTES = 1024;

export interface FileStat {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
}

export type FilePlan =
  | { action: 'skip' }
  | { action: 'touch'; stat: FileStat }
  | { action: 'read'; stat: FileStat; start: number; reset: boolean };

/** Stats a file; null when it cannot be stat'ed (gone or unreadable). */
export function statFile(path: string): FileStat | null {
  try {
    const st = statSync(path);
    if (!st.isFile()) return null;
    return { dev: st.dev, ino: st.ino, size: st.size, mtimeMs: st.mtimeMs };
  } catch {
    return null;
  }
}

/** The read plan of one file against its stored row. */
export function planFile(path: string, row: FileRow, stat: FileStat): FilePlan {
  const known = row.ino !== null;
  if (
    known &&
    !row.missing &&
    row.size === stat.size &&
    row.mtimeMs === stat.mtimeMs &&
    row.ino === stat.ino &&
    row.dev === stat.dev
  ) {
    return { action: 'skip' };
  }
  const replaced = known && (row.ino !== stat.ino || row.dev !== stat.dev);
  const shrank = stat.size < row.offset;
  if (replaced || shrank || !headMatches(path, row.headHash)) return { action: 'read', stat, start: 0, reset: known };
  if (stat.size === row.offset) return { action: 'touch', stat };
  return { action: 'read', stat, start: row.offset, reset: false };
}

/** `<length>:<sha1>` of the file's first min(size, HEAD_BYTES) bytes; null for an empty or unreadable file. */
export function headHash(path: string, length = HEAD_BYTES): string | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    const buf = Buffer.alloc(length);
    const got = readSync(fd, buf, 0, length, 0);
    return hashHead(buf.subarray(0, got));
  } finally {
    closeSync(fd);
  }
}

/** `<length>:<sha1>` of a file's first bytes as given (at most HEAD_BYTES of them); null when empty. */
export function hashHead(head: Buffer): string | null {
  const bytes = head.subarray(0, HEAD_BYTES);
  if (bytes.length === 0) return null;
  return `${bytes.length}:${createHash('sha1').update(bytes).digest('hex')}`;
}

function headMatches(path: string, stored: string | null): boolean {
  if (stored === null) return true;
  const len = Number(stored.slice(0, stored.indexOf(':')));
  if (!Number.isInteger(len) || len <= 0) return true;
  return headHash(path, len) === stored;
}
