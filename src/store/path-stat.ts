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
 *
 * Besides the times in milliseconds, the modification time as stat(2) gives it (whole seconds and
 * nanoseconds): integers that a loop comparing thousands of stats tests as 32-bit words
 * (statWords), where computing milliseconds makes a heap number of every intermediate value until
 * V8 optimises the loop.
 */
import { statSync, type BigIntStats } from 'node:fs';

export interface PathStat {
  dev: number;
  ino: number;
  size: number;
  /** As `fs.Stats` computes them: seconds * 1e3 + nanoseconds / 1e6. */
  mtimeMs: number;
  ctimeMs: number;
  /** The modification time's whole seconds and nanoseconds, as stat(2) gives them. */
  mtimeSec: number;
  mtimeNsec: number;
  isFile: boolean;
  isDirectory: boolean;
}

/** `binding.stat(path, bigint, req, throwIfNoEntry)` of Node 20 and later. */
type BindingStat = (path: string, bigint: false, req: undefined, throwIfNoEntry: boolean) => Float64Array | undefined;

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;

/** Where statView puts each figure (`type`: 1 a file, 2 a folder, 0 anything else). */
export const VIEW = { dev: 0, ino: 1, size: 2, mtimeMs: 3, ctimeMs: 4, type: 5, mtimeSec: 6, mtimeNsec: 7 } as const;
const FIGURES = 8;
const view = new Float64Array(FIGURES);

/**
 * Where statRaw's array holds each figure: the layout of the binding's own array (Node 20 and
 * later), which the public call's answer is copied into.
 */
export const RAW = {
  dev: 0,
  mode: 1,
  ino: 7,
  size: 8,
  mtimeSec: 12,
  mtimeNsec: 13,
  ctimeSec: 14,
  ctimeNsec: 15,
} as const;
const RAW_FIGURES = 16;
const raw = new Float64Array(RAW_FIGURES);

const typeCode = (mode: number): number => ((mode & S_IFMT) === S_IFREG ? 1 : (mode & S_IFMT) === S_IFDIR ? 2 : 0);

/** Whether statRaw's figures are a regular file's. */
export const rawIsFile = (a: Float64Array): boolean => (a[RAW.mode]! & S_IFMT) === S_IFREG;

/** The 32-bit words of a Float64Array's figures: figure i in words 2i and 2i + 1 (native order). */
export const wordsOf = (a: Float64Array): Int32Array => new Int32Array(a.buffer, a.byteOffset, a.length * 2);

/** statView's figures of an array in the binding's layout. */
function fromBinding(a: Float64Array, into: Float64Array): Float64Array {
  into[0] = a[RAW.dev]!;
  into[1] = a[RAW.ino]!;
  into[2] = a[RAW.size]!;
  // As fs.Stats computes them.
  into[3] = a[RAW.mtimeSec]! * 1e3 + a[RAW.mtimeNsec]! / 1e6;
  into[4] = a[RAW.ctimeSec]! * 1e3 + a[RAW.ctimeNsec]! / 1e6;
  into[5] = typeCode(a[RAW.mode]!);
  into[6] = a[RAW.mtimeSec]!;
  into[7] = a[RAW.mtimeNsec]!;
  return into;
}

/** A time in nanoseconds as stat(2)'s whole seconds and nanoseconds (0 to 1e9 - 1, also before 1970). */
function timeSpec(ns: bigint, into: Float64Array, at: number): void {
  let sec = ns / 1_000_000_000n;
  let nsec = ns % 1_000_000_000n;
  if (nsec < 0n) {
    sec -= 1n;
    nsec += 1_000_000_000n;
  }
  into[at] = Number(sec);
  into[at + 1] = Number(nsec);
}

/** The public call's answer in the binding's layout (only the figures named in RAW). */
function fromStats(st: BigIntStats, into: Float64Array): Float64Array {
  into[RAW.dev] = Number(st.dev);
  into[RAW.mode] = Number(st.mode);
  into[RAW.ino] = Number(st.ino);
  into[RAW.size] = Number(st.size);
  timeSpec(st.mtimeNs, into, RAW.mtimeSec);
  timeSpec(st.ctimeNs, into, RAW.ctimeSec);
  return into;
}

