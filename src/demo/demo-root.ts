/**
 * The demo history behind `creditmeter --demo` (and `npm start` without ~/.claude): generated once
 * per day into a cache folder under the OS temp dir, then reused.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoHistoryOptions } from './fixture.js';
import { generateHistory } from './generator.js';
import { GENERATOR_VERSION, MANIFEST_FILE } from './manifest.js';

/** Bump when the generator's output changes, so cached demo roots are regenerated. */
const DEMO_FORMAT = GENERATOR_VERSION;

/**
 * A folder of this user's under the OS temp dir: the user id is in its name, so on a machine
 * several people use, one's demo folders never stand in the way of another's (a folder made by
 * one user is not writable by the next). Windows gives each user a temp dir of their own.
 */
export function userTempDir(name: string): string {
  const uid = process.getuid?.();
  return join(tmpdir(), uid === undefined ? name : `${name}-${uid}`);
}

/** The cache folder holding the demo roots. */
export function demoCacheDir(): string {
  return userTempDir('creditmeter-demo');
}

/**
 * A Claude config root holding about three months of demo history ending at `nowMs`. Reuses the
 * root generated earlier the same (UTC) day; older demo roots are removed.
 */
export async function ensureDemoRoot(nowMs: number): Promise<string> {
  const day = new Date(nowMs).toISOString().slice(0, 10);
  const cache = demoCacheDir();
  const name = `v${DEMO_FORMAT}-${day}`;
  const root = join(cache, name);
  if (existsSync(join(root, MANIFEST_FILE))) return root;
  mkdirSync(cache, { recursive: true });
  // Build beside the final place and rename: a second process never sees a half-written root.
  const building = join(cache, `${name}.building-${process.pid}`);
  rmSync(building, { recursive: true, force: true });
  await generateHistory({ ...demoHistoryOptions(nowMs), outDir: building });
  if (existsSync(join(root, MANIFEST_FILE))) {
    rmSync(building, { recursive: true, force: true });
  } else {
    rmSync(root, { recursive: true, force: true });
    renameSync(building, root);
  }
  for (const entry of readdirSync(cache)) {
    if (entry !== name && !entry.includes('.building-')) rmSync(join(cache, entry), { recursive: true, force: true });
  }
  return root;
}
