/**
 * The catch-up fingerprint: a digest of the roots, every found path and its stat. Two catch-ups
 * with the same fingerprint saw the same files at the same sizes and times, so the second one has
 * nothing to read (the pipeline's short way, and `ingest`'s snapshot beside the store).
 */
import { Digest64 } from '../domain/digest.js';
import type { FoundFile } from './roots.js';
import type { FileStat } from './plan.js';

/** A digest of the roots, every found path and its stat (device, inode, size, mtime). */
export function catchUpFingerprint(roots: string[], found: FoundFile[], stats: (FileStat | null)[]): string {
  const hash = new Digest64().update(JSON.stringify(roots));
  for (let i = 0; i < found.length; i++) {
    const st = stats[i] ?? null;
    hash.update(`\n${found[i]!.path}\0${found[i]!.kind}\0`);
    hash.update(st === null ? '-' : `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`);
  }
  return hash.hex();
}
