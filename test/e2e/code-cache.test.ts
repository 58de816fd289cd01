/**
 * The binary's CommonJS files load with V8's code cache kept beside them: the first run keeps it,
 * later runs use it, a changed file never meets an old cache, and a cache that cannot be written
 * or read only costs speed.
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, repo } from './build-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'cm-code-cache-'));
const main = join(dir, 'main.cjs');
const cacheDir = join(dir, '.code-cache');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(() => buildCli(), 120_000);

const loader = pathToFileURL(join(repo, 'dist', 'lib', 'cli', 'code-cache.js')).href;

/** Loads main.cjs through the code cache in a fresh process; what its `answer()` returns. */
function run(variant?: string, exitCode = 0): { out: string; err: string; code: number | null } {
  const script = `import { requireWithCodeCache } from ${JSON.stringify(loader)};
    const m = requireWithCodeCache(${JSON.stringify(main)}, ${variant === undefined ? 'undefined' : JSON.stringify(variant)});
    process.stdout.write(m.answer());
    process.exitCode = ${exitCode};`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  return { out: r.stdout, err: r.stderr, code: r.status };
}

const cacheFiles = (): string[] => readdirSync(cacheDir).sort();

function writeMain(word: string): void {
  writeFileSync(
    main,
    `const { basename } = require('node:path');
     const dep = require('./dep.cjs');
     exports.answer = () => [${JSON.stringify(word)}, dep.twice(21), basename(__filename), typeof module.exports].join(' ');`,
  );
}

describe('code cache', () => {
  it('keeps the cache on the first run and runs from it after', () => {
    writeFileSync(join(dir, 'dep.cjs'), 'exports.twice = (n) => n * 2;');
    writeMain('alpha');
    expect(run()).toEqual({ out: 'alpha 42 main.cjs object', err: '', code: 0 });
    const kept = cacheFiles();
    expect(kept).toHaveLength(2);
    expect(kept.every((f) => f.endsWith(`-${process.version}-${process.arch}.v8`))).toBe(true);
    const inodes = kept.map((f) => statSync(join(cacheDir, f)).ino);
    expect(run().out).toBe('alpha 42 main.cjs object');
    // Used, not written again (a rewrite goes through a new file and a rename).
    expect(cacheFiles()).toEqual(kept);
    expect(kept.map((f) => statSync(join(cacheDir, f)).ino)).toEqual(inodes);
  });

  it('keeps no cache of a run that ended early (exit 1 or 2), and keeps that of a whole run after it', async () => {
    const { codeCachePath } = (await import(loader)) as { codeCachePath: (file: string) => string };
    writeMain('early');
    const path = codeCachePath(main);
    for (const code of [2, 1]) {
      expect(run(undefined, code)).toEqual({ out: 'early 42 main.cjs object', err: '', code });
      expect(existsSync(path)).toBe(false);
    }
    // A --fail-at threshold reached (exit 3) is a whole run.
    expect(run(undefined, 3).code).toBe(3);
    expect(existsSync(path)).toBe(true);
  });

  it('never gives a changed file the cache of its old text, even at the same length', () => {
    writeMain('omega');
    expect(run().out).toBe('omega 42 main.cjs object');
    expect(run().out).toBe('omega 42 main.cjs object');
  });

  it('compiles as usual from a damaged cache, and writes it anew', () => {
    for (const f of cacheFiles()) writeFileSync(join(cacheDir, f), 'not a code cache');
    expect(run()).toEqual({ out: 'omega 42 main.cjs object', err: '', code: 0 });
    expect(cacheFiles().some((f) => statSync(join(cacheDir, f)).size > 100)).toBe(true);
  });

  it('reads a file that is not ASCII as UTF-8, with and without its cache', () => {
    writeMain('日本語 · ▶ café');
    expect(run()).toEqual({ out: '日本語 · ▶ café 42 main.cjs object', err: '', code: 0 });
    expect(run()).toEqual({ out: '日本語 · ▶ café 42 main.cjs object', err: '', code: 0 });
    writeMain('omega');
  });

  it("runs a file written inside Node's module wrapper (as the build writes them) as itself, with and without its cache", async () => {
    const { MODULE_WRAPPER } = (await import(loader)) as { MODULE_WRAPPER: { head: string; tail: string } };
    writeMain('wrapped');
    const plain = readFileSync(main, 'utf8');
    writeFileSync(main, MODULE_WRAPPER.head + plain + MODULE_WRAPPER.tail);
    expect(run()).toEqual({ out: 'wrapped 42 main.cjs object', err: '', code: 0 });
    expect(run()).toEqual({ out: 'wrapped 42 main.cjs object', err: '', code: 0 });
    // The binary's own files are written so; not the scan worker, which Node's loader wraps itself.
    for (const f of readdirSync(join(repo, 'dist', 'chunks')).filter((n) => n.endsWith('.cjs'))) {
      const text = readFileSync(join(repo, 'dist', 'chunks', f), 'latin1');
      const wrapped = text.startsWith(MODULE_WRAPPER.head) && text.endsWith(MODULE_WRAPPER.tail);
      expect(wrapped, f).toBe(f !== 'scan-worker.cjs');
    }
    writeMain('omega');
  });

  it('runs without a cache where none can be written', () => {
    rmSync(cacheDir, { recursive: true, force: true });
    writeFileSync(cacheDir, 'a file where the folder would go');
    expect(run()).toEqual({ out: 'omega 42 main.cjs object', err: '', code: 0 });
    rmSync(cacheDir);
    mkdirSync(cacheDir);
  });
  it('keeps a cache of its own for each command that runs a shared file', () => {
    writeMain('shared');
    rmSync(cacheDir, { recursive: true, force: true });
    expect(run('status')).toEqual({ out: 'shared 42 main.cjs object', err: '', code: 0 });
    expect(run('ingest')).toEqual({ out: 'shared 42 main.cjs object', err: '', code: 0 });
    const kept = cacheFiles().filter((f) => f.startsWith('main.cjs'));
    expect(kept.map((f) => f.split('-')[0])).toEqual(['main.cjs.ingest', 'main.cjs.status']);
    const inodes = kept.map((f) => statSync(join(cacheDir, f)).ino);
    expect(run('status').out).toBe('shared 42 main.cjs object');
    expect(cacheFiles().filter((f) => f.startsWith('main.cjs'))).toEqual(kept);
    expect(kept.map((f) => statSync(join(cacheDir, f)).ino)).toEqual(inodes);
    writeMain('omega');
  });
});
