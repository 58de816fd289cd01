/**
 * Loads better-sqlite3 when the first database opens (commands that never open one do not pay
 * for it), through `require` (no ES-module wrapping of a CommonJS package), and points it at its
 * compiled addon directly, skipping the `bindings` package's search of a dozen candidate paths.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type BetterSqlite3 from 'better-sqlite3';

const requireCjs = createRequire(import.meta.url);
let ctor: typeof BetterSqlite3 | null = null;
let addon: string | null | undefined;

/**
 * The package's folder as require() finds it from this file: the first `node_modules/better-sqlite3`
 * up the folders (a few existsSync calls; require.resolve took about a millisecond), else where
 * require.resolve says (NODE_PATH and the like).
 */
function packageDir(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', 'better-sqlite3');
    if (basename(dir) !== 'node_modules' && existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) return dirname(requireCjs.resolve('better-sqlite3/package.json'));
  }
}

/** The addon built by `npm install` (build/Release), or undefined to let the package find it. */
export function addonPath(): string | undefined {
  if (addon === undefined) {
    try {
      const file = join(packageDir(), 'build', 'Release', 'better_sqlite3.node');
      addon = existsSync(file) ? file : null;
    } catch {
      addon = null;
    }
  }
  return addon ?? undefined;
}

/**
 * better-sqlite3's JavaScript. The CommonJS builds of the binary (scripts/bundle.mjs) replace this
 * function's body with a plain `require('better-sqlite3')`, which bundles the package's ten files
 * into the one file that runs (its addon stays where npm built it): loading them as a package
 * costs a few milliseconds of every command that opens the store.
 */
export function loadBetterSqlite(): typeof BetterSqlite3 {
  return requireCjs('better-sqlite3') as typeof BetterSqlite3;
}

/** Opens a better-sqlite3 connection (same options as its constructor). */
export function newSqlite(file: string, options: BetterSqlite3.Options = {}): BetterSqlite3.Database {
  ctor ??= loadBetterSqlite();
  const nativeBinding = addonPath();
  return new ctor(file, nativeBinding === undefined ? options : { ...options, nativeBinding });
}
