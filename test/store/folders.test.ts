import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeFolders } from '../../src/store/folders.js';
import { buildCli, cliPath } from '../e2e/build-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'cm-folders-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('makeFolders', () => {
  it('creates every missing level with the mode, and takes a folder that is there', () => {
    const deep = join(dir, 'a', 'b', 'c');
    makeFolders(deep, 0o700);
    for (const d of [join(dir, 'a'), join(dir, 'a', 'b'), deep]) expect(statSync(d).mode & 0o777).toBe(0o700);
    expect(() => makeFolders(deep)).not.toThrow();
    expect(() => makeFolders(dir)).not.toThrow();
  });

  it("throws mkdir's error where a file stands in the way", () => {
    writeFileSync(join(dir, 'file'), 'x');
    expect(() => makeFolders(join(dir, 'file', 'sub'))).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
  });

  it.runIf(existsSync('/proc/self'))(
    'throws, not spins, where mkdir says ENOENT under a folder that exists (/proc)',
    () => {
      expect(() => makeFolders('/proc/creditmeter-none/sub')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    },
  );
});

describe.runIf(existsSync('/proc/self'))('the built CLI under a folder that cannot hold folders', () => {
  // In a child process with a time limit: Node's recursive mkdir would spin there forever.
  const run = (args: string[]): ReturnType<typeof spawnSync> =>
    spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', timeout: 30_000 });

  it('config set and export end with one sentence and exit 1', () => {
    buildCli();
    const claude = join(dir, 'claude');
    makeFolders(join(claude, 'projects'));
    const set = run(['--config', '/proc/creditmeter-none/config.json', 'config', 'set', 'plan', 'max5x']);
    expect(set.error).toBeUndefined();
    expect(set.status).toBe(1);
    expect(String(set.stderr).trim()).toBe(
      'creditmeter: Cannot write the config file /proc/creditmeter-none/config.json (ENOENT); choose another place with --config.',
    );
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ exportDir: '/proc/creditmeter-none/exports' }));
    const exp = run(['--config', config, '--db', join(dir, 'usage.db'), '--claude-dir', claude, 'export']);
    expect(exp.error).toBeUndefined();
    expect(exp.status).toBe(1);
    expect(String(exp.stderr).trim()).toBe(
      'creditmeter: Could not write the snapshot to /proc/creditmeter-none/exports: files cannot be created there. Set another export folder (creditmeter config set exportDir DIR) or pass --out.',
    );
  }, 120_000);
});
