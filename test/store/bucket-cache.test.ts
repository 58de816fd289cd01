/**
 * The kept forecast history answers exactly what the store's query answers, bucket for bucket,
 * for any range, and stands only for the store it was kept from.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../src/store/database.js';
import { crossingTs, modelSpend, spendBuckets, type ModelSpend } from '../../src/store/cycle-queries.js';
import { BucketCache, bucketCachePath } from '../../src/store/bucket-cache.js';
import { storeStamp } from '../../src/store/side-files.js';
import { mulberry32 } from '../../src/domain/random.js';
import type { RequestClass } from '../../src/domain/types.js';

const dir = mkdtempSync(join(tmpdir(), 'cm-buckets-'));
const dbPath = join(dir, 'usage.db');
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 9, 1);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function add(db: Db, ts: number, cost: number | null, cls: RequestClass, user: string | null = null): void {
  db.prepare(
    `INSERT INTO requests (key, class, model, ts, input_tokens, output_tokens, cache_read_tokens, cache_write_5m_tokens,
      cache_write_1h_tokens, web_search_requests, web_fetch_requests, cost, source, user_name)
     VALUES (?, ?, 'claude-sonnet-4-5', ?, 1, 1, 0, 0, 0, 0, 0, ?, 'line', ?)`,
  ).run(`k${n++}`, cls, ts, cost, user);
}

beforeAll(() => {
  const db = openDatabase(dbPath);
  const rng = mulberry32(7);
  const classes: RequestClass[] = ['programmatic', 'interactive', 'unknown'];
  db.transaction(() => {
    for (let i = 0; i < 3000; i++) {
      const ts = T0 + Math.floor(rng() * 40 * DAY);
      add(db, ts, rng() < 0.05 ? null : Math.round(rng() * 1e6) / 1e4, classes[i % 3]!, i % 4 === 0 ? 'ana' : null);
    }
    // Requests on bucket edges, and one at the very end of a bucket.
    add(db, T0 + 10 * DAY, 1.5, 'programmatic');
    add(db, T0 + 10 * DAY + 900_000 - 1, 2.5, 'programmatic');
  })();
  db.close();
});

/** A run that writes nothing: the stamp before opening, the store opened, the cache's source. */
function withStore<T>(body: (db: Db, cache: BucketCache) => T): T {
  const stamp = storeStamp(dbPath);
  const db = openDatabase(dbPath);
  const cache = new BucketCache(dbPath, stamp);
  try {
    return body(db, cache);
  } finally {
    db.close();
    cache.persist();
  }
}

