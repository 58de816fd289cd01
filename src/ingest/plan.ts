/**
 * Decides, per file, what to read: nothing (unchanged since the stored stat), the appended bytes
 * from the stored offset, or everything from 0 when the file shrank or was replaced (another
 * inode, or its first bytes changed). Only stats; reads at most a file's first KB.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { FileRow } from '../store/file-state.js';
import { nodeCrypto } from '../store/node-crypto.js';
import { statPath, type PathStat } from '../store/path-stat.js';

/**
 * The hex sha1 of `bytes`, in one call (`crypto.hash`, Node 20.12 and later; `engines` asks for
 * 20.19): a `Hash` object, its update and digest cost more than the hashing of a KB itself (a
 * cold read of 2,700 files made 5,400 of them).
 */
function sha1Hex(bytes: Uint8Array): string {
  return nodeCrypto().hash('sha1', bytes, 'hex');
}

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
export function statFile(path: string): PathStat | null {
  try {
    const st = statPath(path, false);
    // The stat itself (its other fields ride along): one object per file, not two.
    return st === undefined || !st.isFile ? null : st;
  } catch {
    return null;
  }
}

/** Whether a file is as its row last saw it (nothing to do). */
export function unchanged(row: FileRow, stat: FileStat): boolean {
  return (
    row.ino !== null &&
    !row.missing &&
    row.size === stat.size &&
    row.mtimeMs === stat.mtimeMs &&
    row.ino === stat.ino &&
    row.dev === stat.dev
  );
}

/** The read plan of one file against its stored row (with its hashes: not a `brief` row). */
export function planFile(path: string, row: FileRow, stat: FileStat): FilePlan {
  const known = row.ino !== null;
  if (unchanged(row, stat)) return { action: 'skip' };
  const replaced = known && (row.ino !== stat.ino || row.dev !== stat.dev);
  const shrank = stat.size < row.offset;
  // Bytes already read that changed (a rewrite in place keeping inode, head and more length) mean
  // the file is read again from the start; de-duplication keeps its requests from counting twice.
  const rewritten = (): boolean => !headMatches(path, row.headHash) || !sampleMatches(path, row.offset, row.tailHash);
  if (replaced || shrank || rewritten()) return { action: 'read', stat, start: 0, reset: known };
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
  return `${bytes.length}:${sha1Hex(bytes)}`;
}

/** Up to this offset every byte before it is hashed; past it, SAMPLES spans of SAMPLE_BYTES. */
const WHOLE_BYTES = 64 * 1024;
const SAMPLE_BYTES = 1024;
const SAMPLES = 16;

/**
 * `<offset>:<sha1>` of the bytes before `offset`: all of them up to 64 KB, else 16 evenly spaced
 * KB spans ending with the KB just before `offset`; null for offset 0 or an unreadable file.
 */
export function sampleHash(path: string, offset: number): string | null {
  if (offset <= 0) return null;
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    return sampleHashOf(offset, fileSpans(fd, offset));
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/** The bytes of `fd` at [at, at + length), read into one scratch buffer; null when the file is shorter. */
export function fileSpans(fd: number, offset: number): (at: number, length: number) => Buffer | null {
  let scratch: Buffer | null = null;
  return (at, length) => {
    scratch ??= Buffer.allocUnsafe(offset <= WHOLE_BYTES ? offset : SAMPLE_BYTES);
    const got = readSync(fd, scratch, 0, length, at);
    return got < length ? null : scratch.subarray(0, got);
  };
}

/**
 * `sampleHash` of the bytes `span` gives (those of the file at [at, at + length), or null when it
 * cannot): a scanner that still holds the bytes hashes them without reading the file again.
 */
export function sampleHashOf(offset: number, span: (at: number, length: number) => Buffer | null): string | null {
  if (offset <= 0) return null;
  if (offset <= WHOLE_BYTES) {
    const bytes = span(0, offset);
    return bytes === null ? null : `${offset}:${sha1Hex(bytes)}`;
  }
  // The spans side by side, hashed at once: the digest of their concatenation is that of feeding
  // them one by one.
  samples ??= Buffer.allocUnsafe(SAMPLES * SAMPLE_BYTES);
  let filled = 0;
  for (let k = 0; k < SAMPLES; k++) {
    const at = Math.floor(((offset - SAMPLE_BYTES) * (k + 1)) / SAMPLES);
    const bytes = span(at, Math.min(SAMPLE_BYTES, offset - at));
    if (bytes === null) return null;
    filled += bytes.copy(samples, filled);
  }
  return `${offset}:${sha1Hex(samples.subarray(0, filled))}`;
}

/** The gathered spans of `sampleHashOf` (one per thread, reused). */
let samples: Buffer | null = null;

/** Whether the sampled bytes before `offset` are still those read (true when no sample was kept). */
function sampleMatches(path: string, offset: number, stored: string | null): boolean {
  if (stored === null || offset <= 0 || !stored.startsWith(`${offset}:`)) return true;
  return sampleHash(path, offset) === stored;
}

function headMatches(path: string, stored: string | null): boolean {
  if (stored === null) return true;
  const len = Number(stored.slice(0, stored.indexOf(':')));
  if (!Number.isInteger(len) || len <= 0) return true;
  return headHash(path, len) === stored;
}
