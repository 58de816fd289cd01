/**
 * Loads the binary's CommonJS files with V8's code cache, as Node 22's module compile cache does
 * (Node 20 has none): a command's first run keeps, beside the file, the bytecode V8 compiled for it
 * (every function that ran, not only the top level); later runs start from it instead of parsing
 * and compiling the file again (about a tenth of `status`'s run on a 300 KB file).
 *
 * The cache file is named by the file's size, mtime and inode, Node's version and the machine's
 * architecture, since V8 itself only checks a cache against the source's length and its own flags;
 * a build writes new files, so it never meets an older cache. V8 refuses a cache it cannot use
 * (other flags): the file is then compiled as usual and the cache written anew. A folder that
 * cannot be written (a read-only install) only means no cache. Beside the code it belongs to, a
 * cache is trusted as that code is.
 */
import { isAscii } from 'node:buffer';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

/** Node's CommonJS wrapper: the file's code runs with these five names, as under require(). */
const HEAD = '(function (exports, require, module, __filename, __dirname) { ';
const TAIL = '\n});';
/**
 * The build writes its CommonJS files inside that wrapper already (scripts/bundle.mjs): the text
 * read is then the script itself, with no copy of it made to wrap it (300 KB to 1.3 MB on the
 * heap at every start, most of a first garbage collection's worth). Other files are wrapped here.
 */
export const MODULE_WRAPPER = { head: HEAD, tail: TAIL } as const;

const loaded = new Map<string, unknown>();

/**
 * The cache file of `file` (absolute) as it is now; with `variant`, one of its own (a file that
 * several commands run: each keeps the functions it runs, see requireWithCodeCache).
 */
export function codeCachePath(file: string, variant?: string): string {
  const st = statSync(file);
  const key = [st.size, Math.trunc(st.mtimeMs * 1000), st.ino, process.version, process.arch].join('-');
  const name = variant === undefined ? basename(file) : `${basename(file)}.${variant}`;
  return join(dirname(file), '.code-cache', `${name}-${key}.v8`);
}

/**
 * require() of a CommonJS file of the build (absolute path), with the code cache. Its own
 * require() of a sibling `./*.cjs` file takes the same way; everything else is Node's require.
 *
 * A cache holds the functions its first run compiled. A file several commands run (`ingest`,
 * `report` and `status` share one) is given `variant`, the command, so each keeps a cache of its
 * own: `status` from a cache a cold `ingest` kept found its own functions missing and compiled
 * them at every run (about 4 ms of it).
 */
export function requireWithCodeCache(file: string, variant?: string): unknown {
  if (loaded.has(file)) return loaded.get(file);
  // Named before the file is read: a file replaced in between is read new under its old name,
  // which no later run asks for, never old under the new one.
  const cachePath = codeCachePath(file, variant);
  const source = readSource(file);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cachePath);
  } catch {
    // not kept yet
  }
  const script = new Script(source, { filename: file, ...(cachedData ? { cachedData } : {}) });
  if (cachedData === undefined || script.cachedDataRejected === true)
    // At exit, so the cache holds every function the run compiled; and only after a whole run (exit
    // 0, or 3: a --fail-at threshold reached). A run that stopped early (a mistyped flag, a failure)
    // compiled a part of the command, and its cache would leave the rest to compile at every later
    // run (`status` about 8 ms slower for good after a first `status --fail-at 0x50`).
    process.once('exit', (code) => {
      if (code === 0 || code === 3) keepCodeCache(cachePath, script);
    });
  const module = { exports: {} as unknown };
  loaded.set(file, module.exports);
  const nodeRequire = createRequire(file);
  const dir = dirname(file);
  const require = Object.assign(
    (id: string): unknown =>
      id.startsWith('./') && id.endsWith('.cjs') ? requireWithCodeCache(join(dir, id)) : nodeRequire(id),
    { resolve: nodeRequire.resolve, cache: nodeRequire.cache, main: nodeRequire.main },
  );
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  try {
    wrapper.call(module.exports, module.exports, require, module, file, dir);
  } catch (err) {
    loaded.delete(file);
    throw err;
  }
  loaded.set(file, module.exports);
  return module.exports;
}

/**
 * The file's code in Node's module wrapper. The build writes ASCII (esbuild escapes the rest),
 * which becomes a one-byte string straight from the bytes: Node's UTF-8 read of the dashboard's
 * 1.3 MB file costs 8-15 ms, this about 1. Any other file is decoded as UTF-8.
 */
function readSource(file: string): string {
  const bytes = readFileSync(file);
  const text = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  return text.startsWith(HEAD) && text.endsWith(TAIL) ? text : HEAD + text + TAIL;
}

/** Writes the cache (through a temporary file and a rename); any failure only costs speed. */
function keepCodeCache(path: string, script: Script): void {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(temp, script.createCachedData());
    renameSync(temp, path);
  } catch {
    try {
      rmSync(temp, { force: true });
    } catch {
      // nothing was written
    }
  }
}
