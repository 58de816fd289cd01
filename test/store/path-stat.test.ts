/**
 * statPath answers what fs.statSync answers, field for field and error for error, whether Node's
 * binding answers or the public call does; the binding is used only when it proves itself.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import {
  RAW,
  rawIsFile,
  resetStatPath,
  statPath,
  statPathUsesBinding,
  statRaw,
  statView,
  VIEW,
  type PathStat,
} from '../../src/store/path-stat.js';
import { mulberry32 } from '../../src/domain/random.js';
import { buildCli, cliPath, repo } from '../e2e/build-cli.js';
import { readSideFile } from '../../src/store/side-files.js';

const dir = mkdtempSync(join(tmpdir(), 'cm-path-stat-'));
const paths: string[] = [];
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  resetStatPath();
  delete process.env.NODE_PENDING_DEPRECATION;
});

beforeAll(() => {
  // Files and folders with whole, fractional and far mtimes (nanoseconds matter: mtimeMs is kept).
  const rng = mulberry32(7);
  for (let i = 0; i < 60; i++) {
    const sub = join(dir, `d${i % 6}`);
    mkdirSync(sub, { recursive: true });
    const f = join(sub, `f${i}.jsonl`);
    writeFileSync(f, 'x'.repeat(Math.floor(rng() * 5000)));
    const t = i % 3 === 0 ? 1_700_000_000 + i : 1_000_000_000 + rng() * 1_000_000_000;
    utimesSync(f, t, t + rng());
    paths.push(f);
    if (i < 6) paths.push(sub);
  }
  // Before 1970: negative seconds, nanoseconds still counted up from them.
  const old = join(dir, 'd0', 'old.jsonl');
  writeFileSync(old, 'old');
  utimesSync(old, new Date(-86_400_250), new Date(-1_234_567_891));
  paths.push(old);
  symlinkSync(paths[0]!, join(dir, 'link.jsonl'));
  paths.push(join(dir, 'link.jsonl'), dir);
});

/** stat(2)'s whole seconds (rounded down) and nanoseconds (0 to 1e9 - 1) of a time in nanoseconds. */
function spec(ns: bigint): [number, number] {
  const nsec = ((ns % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n;
  return [Number((ns - nsec) / 1_000_000_000n), Number(nsec)];
}

function expected(path: string): PathStat {
  const st = statSync(path);
  const [mtimeSec, mtimeNsec] = spec(statSync(path, { bigint: true }).mtimeNs);
  return {
    dev: st.dev,
    ino: st.ino,
    size: st.size,
    mtimeMs: st.mtimeMs,
    ctimeMs: st.ctimeMs,
    mtimeSec,
    mtimeNsec,
    isFile: st.isFile(),
    isDirectory: st.isDirectory(),
  };
}

function thrown(fn: () => unknown): { code: unknown; syscall: unknown } | 'none' {
  try {
    fn();
    return 'none';
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { code: e.code, syscall: e.syscall };
  }
}

describe('statPath', () => {
  it("answers fs.statSync's figures for files, folders and links, through Node's binding", () => {
    for (const p of paths) expect(statPath(p)).toEqual(expected(p));
    expect(statPathUsesBinding()).toBe(true);
    // Relative paths resolve against the working folder, as fs.statSync's do.
    const rel = relative(process.cwd(), paths[1]!);
    expect(statPath(rel)).toEqual(expected(rel));
  });

  it.each([
    ['binding', false],
    ['public call', true],
  ])('gives the same figures in its reused array (%s)', (_, publicOnly) => {
    resetStatPath(publicOnly);
    statPath(paths[0]!); // decides
    for (const p of paths) {
      const e = expected(p);
      const v = [...statView(p, true)!];
      expect(v).toEqual([
        e.dev,
        e.ino,
        e.size,
        e.mtimeMs,
        e.ctimeMs,
        e.isFile ? 1 : e.isDirectory ? 2 : 0,
        e.mtimeSec,
        e.mtimeNsec,
      ]);
      expect(v[VIEW.mtimeMs]).toBe(e.mtimeMs);
      // The same stat in the binding's layout, whichever way it was taken.
      const big = statSync(p, { bigint: true });
      const a = statRaw(p, true)!;
      expect([a[RAW.dev], a[RAW.ino], a[RAW.size], rawIsFile(a)]).toEqual([e.dev, e.ino, e.size, e.isFile]);
      expect([a[RAW.mtimeSec], a[RAW.mtimeNsec]]).toEqual(spec(big.mtimeNs));
      expect([a[RAW.ctimeSec], a[RAW.ctimeNsec]]).toEqual(spec(big.ctimeNs));
      expect(a[RAW.mode]).toBe(Number(big.mode));
    }
    expect(statRaw(join(dir, 'missing'), false)).toBeUndefined();
    expect(thrown(() => statRaw(join(dir, 'missing'), true))).toEqual({ code: 'ENOENT', syscall: 'stat' });
    expect(statView(join(dir, 'missing'), false)).toBeUndefined();
    expect(thrown(() => statView(join(dir, 'missing'), true))).toEqual({ code: 'ENOENT', syscall: 'stat' });
    expect(statPathUsesBinding()).toBe(!publicOnly);
  });

  it('gives a time before 1970 as the binding does, through the public call too', () => {
    const old = join(dir, 'd0', 'old.jsonl');
    const figures = (): number[] => {
      const a = statRaw(old, true)!;
      return Object.values(RAW).map((i) => a[i]!);
    };
    statPath(paths[0]!); // decides
    expect(statPathUsesBinding()).toBe(true);
    const theirs = figures();
    resetStatPath(true);
    expect(figures()).toEqual(theirs);
    expect(theirs[Object.keys(RAW).indexOf('mtimeSec')]).toBe(-1_234_568);
    expect(statPath(old)).toEqual(expected(old));
  });

  it('answers the same through the public call only', () => {
    resetStatPath(true);
    for (const p of paths) expect(statPath(p)).toEqual(expected(p));
    expect(statPathUsesBinding()).toBe(false);
  });

  it.each([
    ['binding', false],
    ['public call', true],
  ])('throws what fs.statSync throws (%s)', (_, publicOnly) => {
    resetStatPath(publicOnly);
    statPath(paths[0]!); // decides
    const missing = join(dir, 'missing.jsonl');
    const notDir = join(paths[0]!, 'x');
    for (const p of [missing, notDir, 'a'.repeat(5000)]) {
      expect(thrown(() => statPath(p))).toEqual(thrown(() => statSync(p)));
      expect(thrown(() => statPath(p, false))).toEqual(thrown(() => statSync(p, { throwIfNoEntry: false })));
    }
    expect(statPath(missing, false)).toBeUndefined();
    // A NUL would cut the path short in the binding: refused, as fs.statSync refuses it.
    expect(thrown(() => statPath(`${paths[0]!}\0x`))).toEqual({ code: 'ERR_INVALID_ARG_VALUE', syscall: undefined });
  });

  it('decides on the first path that exists: missing ones first change nothing', () => {
    expect(statPath(join(dir, 'gone-1'), false)).toBeUndefined();
    expect(thrown(() => statPath(join(dir, 'gone-2')))).toEqual({ code: 'ENOENT', syscall: 'stat' });
    expect(statPathUsesBinding()).toBe(false);
    expect(statPath(paths[2]!)).toEqual(expected(paths[2]!));
    expect(statPathUsesBinding()).toBe(true);
  });

  it('keeps to the public call when Node is asked to warn of pending deprecations', () => {
    process.env.NODE_PENDING_DEPRECATION = '1';
    expect(statPath(paths[0]!)).toEqual(expected(paths[0]!));
    expect(statPathUsesBinding()).toBe(false);
  });

  it('prints no deprecation warning from the built binary run with --pending-deprecation', () => {
    buildCli();
    const claude = join(dir, 'claude');
    mkdirSync(join(claude, 'projects', 'p'), { recursive: true });
    writeFileSync(join(claude, 'projects', 'p', 's.jsonl'), '');
    writeFileSync(join(dir, 'config.json'), '{}');
    const args = ['--claude-dir', claude, '--db', join(dir, 'u.db'), '--config', join(dir, 'config.json')];
    for (let i = 0; i < 2; i++) {
      const r = spawnSync(process.execPath, ['--pending-deprecation', cliPath, 'ingest', ...args], {
        cwd: repo,
        encoding: 'utf8',
      });
      expect(r.status).toBe(0);
      expect(r.stderr).not.toMatch(/Deprecation/);
    }
  });
});

describe('readSideFile', () => {
  it('reads ASCII and UTF-8 texts as they were written', () => {
    for (const text of ['{"a":"plain"}', '{"a":"日本語 café ▶"}', '', 'x'.repeat(300_000)]) {
      const file = join(dir, 'side.json');
      writeFileSync(file, text);
      expect(readSideFile(file)).toBe(text);
    }
    expect(thrown(() => readSideFile(join(dir, 'none.json')))).toEqual({ code: 'ENOENT', syscall: 'open' });
  });
});
