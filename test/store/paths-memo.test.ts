/**
 * The forecast's paths kept beside the store: read back as written, by exact key only, the last
 * command's runs first; a damaged, cut or foreign file is no memo, and never an error.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeRuns, encodeRuns, PathsMemoFile, pathsMemoPath } from '../../src/store/paths-memo.js';
import type { PathsOutput } from '../../src/domain/forecast-paths.js';
import { mulberry32 } from '../../src/domain/random.js';

const dir = mkdtempSync(join(tmpdir(), 'cm-paths-memo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rng = mulberry32(21);
function output(paths: number): PathsOutput {
  return {
    ends: Float64Array.from({ length: paths }, () => rng() * 100),
    crossSegment: Int32Array.from({ length: paths }, () => Math.floor(rng() * 30) - 1),
    crossDay: Int32Array.from({ length: paths }, () => Math.floor(rng() * 90)),
    crossScale: Float64Array.from({ length: paths }, () => rng()),
    crossBefore: Float64Array.from({ length: paths }, () => -rng() * 1e6),
  };
}
/** Keys of odd lengths, so the padding is exercised. */
const key = (seed: number, length = 37): Uint8Array => {
  const r = mulberry32(seed);
  return Uint8Array.from({ length }, () => Math.floor(r() * 256));
};

describe('the paths memo file', () => {
  it('gives back what a command kept, by the exact key, in a later command', () => {
    const db = join(dir, 'a.db');
    const runs = [output(2000), output(1), output(7)];
    const first = new PathsMemoFile(db);
    runs.forEach((out, i) => {
      expect(first.recall(key(i))).toBeNull();
      first.keep(key(i), out);
    });
    first.persist();
    const later = new PathsMemoFile(db);
    runs.forEach((out, i) => expect(later.recall(key(i))).toEqual(out));
    // A key one byte longer, shorter or different is another input.
    expect(later.recall(key(0, 38))).toBeNull();
    expect(later.recall(key(0, 36))).toBeNull();
    const other = key(0);
    other[20] = (other[20]! + 1) % 256;
    expect(later.recall(other)).toBeNull();
  });

  it("keeps the last command's runs first, then older ones up to eight in all", () => {
    const db = join(dir, 'b.db');
    for (let cmd = 0; cmd < 12; cmd++) {
      const memo = new PathsMemoFile(db);
      memo.recall(key(100 + cmd));
      memo.keep(key(100 + cmd), output(3));
      memo.persist();
    }
    const runs = decodeRuns(readFileSync(pathsMemoPath(db)!))!;
    expect(runs.map((r) => Buffer.from(r.key).equals(Buffer.from(key(111))))[0]).toBe(true);
    expect(runs).toHaveLength(8);
    // Every run of one command (a team's seats), however many beyond eight, up to 64.
    const team = new PathsMemoFile(db);
    for (let seat = 0; seat < 70; seat++) team.keep(key(200 + seat), output(2));
    team.persist();
    const all = decodeRuns(readFileSync(pathsMemoPath(db)!))!;
    expect(all).toHaveLength(64);
    expect(Buffer.from(all[63]!.key).equals(Buffer.from(key(263)))).toBe(true);
    const next = new PathsMemoFile(db);
    next.recall(key(201));
    next.keep(key(300), output(2));
    next.persist();
    expect(decodeRuns(readFileSync(pathsMemoPath(db)!))).toHaveLength(8);
    // A run asked twice in one command (two seats with one history) is drawn and kept once.
    const twice = new PathsMemoFile(join(dir, 'twice.db'));
    expect(twice.recall(key(400))).toBeNull();
    twice.keep(key(400), output(2));
    expect(twice.recall(key(400))).not.toBeNull();
    twice.persist();
    expect(decodeRuns(readFileSync(pathsMemoPath(join(dir, 'twice.db'))!))).toHaveLength(1);
    // A command that only reads writes nothing.
    const before = readFileSync(pathsMemoPath(db)!);
    const reader = new PathsMemoFile(db);
    expect(reader.recall(key(203))).not.toBeNull();
    reader.persist();
    expect(readFileSync(pathsMemoPath(db)!).equals(before)).toBe(true);
  });

  it('reads a cut, damaged or foreign file as no memo', () => {
    const bytes = encodeRuns([
      { key: key(1), out: output(5) },
      { key: key(2), out: output(9) },
    ]);
    expect(decodeRuns(bytes)).toHaveLength(2);
    for (let cut = 0; cut < bytes.length; cut += 7)
      expect(decodeRuns(bytes.subarray(0, cut)), `cut at ${cut}`).toBeNull();
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    expect(decodeRuns(longer)).toBeNull();
    const counted = bytes.slice();
    counted[4] = 200; // more runs than a file holds
    expect(decodeRuns(counted)).toBeNull();
    const sized = bytes.slice();
    new DataView(sized.buffer).setUint32(
      12 + Math.ceil(`v8 ${process.versions.v8}`.length / 8) * 8 + 4,
      0xffffffff,
      true,
    ); // a first run of 4 billion paths
    expect(decodeRuns(sized)).toBeNull();
    expect(decodeRuns(Buffer.from('{"v":1}'))).toBeNull();
    // Written by another engine (its Math.exp and Math.cos may differ in the last bit): no memo.
    expect(decodeRuns(encodeRuns([{ key: key(1), out: output(5) }], 'v8 10.2.154'))).toBeNull();
    expect(decodeRuns(encodeRuns([{ key: key(1), out: output(5) }], 'v8 10.2.154'), 'v8 10.2.154')).toHaveLength(1);

    const db = join(dir, 'c.db');
    writeFileSync(pathsMemoPath(db)!, bytes.subarray(0, bytes.length - 3));
    const memo = new PathsMemoFile(db);
    expect(memo.recall(key(1))).toBeNull();
    // and it is replaced by a whole file once the command kept a run
    memo.keep(key(1), output(5));
    memo.persist();
    expect(decodeRuns(readFileSync(pathsMemoPath(db)!))).toHaveLength(1);
  });

  it('costs only the paths in a folder it cannot write or read', () => {
    if (process.getuid?.() === 0) {
      // root reads and writes any folder: a path under a file stands in for an unwritable one.
      writeFileSync(join(dir, 'file'), '');
    }
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    const dbs = [join(locked, 'd.db'), join(dir, 'file', 'd.db'), ':memory:'];
    for (const db of dbs) {
      const memo = new PathsMemoFile(db);
      expect(memo.recall(key(1))).toBeNull();
      memo.keep(key(1), output(2));
      expect(() => memo.persist()).not.toThrow();
    }
    chmodSync(locked, 0o700);
  });
});
