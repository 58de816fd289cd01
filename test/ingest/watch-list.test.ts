/**
 * A watch list holds while nothing a catch-up would find has changed, and stops holding on every
 * change that would make it find or read something else.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverFiles } from '../../src/ingest/roots.js';
import { statFile } from '../../src/ingest/plan.js';
import { isWatchList, recheckWatchList, watchListOf, type WatchList } from '../../src/ingest/watch-list.js';
import { decodeSnapshot, encodeSnapshot, type IngestSnapshot } from '../../src/app/ingest-snapshot.js';

let root = '';
let projects = '';
const line = `${JSON.stringify({ type: 'user', uuid: 'u1' })}\n`;
const watchListHolds = (w: WatchList, now?: () => number): boolean => recheckWatchList(w, now) !== null;
/** Listings timed well after every change, as a run a while later sees them. */
const later = (): number => Date.now() + 60_000;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'cm-watch-'));
  projects = join(root, 'projects');
  mkdirSync(join(projects, 'p1', 's1', 'subagents'), { recursive: true });
  mkdirSync(join(projects, 'p2'), { recursive: true });
  writeFileSync(join(projects, 'p1', 's1.jsonl'), line);
  writeFileSync(join(projects, 'p1', 's1', 'subagents', 'agent-a.jsonl'), line);
  writeFileSync(join(projects, 'p2', 's2.jsonl'), line);
  symlinkSync(join(root, 'elsewhere.jsonl'), join(projects, 'p2', 'linked.jsonl'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function listNow(): WatchList {
  const found = discoverFiles([root], join(root, 'dirs.json'), later);
  const list = watchListOf(
    found,
    found.files.map((f) => statFile(f.path)),
  );
  expect(list.racy).toEqual([]);
  return list;
}

describe('watch list', () => {
  it('holds while nothing changed, run after run, and through a kept folder listing', () => {
    const first = listNow();
    expect(watchListHolds(first)).toBe(true);
    expect(watchListHolds(first)).toBe(true);
    const second = listNow(); // from the kept listing this time
    expect(second).toEqual(first);
    expect(isWatchList(JSON.parse(JSON.stringify(second)))).toBe(true);
  });

  const changes: [string, () => void][] = [
    ['a transcript grew', () => appendFileSync(join(projects, 'p1', 's1.jsonl'), line)],
    ['a transcript was touched', () => utimesSync(join(projects, 'p2', 's2.jsonl'), 1_700_000_000, 1_700_000_000)],
    [
      'a transcript was touched within the same second',
      () => {
        const file = join(projects, 'p2', 's2.jsonl');
        const ms = statSync(file).mtimeMs;
        const second = Math.floor(ms / 1000);
        utimesSync(file, second, second + (ms % 1000 < 500 ? 0.75 : 0.25));
      },
    ],
    ['a subagent transcript appeared', () => writeFileSync(join(projects, 'p1', 's1', 'subagents', 'b.jsonl'), '')],
    ['a transcript was removed', () => rmSync(join(projects, 'p2', 's2.jsonl'))],
    ['a transcript was renamed', () => renameSync(join(projects, 'p2', 's2.jsonl'), join(projects, 'p2', 's3.jsonl'))],
    ['a folder appeared', () => mkdirSync(join(projects, 'p3'))],
    ['a folder was removed', () => rmSync(join(projects, 'p1', 's1'), { recursive: true })],
    [
      'a folder was replaced by a copy',
      () => {
        renameSync(join(projects, 'p2'), join(root, 'old-p2'));
        mkdirSync(join(projects, 'p2'));
        writeFileSync(join(projects, 'p2', 's2.jsonl'), line);
      },
    ],
    ["a link's target appeared", () => writeFileSync(join(root, 'elsewhere.jsonl'), line)],
    ['history.jsonl appeared', () => writeFileSync(join(root, 'history.jsonl'), line)],
  ];
  it.each(changes)('stops holding when %s', (_, change) => {
    const list = listNow();
    change();
    expect(watchListHolds(list)).toBe(false);
  });

  it("stops holding when a link's target went away", () => {
    writeFileSync(join(root, 'elsewhere.jsonl'), line);
    const list = listNow();
    rmSync(join(root, 'elsewhere.jsonl'));
    expect(watchListHolds(list)).toBe(false);
  });

  it('lists again, each time, a folder changed too shortly before it was listed', () => {
    const found = discoverFiles([root], null); // listed now: every folder is fresh
    const list = watchListOf(
      found,
      found.files.map((f) => statFile(f.path)),
    );
    expect(list.racy).toHaveLength(list.dirs);
    expect(list.listings[list.racy.indexOf(found.dirs.findIndex((d) => d.path === join(projects, 'p2')))]).toBe(
      'f/s2.jsonl\0l/linked.jsonl',
    );
    expect(watchListHolds(list)).toBe(true);
    // The listing is what it compares (an entry made in the tick of a listing leaves the times).
    expect(watchListHolds({ ...list, listings: list.listings.map((l, i) => (i === 0 ? `${l}\0f/x.jsonl` : l)) })).toBe(
      false,
    );
    // Checked again once they have been quiet long enough, they come off the list (it is kept so).
    expect(recheckWatchList(list)).toBe(list);
    const quiet = recheckWatchList(list, later)!;
    expect(quiet.racy).toEqual([]);
    expect(quiet.listings).toEqual([]);
    expect(recheckWatchList(quiet)).toBe(quiet);
    writeFileSync(join(projects, 'p2', 'new.jsonl'), '');
    expect(watchListHolds(list)).toBe(false);
    expect(watchListHolds(quiet)).toBe(false);
  });

  it('does not hold in a shape it cannot have been written in', () => {
    const list = listNow();
    expect(watchListHolds({ ...list, nums: Array.from(list.nums).slice(1) })).toBe(false);
    expect(watchListHolds({ ...list, dirs: list.dirs + 1 })).toBe(false);
    expect(watchListHolds({ paths: '', dirs: 0, nums: [], racy: [], listings: [] })).toBe(false);
    expect(watchListHolds({ ...list, racy: [list.dirs], listings: [''] })).toBe(false);
    const shape = { paths: '', dirs: 0, nums: [], racy: [], listings: [] };
    for (const bad of [null, 1, 'x', { ...shape, paths: 1 }, { ...shape, dirs: -1 }, { ...shape, racy: [0] }])
      expect(isWatchList(bad)).toBe(false);
  });
});

describe('the snapshot file', () => {
  it('gives back the watch list it was written with: numbers to the bit, paths in any script', () => {
    const watch: WatchList = {
      paths: ['/r/projects', '/r/projects/日本/s.jsonl', '/r/projects/café.jsonl'].join('\0'),
      dirs: 1,
      nums: [1796415363554.502, -0, 2 ** 53 - 1, 66306, 1234567, 0, 1764800000000.5, 0, -1, 0, 0],
      racy: [0],
      listings: ['f/café.jsonl'],
    };
    const snapshot = { v: 2, key: 'k', stamp: 's', watch, summary: {}, store: {} } as unknown as IngestSnapshot;
    const bytes = encodeSnapshot(snapshot);
    for (const shift of [0, 1, 3]) {
      // At any offset of the buffer it is read from (the numbers are copied when not aligned).
      const at = Buffer.alloc(bytes.length + shift);
      bytes.copy(at, shift);
      const back = decodeSnapshot(at.subarray(shift))!;
      expect(back.watch!.paths).toBe(watch.paths);
      expect(Array.from(back.watch!.nums)).toEqual(watch.nums);
      expect(Object.is(back.watch!.nums[1], -0)).toBe(true);
      expect({ ...back, watch: { ...back.watch, nums: Array.from(back.watch!.nums) } }).toEqual(snapshot);
    }
  });
});
