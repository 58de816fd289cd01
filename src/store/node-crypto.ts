/**
 * `node:crypto`, loaded on first use: the module costs about 5 ms to load, which the paths that
 * only stat files or print a kept line (`ingest`'s short way, the status line, `status`) need not
 * pay. The hashes of file heads and offsets, a price file's sha256 and the export writer's
 * temporary names take it from here.
 */
import { createRequire } from 'node:module';

let loaded: typeof import('node:crypto') | null = null;

export function nodeCrypto(): typeof import('node:crypto') {
  return (loaded ??= createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto'));
}