/** fs.statSync's answer (in nanoseconds, so the seconds and nanoseconds are exact) in the binding's layout. */
function publicRaw(path: string, throwIfNoEntry: boolean): Float64Array | undefined {
  const st = statSync(path, { bigint: true, throwIfNoEntry });
  return st === undefined ? undefined : fromStats(st, raw);
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
 * The first path that exists decides: the binding is trusted when its answer equals the public
 * call's, figure for figure. Returns the public answer meanwhile (or throws its error), in the
 * binding's layout.
 */
function decide(path: string, throwIfNoEntry: boolean): Float64Array | undefined {
  const found = findBinding();
  let st: Float64Array | undefined;
  try {
    st = publicRaw(path, throwIfNoEntry);
  } catch (err) {
    if (found === null || ++undecided >= 4) binding = null;
    throw err;
  }
  if (st === undefined || found === null) {
    if (found === null || ++undecided >= 4) binding = null;
    return st;
  }
  let a: Float64Array | undefined;
  try {
    a = found(path, false, undefined, true);
  } catch {
    a = undefined;
  }
  const theirs = a instanceof Float64Array && a.length >= RAW_FIGURES ? a : null;
  binding = theirs !== null && Object.values(RAW).every((i) => theirs[i] === st[i]) ? found : null;
  return st;
}

/**
 * fs.statSync(path, { throwIfNoEntry })'s figures in the binding's layout (see RAW), in an array
 * reused by every call (valid until the next one): the binding's own array where it answers.
 * Throws what fs.statSync throws; undefined for a missing path when `throwIfNoEntry` is false.
 */
export function statRaw(path: string, throwIfNoEntry: boolean): Float64Array | undefined {
  // A NUL would end the path early in the binding; fs.statSync refuses such a path.
  if (binding !== null && !path.includes('\0')) {
    if (binding === undefined) return decide(path, throwIfNoEntry);
    return binding(path, false, undefined, throwIfNoEntry);
  }
  return publicRaw(path, throwIfNoEntry);
}

/** The words of the last array statRaw answered with (the same array call after call). */
let words: { of: Float64Array; words: Int32Array } | null = null;

/**
 * statRaw's figures as 32-bit words (wordsOf): a loop that tests figures for equality bit for bit
 * reads small integers, which V8's interpreter passes on as they are, where every element read
 * from a Float64Array makes a heap number until the loop is optimised (a few hundred KB for the
 * thousands of files `status` stats, and the page faults and collections that go with them).
 * The figures stat(2) gives are integers, never -0 or NaN: equal bits, equal figures.
 */
export function statWords(path: string, throwIfNoEntry: boolean): Int32Array | undefined {
  const a = statRaw(path, throwIfNoEntry);
  if (a === undefined) return undefined;
  if (words?.of !== a) words = { of: a, words: wordsOf(a) };
  return words.words;
}

/** Whether statWords' figures are a regular file's. */
export const wordsAreFile = (w: Int32Array): boolean =>
  rawIsFile(new Float64Array(w.buffer, w.byteOffset, w.length >> 1));

/**
 * `fs.statSync(path, { throwIfNoEntry })`'s figures in one array reused by every call (valid until
 * the next one; see VIEW), for loops that only compare them: no object per path. Throws what
 * fs.statSync throws (ENOENT, ENOTDIR, EACCES, …, with their `code`); undefined for a missing path
 * when `throwIfNoEntry` is false.
 */
export function statView(path: string, throwIfNoEntry: boolean): Float64Array | undefined {
  const a = statRaw(path, throwIfNoEntry);
  return a === undefined ? undefined : fromBinding(a, view);
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
    mtimeSec: v[6]!,
    mtimeNsec: v[7]!,
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
