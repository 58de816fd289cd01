/**
 * The listing and stats `ingest`'s short way took before it found something new, handed to the
 * catch-up that runs next in the same process, so a run lists the folders and stats each file once
 * (the short way and the full command are separate bundles: the hand-over goes through a global
 * symbol). Taken at most once, for the same roots and cache file, and only while fresh.
 */
import type { Discovery } from './roots.js';
import type { FileStat } from './plan.js';

const KEY = Symbol.for('creditmeter.ingest.discovery');
/** Older than this, a handed listing is not used (the catch-up lists again). */
const FRESH_MS = 2_000;

interface Handed {
  roots: string;
  cachePath: string | null;
  discovery: Discovery;
  stats: (FileStat | null)[];
  at: number;
}

type Holder = { [KEY]?: Handed };

/** Leaves a listing and its stats for the catch-up that follows in this process. */
export function handDiscovery(
  roots: readonly string[],
  cachePath: string | null,
  discovery: Discovery,
  stats: (FileStat | null)[],
): void {
  (globalThis as Holder)[KEY] = { roots: JSON.stringify(roots), cachePath, discovery, stats, at: Date.now() };
}

/** The listing handed for these roots and cache file, once; null when there is none or it is stale. */
export function takeDiscovery(
  roots: readonly string[],
  cachePath: string | null,
): { discovery: Discovery; stats: (FileStat | null)[] } | null {
  const holder = globalThis as Holder;
  const handed = holder[KEY];
  delete holder[KEY];
  if (handed === undefined) return null;
  const age = Date.now() - handed.at;
  if (handed.roots !== JSON.stringify(roots) || handed.cachePath !== cachePath || age < 0 || age > FRESH_MS)
    return null;
  if (handed.stats.length !== handed.discovery.files.length) return null;
  return { discovery: handed.discovery, stats: handed.stats };
}
