/**
 * Builds dist/ once for the end-to-end tests of one run: a lock keeps parallel test files from
 * compiling over each other, and a fresh build (under a minute old) is reused.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cliPath = join(repo, 'dist', 'cli.js');
/** tsc's copy of the entry: the compile reached the end. */
const compiledEntry = join(repo, 'dist', 'lib', 'cli.js');

// In the system's temporary folder, not the run's own (test/global-setup.ts): two runs in one
// checkout share the lock, so they never compile over each other.
const shared = process.env.CREDITMETER_TESTS_SYSTEM_TMP ?? tmpdir();
const lock = join(shared, 'creditmeter-e2e-build.lock');
const stamp = join(shared, 'creditmeter-e2e-build.stamp');

function fresh(): boolean {
  try {
    return Date.now() - statSync(stamp).mtimeMs < 60_000;
  } catch {
    return false;
  }
}

/** Compiles src to dist and bundles the binary unless another test file just did. */
export function buildCli(): void {
  const start = Date.now();
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() - start > 120_000) rmSync(lock, { recursive: true, force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    if (!fresh()) {
      // tsc still emits when a file elsewhere has a type error; the tests need the JavaScript only.
      const r = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: repo, stdio: 'ignore' });
      if (!existsSync(compiledEntry)) throw new Error(`building dist/lib/ failed (tsc exit ${r.status})`);
      // Then the bundle the package ships as its binary (dist/cli.js and dist/chunks/).
      const b = spawnSync(process.execPath, ['scripts/bundle.mjs'], { cwd: repo, stdio: 'inherit' });
      if (b.status !== 0) throw new Error(`bundling dist/cli.js failed (exit ${b.status})`);
      writeFileSync(stamp, String(Date.now()));
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