describe('the kept forecast history', () => {
  const counted: RequestClass[] = ['programmatic', 'unknown'];
  const ranges: [number, number][] = [];
  const rng = mulberry32(11);
  for (let i = 0; i < 40; i++) {
    const from = T0 + Math.floor(rng() * 30 * DAY);
    ranges.push([from, from + Math.floor(rng() * 12 * DAY)]);
  }
  ranges.push([T0 + 10 * DAY, T0 + 11 * DAY], [T0 + 10 * DAY + 1, T0 + 10 * DAY + 899_999], [T0, T0]);

  it('answers as the store does, from the first run that keeps it to the ones that read it', () => {
    rmSync(bucketCachePath(dbPath)!, { force: true });
    // The first run asks the store over a month and keeps it (nothing wrote meanwhile).
    const month: [number, number] = [T0 + 3 * DAY + 123_456, T0 + 35 * DAY + 7];
    withStore((db, cache) => {
      expect(cache.source(db)(counted, ...month)).toEqual(spendBuckets(db, counted, ...month));
    });
    expect(existsSync(bucketCachePath(dbPath)!)).toBe(true);
    // Later runs: ranges inside, across and beyond the kept span, other classes and one user.
    withStore((db, cache) => {
      const source = cache.source(db);
      expect(source(counted, month[0] + 3_600_000, month[1] + 2 * DAY)).toEqual(
        spendBuckets(db, counted, month[0] + 3_600_000, month[1] + 2 * DAY),
      );
      for (const [from, to] of ranges) {
        expect(source(counted, from, to)).toEqual(spendBuckets(db, counted, from, to));
        expect(source(['interactive'], from, to)).toEqual(spendBuckets(db, ['interactive'], from, to));
        expect(source(counted, from, to, 'ana')).toEqual(spendBuckets(db, counted, from, to, undefined, 'ana'));
        expect(source([], from, to)).toEqual([]);
      }
    });
  });

  it('reads whole buckets from the kept file and the part-buckets at the ends from the store', () => {
    rmSync(bucketCachePath(dbPath)!, { force: true });
    withStore((db, cache) => void cache.source(db)(counted, T0, T0 + 35 * DAY));
    const path = bucketCachePath(dbPath)!;
    const kept = JSON.parse(readFileSync(path, 'utf8')) as { spans: Record<string, { b: [number, number][] }> };
    const span = Object.values(kept.spans)[0]!;
    const from = T0 + 10 * DAY + 1; // inside the bucket of the two edge requests, after the first
    const to = T0 + 12 * DAY;
    const marked = span.b.find(([start]) => start > from + 900_000 && start < to)!;
    marked[1] = 12345;
    writeFileSync(path, JSON.stringify(kept));
    withStore((db, cache) => {
      const got = cache.source(db)(counted, from, to);
      expect(got.find((b) => b.startMs === marked[0])?.cost).toBe(12345);
      // The first bucket is only part of one: the store's answer for [from, its end), which holds
      // the request at its last millisecond and not the one at its first.
      const head = spendBuckets(db, counted, from, T0 + 10 * DAY + 900_000);
      expect(got[0]).toEqual(head[0]);
      expect(head[0]!.cost).toBeCloseTo(
        spendBuckets(db, counted, T0 + 10 * DAY, T0 + 10 * DAY + 900_000)[0]!.cost - 1.5,
        9,
      );
    });
    rmSync(path);
  });

  it('stands only for the store it was kept from', () => {
    withStore((db, cache) => void cache.source(db)(counted, T0, T0 + 35 * DAY));
    const keptAt = storeStamp(dbPath);
    // Another process adds a request inside the kept span: the next run sees it.
    const other = openDatabase(dbPath);
    add(other, T0 + 20 * DAY + 5, 1000, 'programmatic');
    other.close();
    expect(storeStamp(dbPath)).not.toBe(keptAt);
    withStore((db, cache) => {
      const got = cache.source(db)(counted, T0, T0 + 35 * DAY);
      expect(got).toEqual(spendBuckets(db, counted, T0, T0 + 35 * DAY));
      expect(got.some((b) => b.cost >= 1000)).toBe(true);
    });
  });

  it('is not kept when the store changed during the run', () => {
    rmSync(bucketCachePath(dbPath)!, { force: true });
    withStore((db, cache) => {
      cache.source(db)(counted, T0, T0 + 35 * DAY);
      add(db, T0 + 21 * DAY, 3, 'programmatic');
    });
    expect(existsSync(bucketCachePath(dbPath)!)).toBe(false);
  });

  it.each([['garbage'], ['{"v":1,"stamp":5}'], ['{"v":1,"stamp":"%s","spans":{"x":{"from":1,"to":2,"b":[]}}}']])(
    'asks the store when the kept file is damaged (%s)',
    (content) => {
      writeFileSync(bucketCachePath(dbPath)!, content.replace('%s', storeStamp(dbPath)));
      withStore((db, cache) => {
        expect(cache.source(db)(counted, T0, T0 + 35 * DAY)).toEqual(spendBuckets(db, counted, T0, T0 + 35 * DAY));
      });
      expect(JSON.parse(readFileSync(bucketCachePath(dbPath)!, 'utf8'))).toMatchObject({ v: 1 });
    },
  );
});

