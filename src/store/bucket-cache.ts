/**
 * The forecast's history (spend in 15-minute buckets over the last month) kept beside the store:
 * the one query of `status` that walks every request of a month. Whole buckets depend on the
 * store's rows alone, so they are kept with the store's stamp and reused while the store's files
 * are unchanged; the part-buckets at either end of a range, and any time after the kept span, are
 * asked of the store every time. The answer is the query's, bucket for bucket.
 *
 * Kept only by a run that wrote nothing and during which no other process wrote (the stamp taken
 * before the store was opened is still the stamp after it closed), so it never stands for rows it
 * did not see. Losing it, or a damaged file, only costs the query.
 */
import type { Db } from './database.js';
import { spendBuckets } from './cycle-queries.js';
import { readSideFile, replaceFile, storeStamp } from './side-files.js';
import type { SpendBucket } from '../domain/forecast-history.js';
import type { RequestClass } from '../domain/types.js';

/** What the status report asks for its history: spendBuckets' contract (15-minute buckets). */
export type BucketSource = (
  classes: readonly RequestClass[],
  fromMs: number,
  toMs: number,
  user?: string,
) => SpendBucket[];

const WIDTH = 900_000;

interface Span {
  /** Whole buckets from `from` (inclusive) to `to` (exclusive), both on bucket edges. */
  from: number;
  to: number;
  /** Non-empty buckets: [startMs, cost], by start. */
  b: [number, number][];
}

interface KeptFile {
  v: 1;
  stamp: string;
  spans: Record<string, Span>;
}

/** The cache file of a store; null for an in-memory one. */
export function bucketCachePath(dbPath: string): string | null {
  return dbPath === ':memory:' ? null : `${dbPath}-buckets.json`;
}

const isSpan = (s: unknown): s is Span => {
  const x = s as Span;
  return (
    typeof x === 'object' &&
    x !== null &&
    Number.isSafeInteger(x.from) &&
    Number.isSafeInteger(x.to) &&
    x.from % WIDTH === 0 &&
    x.to % WIDTH === 0 &&
    Array.isArray(x.b) &&
    x.b.every((e) => Array.isArray(e) && e.length === 2 && Number.isSafeInteger(e[0]) && typeof e[1] === 'number')
  );
};

export class BucketCache {
  private readonly path: string | null;
  private readonly spans: Record<string, Span> = Object.create(null) as Record<string, Span>;
  private changed = false;

  /**
   * The cache of the store at `dbPath` whose files were `stamp` before it was opened by a run that
   * writes nothing (a kept file of another stamp is ignored).
   */
  constructor(
    private readonly dbPath: string,
    private readonly stamp: string,
  ) {
    this.path = bucketCachePath(dbPath);
    if (this.path === null) return;
    try {
      const v = JSON.parse(readSideFile(this.path)) as Partial<KeptFile>;
      if (v.v === 1 && v.stamp === stamp && typeof v.spans === 'object' && v.spans !== null)
        for (const [key, span] of Object.entries(v.spans)) if (isSpan(span)) this.spans[key] = span;
    } catch {
      // none yet, unreadable or damaged: the store answers
    }
  }

  /** spendBuckets on `db`, from the kept whole buckets where they cover the range. */
  source(db: Db): BucketSource {
    return (classes, fromMs, toMs, user) => {
      const ask = (from: number, to: number): SpendBucket[] =>
        to > from ? spendBuckets(db, classes, from, to, WIDTH, user) : [];
      const key = JSON.stringify([classes, user ?? null]);
      const first = Math.ceil(fromMs / WIDTH) * WIDTH;
      const end = Math.floor(toMs / WIDTH) * WIDTH;
      if (classes.length === 0 || first >= end) return ask(fromMs, toMs);
      const span = this.spans[key];
      if (span !== undefined && span.from <= first && first < span.to) {
        const upTo = Math.min(end, span.to);
        const kept: SpendBucket[] = [];
        for (const [startMs, cost] of span.b) if (startMs >= first && startMs < upTo) kept.push({ startMs, cost });
        return [...ask(fromMs, first), ...kept, ...ask(upTo, toMs)];
      }
      const rows = ask(fromMs, toMs);
      this.spans[key] = {
        from: first,
        to: end,
        b: rows.filter((r) => r.startMs >= first && r.startMs < end).map((r) => [r.startMs, r.cost]),
      };
      this.changed = true;
      return rows;
    };
  }

  /** After the store is closed: keeps what was asked of it, if no process wrote to the store meanwhile. */
  persist(): void {
    if (this.path === null || !this.changed || storeStamp(this.dbPath) !== this.stamp) return;
    const file: KeptFile = { v: 1, stamp: this.stamp, spans: this.spans };
    try {
      replaceFile(this.path, JSON.stringify(file));
    } catch {
      // a read-only data folder only costs the query
    }
  }
}
