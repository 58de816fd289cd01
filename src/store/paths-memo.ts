/**
 * The forecast's Monte Carlo paths kept beside the store, by their exact input (domain/
 * forecast-paths.ts, pathsKey): a `status` whose forecast draws from the same history, at the same
 * quarter hour, with the same spend and credit, takes the paths the last run drew instead of
 * drawing 2,000 again (5-8 ms of a `status` that found nothing new). A kept run is used only when
 * its key equals the new one byte for byte, so the answer is the one a new run gives, to the bit.
 *
 * The file holds the runs of the last command first, then a few older ones. Losing it,
 * or a damaged file, only costs the paths. Only `node:fs` (through side-files.ts).
 */
import { readFileSync } from 'node:fs';
import type { PathsMemo, PathsOutput } from '../domain/forecast-paths.js';
import { replaceFile } from './side-files.js';

/**
 * Runs kept: every forecast of the last command (the credit's, each seat's), up to MAX_RUNS, and
 * older ones up to OLDER_UP_TO in all (a `status --tz` beside a `status`, another cycle).
 */
const MAX_RUNS = 64;
const OLDER_UP_TO = 8;
const MAGIC = 'CMP2';
/**
 * The engine that ran the paths: the module calls the host's Math.exp and Math.cos, which another
 * V8 may compute otherwise in the last bit. A file from another one is no memo.
 */
const RUNTIME = `v8 ${process.versions.v8}`;
/** Bytes per path: its end, scale and spend before the crossing (64-bit), crossing day and segment (32-bit). */
const PATH_BYTES = 8 * 3 + 4 * 2;

interface Run {
  key: Uint8Array;
  out: PathsOutput;
}

/** The memo file of a store; null for an in-memory one. */
export function pathsMemoPath(dbPath: string): string | null {
  return dbPath === ':memory:' ? null : `${dbPath}-paths.bin`;
}

const pad8 = (n: number): number => Math.ceil(n / 8) * 8;

/** A copy of `length` bytes at `at` as an array of `T` (the file's bytes need not be aligned for it). */
function copyOut<T extends Float64Array | Int32Array>(
  make: new (n: number) => T,
  width: number,
  bytes: Uint8Array,
  at: number,
  count: number,
): T {
  const arr = new make(count);
  new Uint8Array(arr.buffer).set(bytes.subarray(at, at + count * width));
  return arr;
}

/**
 * `CMP2`, the number of runs (32-bit), the engine's name (its length in 32 bits, its ASCII padded
 * to 8 bytes), then per run: its key's length and its number of paths (32-bit each), the key padded
 * to 8 bytes, and the paths' five arrays one after another. Null when the bytes are not such a file
 * (cut short, another format) or another engine wrote it: nothing is then taken from them.
 */
export function decodeRuns(bytes: Uint8Array, runtime = RUNTIME): Run[] | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 12 || String.fromCharCode(...bytes.subarray(0, 4)) !== MAGIC) return null;
  const count = view.getUint32(4, true);
  const nameLength = view.getUint32(8, true);
  if (count > MAX_RUNS || nameLength !== runtime.length || 12 + pad8(nameLength) > bytes.byteLength) return null;
  if (String.fromCharCode(...bytes.subarray(12, 12 + nameLength)) !== runtime) return null;
  const runs: Run[] = [];
  let at = 12 + pad8(nameLength);
  for (let r = 0; r < count; r++) {
    if (at + 8 > bytes.byteLength) return null;
    const keyLength = view.getUint32(at, true);
    const paths = view.getUint32(at + 4, true);
    at += 8;
    const end = at + pad8(keyLength) + paths * PATH_BYTES;
    if (end > bytes.byteLength) return null;
    const key = bytes.slice(at, at + keyLength);
    at += pad8(keyLength);
    const ends = copyOut(Float64Array, 8, bytes, at, paths);
    const crossScale = copyOut(Float64Array, 8, bytes, (at += paths * 8), paths);
    const crossBefore = copyOut(Float64Array, 8, bytes, (at += paths * 8), paths);
    const crossSegment = copyOut(Int32Array, 4, bytes, (at += paths * 8), paths);
    const crossDay = copyOut(Int32Array, 4, bytes, (at += paths * 4), paths);
    at = end;
    runs.push({ key, out: { ends, crossSegment, crossDay, crossScale, crossBefore } });
  }
  return at === bytes.byteLength ? runs : null;
}

/** The file's bytes for `runs` (see decodeRuns). */
export function encodeRuns(runs: readonly Run[], runtime = RUNTIME): Uint8Array {
  const head = 12 + pad8(runtime.length);
  const size = runs.reduce((n, r) => n + 8 + pad8(r.key.length) + r.out.ends.length * PATH_BYTES, head);
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  for (let k = 0; k < 4; k++) bytes[k] = MAGIC.charCodeAt(k);
  view.setUint32(4, runs.length, true);
  view.setUint32(8, runtime.length, true);
  for (let k = 0; k < runtime.length; k++) bytes[12 + k] = runtime.charCodeAt(k) & 0x7f;
  let at = head;
  for (const { key, out } of runs) {
    const paths = out.ends.length;
    view.setUint32(at, key.length, true);
    view.setUint32(at + 4, paths, true);
    at += 8;
    bytes.set(key, at);
    at += pad8(key.length);
    for (const arr of [out.ends, out.crossScale, out.crossBefore, out.crossSegment, out.crossDay]) {
      bytes.set(new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength), at);
      at += arr.byteLength;
    }
  }
  return bytes;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The memo of one command: read on its first question, written by `persist` when it ran new paths. */
export class PathsMemoFile implements PathsMemo {
  private readonly path: string | null;
  private kept: Run[] | null = null;
  /** This command's runs, in the order asked. */
  private readonly used: Run[] = [];
  private changed = false;

  constructor(dbPath: string) {
    this.path = pathsMemoPath(dbPath);
  }

  recall(key: Uint8Array): PathsOutput | null {
    this.kept ??= this.read();
    // This command's own runs too: two seats with one history draw their paths once.
    const run = this.used.find((r) => sameBytes(r.key, key)) ?? this.kept.find((r) => sameBytes(r.key, key));
    if (run === undefined) return null;
    if (!this.used.includes(run)) this.used.push(run);
    return run.out;
  }

  keep(key: Uint8Array, out: PathsOutput): void {
    this.used.push({ key, out });
    this.changed = true;
  }

  /** Keeps this command's runs first, then the older ones, when it ran any new ones. */
  persist(): void {
    if (this.path === null || !this.changed) return;
    const older = (this.kept ?? []).filter((r) => !this.used.includes(r));
    const runs = [...this.used, ...older].slice(0, Math.min(MAX_RUNS, Math.max(OLDER_UP_TO, this.used.length)));
    try {
      replaceFile(this.path, encodeRuns(runs));
    } catch {
      // a read-only data folder only costs the paths
    }
  }

  private read(): Run[] {
    if (this.path === null) return [];
    try {
      return decodeRuns(readFileSync(this.path)) ?? [];
    } catch {
      return [];
    }
  }
}
