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
    hash.update('\n').update(found[i]!.path).update('\0').update(found[i]!.kind).update('\0');
    if (st === null) hash.update('-');
    else hash.updateNumber(st.dev).updateNumber(st.ino).updateNumber(st.size).updateNumber(st.mtimeMs);
  }
  return hash.hex();
}