describe('the kept spend per model', () => {
  const mDir = mkdtempSync(join(tmpdir(), 'cm-models-'));
  const mPath = join(mDir, 'usage.db');
  afterAll(() => rmSync(mDir, { recursive: true, force: true }));
  const models = ['claude-opus-4-5', 'claude-sonnet-4-5', 'claude-haiku-4-5', 'mystery'];

  beforeAll(() => {
    const db = openDatabase(mPath);
    const rng = mulberry32(21);
    const classes: RequestClass[] = ['programmatic', 'interactive', 'unknown'];
    const insert = db.prepare(
      `INSERT INTO requests (key, class, model, ts, input_tokens, output_tokens, cache_read_tokens, cache_write_5m_tokens,
        cache_write_1h_tokens, web_search_requests, web_fetch_requests, cost, source)
       VALUES (?, ?, ?, ?, 1, 1, 0, 0, 0, 0, 0, ?, 'line')`,
    );
    db.transaction(() => {
      for (let i = 0; i < 4000; i++) {
        const model = models[Math.floor(rng() * models.length)]!;
        const cost = model === 'mystery' ? null : Math.round(rng() * 1e6) / 1e5;
        insert.run(`m${i}`, classes[i % 3]!, model, T0 + Math.floor(rng() * 40 * DAY), cost);
      }
    })();
    db.close();
  });

  function run<T>(body: (db: Db, cache: BucketCache) => T): T {
    const stamp = storeStamp(mPath);
    const db = openDatabase(mPath);
    const cache = new BucketCache(mPath, stamp);
    try {
      return body(db, cache);
    } finally {
      db.close();
      cache.persist();
    }
  }

  const same = (got: ModelSpend[], want: ModelSpend[]): void => {
    expect(got.map((m) => [m.model, m.class, m.requests])).toEqual(want.map((m) => [m.model, m.class, m.requests]));
    got.forEach((m, i) => expect(m.cost).toBeCloseTo(want[i]!.cost, 9));
  };

  it("adds up to the store's answer, and a later run reads the same numbers from the kept part", () => {
    rmSync(bucketCachePath(mPath)!, { force: true });
    const from = T0 + 2 * DAY;
    const to = T0 + 31 * DAY + 123_457;
    const first = run((db, cache) => {
      const got = cache.modelSpendSource(db)(from, to);
      same(got, modelSpend(db, from, to));
      return got;
    });
    run((db, cache) => {
      expect(cache.modelSpendSource(db)(from, to)).toEqual(first);
      // Later in the cycle: the kept part and the rest from the store.
      same(cache.modelSpendSource(db)(from, to + 3 * DAY + 5), modelSpend(db, from, to + 3 * DAY + 5));
      // Another start (another cycle, zone or day) is asked of the store.
      same(cache.modelSpendSource(db)(from + DAY, to), modelSpend(db, from + DAY, to));
      // Inside a bucket: the store alone.
      expect(cache.modelSpendSource(db)(from, from + 1000)).toEqual(modelSpend(db, from, from + 1000));
    });
  });

  it('is read from the kept file (and a damaged entry is ignored)', () => {
    rmSync(bucketCachePath(mPath)!, { force: true });
    const from = T0 + DAY;
    const to = T0 + 20 * DAY;
    run((db, cache) => void cache.modelSpendSource(db)(from, to));
    const path = bucketCachePath(mPath)!;
    const kept = JSON.parse(readFileSync(path, 'utf8')) as { sums: Record<string, { rows: unknown[][] }> };
    kept.sums[String(from)]!.rows[0]![2] = 12345;
    writeFileSync(path, JSON.stringify(kept));
    run((db, cache) => expect(cache.modelSpendSource(db)(from, to)[0]!.cost).toBeGreaterThanOrEqual(12345));
    kept.sums[String(from)]!.rows[0]![3] = 'many';
    writeFileSync(path, JSON.stringify(kept));
    run((db, cache) => same(cache.modelSpendSource(db)(from, to), modelSpend(db, from, to)));
  });

  it('stands only for the store it was kept from', () => {
    rmSync(bucketCachePath(mPath)!, { force: true });
    const from = T0;
    const to = T0 + 30 * DAY;
    run((db, cache) => void cache.modelSpendSource(db)(from, to));
    const other = openDatabase(mPath);
    other
      .prepare(
        `INSERT INTO requests (key, class, model, ts, input_tokens, output_tokens, cache_read_tokens, cache_write_5m_tokens,
          cache_write_1h_tokens, web_search_requests, web_fetch_requests, cost, source)
         VALUES ('late', 'programmatic', 'claude-opus-4-5', ?, 1, 1, 0, 0, 0, 0, 0, 5000, 'line')`,
      )
      .run(T0 + 5 * DAY);
    other.close();
    run((db, cache) => {
      const got = cache.modelSpendSource(db)(from, to);
      same(got, modelSpend(db, from, to));
      expect(got[0]!.cost).toBeGreaterThan(5000);
    });
  });

  it('keeps the instant the spend first reached an amount, for any later end', () => {
    rmSync(bucketCachePath(mPath)!, { force: true });
    const counted: RequestClass[] = ['programmatic'];
    const from = T0 + DAY;
    const to = T0 + 30 * DAY;
    const first = run((db, cache) => {
      const got = cache.crossingSource(db)(counted, from, to, 700);
      expect(got).toBe(crossingTs(db, counted, from, to, 700));
      expect(got).not.toBeNull();
      return got!;
    });
    const path = bucketCachePath(mPath)!;
    const kept = JSON.parse(readFileSync(path, 'utf8')) as { crossings: Record<string, number> };
    expect(Object.values(kept.crossings)).toEqual([first]);
    // Read from the file: a marked value comes back, for a later end too.
    const key = Object.keys(kept.crossings)[0]!;
    kept.crossings[key] = first + 1;
    writeFileSync(path, JSON.stringify(kept));
    run((db, cache) => expect(cache.crossingSource(db)(counted, from, to + DAY, 700)).toBe(first + 1));
    // An end before it, another amount or other classes: asked of the store.
    run((db, cache) => {
      const source = cache.crossingSource(db);
      expect(source(counted, from, first, 700)).toBe(crossingTs(db, counted, from, first, 700));
      expect(source(counted, from, to, 900)).toBe(crossingTs(db, counted, from, to, 900));
      expect(source(['interactive'], from, to, 700)).toBe(crossingTs(db, ['interactive'], from, to, 700));
    });
  });
});

describe('bucket sums', () => {
  it('are the same to the bit however the range that asks for them is cut', () => {
    const db = openDatabase(dbPath);
    try {
      const counted: RequestClass[] = ['programmatic', 'unknown'];
      const whole = new Map(spendBuckets(db, counted, T0, T0 + 40 * DAY).map((b) => [b.startMs, b.cost]));
      const rng = mulberry32(5);
      for (let i = 0; i < 30; i++) {
        const from = T0 + Math.floor(rng() * 38) * DAY;
        for (const b of spendBuckets(db, counted, from, from + 2 * DAY)) expect(b.cost).toBe(whole.get(b.startMs));
      }
      // On a grid of a ten-billionth of a dollar.
      for (const cost of whole.values()) expect(Math.round(cost * 1e10) / 1e10).toBe(cost);
    } finally {
      db.close();
    }
  });
});
