/**
 * The V8 flags a large read sets are put back after it: V8 refuses a code cache written under
 * other flags, and the binary writes its cache when a run ends (cli/code-cache.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, repo } from './build-cli.js';

beforeAll(() => buildCli(), 120_000);

const flags = pathToFileURL(join(repo, 'dist', 'lib', 'ingest', 'heap-growth.js')).href;

/** Writes a code cache in one process (`before` run first), then reads it in a fresh one: whether V8 took it. */
function cacheTaken(before: string): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'cm-flags-'));
  try {
    const cache = join(dir, 'cache.bin');
    const script = `import vm from 'node:vm'; import fs from 'node:fs';
      const source = 'function f() { return 1 + 2 } f();';
      if (process.argv[1] === 'write') {
        const flags = await import(${JSON.stringify(flags)});
        ${before}
        const s = new vm.Script(source, { filename: 'x.js' });
        s.runInThisContext();
        fs.writeFileSync(${JSON.stringify(cache)}, s.createCachedData());
      } else {
        const s = new vm.Script(source, { filename: 'x.js', cachedData: fs.readFileSync(${JSON.stringify(cache)}) });
        process.stdout.write(s.cachedDataRejected ? 'rejected' : 'taken');
      }`;
    const run = (mode: string): string =>
      spawnSync(process.execPath, ['--input-type=module', '-e', script, mode], { encoding: 'utf8' }).stdout;
    run('write');
    return run('read') === 'taken';
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the V8 flags of a large read', () => {
  it('are put back when it ends: a code cache written after it is taken by the next run', () => {
    // While they are set, a cache written is refused by a run with V8's own flags.
    expect(cacheTaken('flags.raiseOptimisationBudget(); flags.tightenHeapGrowth();')).toBe(false);
    expect(cacheTaken('flags.raiseOptimisationBudget()(); flags.tightenHeapGrowth()();')).toBe(true);
    // Put back once, whatever calls it again.
    expect(cacheTaken('const back = flags.raiseOptimisationBudget(); back(); back();')).toBe(true);
  });
});
