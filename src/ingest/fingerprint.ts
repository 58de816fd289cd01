/**
 * The catch-up fingerprint: a digest of the roots, every found path and its stat. Two catch-ups
 * with the same fingerprint saw the same files at the same sizes and times, so the second one has
 * nothing to read (the pipeline's short way, and `ingest`'s snapshot beside the store).
 */
import { createHash } from 'node:crypto';
import type { FoundFile } from './roots.js';
import type { FileStat } from './plan.js';

/** A digest of the roots, every found path and its stat (device, inode, size, mtime). */
export function catchUpFingerprint(roots: string[], found: FoundFile[], stats: (FileStat | null)[]): string {
  const hash = createHash('sha1').update(JSON.stringify(roots));
  let chunk = '';
  for (let i = 0; i < found.length; i++) {
    const st = stats[i] ?? null;
    chunk += `\n${found[i]!.path}\0${found[i]!.kind}\0${st === null ? '-' : `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`}`;
    if (chunk.length > 65_536) {
      hash.update(chunk);
      chunk = '';
    }
  }
  return hash.update(chunk).digest('base64');
}
