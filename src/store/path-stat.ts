/**
 * `stat(2)` of a path, the few fields the catch-up compares, without building a `fs.Stats`.
 *
 * `fs.statSync` wraps one call into Node's file binding in argument checks and a `Stats` object
 * with four `Date`s: on a cold start that costs about 10 µs a file more than the call itself (a
 * run with nothing new stats every transcript and every folder: about 1,500 of them for 1,100
 * files). Node's binding returns the same figures in one shared array; this reads them from it.
 *
 * The binding is not a public API, so it is used only when it proves itself: present, not
 * announced as deprecated (`--pending-deprecation` would print a warning for it), and its first
 * answer equal to `fs.statSync`'s for the same path, field for field. Anything else (another Node,
 * a permission model that hides it) falls back to `fs.statSync` for the rest of the process, with
 * the same answers and the same errors.
 */
import { statSync } from 'node:fs';

export interface PathStat {
  dev: number;
  ino: number;
  size: number;
  /** As `fs.Stats` computes them: seconds * 1e3 + nanoseconds / 1e6. */
  mtimeMs: number;
  ctimeMs: number;
  isFile: boolean;
  isDirectory: boolean;
}

/** `binding.stat(path, bigint, req, throwIfNoEntry)` of Node 20 and later. */
type BindingStat = (path: string, bigint: false, req: undefined, throwIfNoEntry: boolean) => Float64Array | undefined;

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;

/** Where statView puts each figure (`type`: 1 a file, 2 a folder, 0 anything else). */
export const VIEW = { dev: 0, ino: 1, size: 2, mtimeMs: 3, ctimeMs: 4, type: 5 } as const;
const FIGURES = 6;
const view = new Float64Array(FIGURES);

const typeCode = (mode: number): number => ((mode & S_IFMT) === S_IFREG ? 1 : (mode & S_IFMT) === S_IFDIR ? 2 : 0);

/** The figures of the binding's array (dev, mode, …, ino 7, size 8, …, mtime 12-13, ctime 14-15). */
function fromBinding(a: Float64Array, into: Float64Array): Float64Array {
  into[0] = a[0]!;
  into[1] = a[7]!;
  into[2] = a[8]!;
  into[3] = a[12]! * 1e3 + a[13]! / 1e6;
  into[4] = a[14]! * 1e3 + a[15]! / 1e6;
  into[5] = typeCode(a[1]!);
  return into;
}

function fromStats(st: import('node:fs').Stats, into: Float64Array): Float64Array {
  into[0] = st.dev;
  into[1] = st.ino;
  into[2] = st.size;
  into[3] = st.mtimeMs;
  into[4] = st.ctimeMs;
  into[5] = st.isFile() ? 1 : st.isDirectory() ? 2 : 0;
  return into;
}

/** Whether Node was asked to warn of APIs about to be deprecated (the binding is one of them). */
function pendingDeprecation(): boolean {
  const flag = '--pending-deprecation';
  return (
    process.execArgv.includes(flag) ||
    (process.env.NODE_OPTIONS ?? '').includes(flag) ||
    process.env.NODE_PENDING_DEPRECATION === '1'
  );
}

/** undefined: not decided yet; null: not usable in this process. */
let binding: BindingStat | null | undefined;
/** Paths tried without a verdict (both sides failed on them); after a few the public way stays. */
let undecided = 0;
/** Set by tests to run the public path only. */
let forcedPublic = false;

function findBinding(): BindingStat | null {
  if (forcedPublic || pendingDeprecation()) return null;
  try {
    const legacy = (process as unknown as { binding?: (name: string) => { stat?: unknown } }).binding;
    const stat = typeof legacy === 'function' ? legacy.call(process, 'fs').stat : undefined;
    return typeof stat === 'function' ? (stat as BindingStat) : null;
  } catch {
    return null;
  }
}

/**
 * The first path that exists decides: the binding is trusted when its answer equals fs.statSync's,
 * figure for figure. Returns the public answer meanwhile (or throws its error).
 */
function decide(path: string, throwIfNoEntry: boolean): Float64Array | undefined {
  const found = findBinding();
  let st: import('node:fs').Stats | undefined;
  try {
    st = statSync(path, { throwIfNoEntry });
  } catch (err) {
    if (found === null || ++undecided >= 4) binding = null;
    throw err;
  }
  if (st === undefined || found === null) {
    if (found === null || ++undecided >= 4) binding = null;
    return st === undefined ? undefined : fromStats(st, view);
  }
  let a: Float64Array | undefined;
  try {
    a = found(path, false, undefined, true);
  } catch {
    a = undefined;
  }
  const theirs = a instanceof Float64Array && a.length >= 16 ? fromBinding(a, new Float64Array(FIGURES)) : null;
  fromStats(st, view);
  binding = theirs !== null && theirs.every((x, i) => x === view[i]) ? found : null;
  return view;
}

/**
 * `fs.statSync(path, { throwIfNoEntry })`'s figures in one array reused by every call (valid until
 * the next one; see VIEW), for loops that only compare them: no object per path. Throws what
 * fs.statSync throws (ENOENT, ENOTDIR, EACCES, …, with their `code`); undefined for a missing path
 * when `throwIfNoEntry` is false.
 */
export function statView(path: string, throwIfNoEntry: boolean): Float64Array | undefined {
  // A NUL would end the path early in the binding; fs.statSync refuses such a path.
  if (binding !== null && !path.includes('\0')) {
    if (binding === undefined) return decide(path, throwIfNoEntry);
    const a = binding(path, false, undefined, throwIfNoEntry);
    return a === undefined ? undefined : fromBinding(a, view);
  }
  const st = statSync(path, { throwIfNoEntry });
  return st === undefined ? undefined : fromStats(st, view);
}

/** statView's figures as an object, for callers that keep them. */
export function statPath(path: string): PathStat;
export function statPath(path: string, throwIfNoEntry: boolean): PathStat | undefined;
export function statPath(path: string, throwIfNoEntry = true): PathStat | undefined {
  const v = statView(path, throwIfNoEntry);
  if (v === undefined) return undefined;
  return {
    dev: v[0]!,
    ino: v[1]!,
    size: v[2]!,
    mtimeMs: v[3]!,
    ctimeMs: v[4]!,
    isFile: v[5] === 1,
    isDirectory: v[5] === 2,
  };
}

/** Tests: whether the binding answers in this process (after a first `statPath`). */
export function statPathUsesBinding(): boolean {
  return binding !== null && binding !== undefined;
}

/** Tests: forget what was decided; `publicOnly` makes every later call use `fs.statSync`. */
export function resetStatPath(publicOnly = false): void {
  binding = undefined;
  undecided = 0;
  forcedPublic = publicOnly;
}
