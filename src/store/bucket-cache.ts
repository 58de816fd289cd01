/**
 * The forecast's history (spend in 15-minute buckets over the last month) kept beside the store:
 * the one query of `status` that walks every request of a month. Whole buckets depend on the
 * store's rows alone, so they are kept with the store's stamp and reused while the store's files
 * are unchanged; the part-buckets at either end of a range, and any time after the kept span, are
 * asked of the store every time. The answer is the query's, bucket for bucket.
 *
 * The cycle's spend per model and class is kept the same way: the whole buckets from the cycle's
 * start, summed per model and class, plus the rest asked of the store (the GROUP BY sorts every
 * request of the range: 15-35 ms for a month of 40,000 requests); and the instant the credit ran
 * out, once found.
 *
 * Kept only by a run that wrote nothing and during which no other process wrote (the stamp taken
 * before the store was opened is still the stamp after it closed), so it never stands for rows it
 * did not see. Losing it, or a damaged file, only costs the query.
 */
import type { Db } from './database.js';
import { crossingTs, modelSpend, spendBuckets, type ModelSpend } from './cycle-queries.js';
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

/** Spend per model and class over whole buckets from `from` (a range start) to `to` (a bucket edge). */
interface Sums {
  from: number;
  to: number;
  /** [model, class, cost, requests]. */
  rows: [string, string, number, number][];
}

interface KeptFile {
  v: 1;
  stamp: string;
  spans: Record<string, Span>;
  sums?: Record<string, Sums>;
  /** When the spend of some classes from a start first reached an amount (crossingTs), by those three. */
  crossings?: Record<string, number>;
}

/** What the status report asks for the instant the credit ran out: crossingTs' contract. */
export type CrossingSource = (
  classes: readonly RequestClass[],
  fromMs: number,
  toMs: number,
  threshold: number,
) => number | null;

/** What the status report asks for its spend per model: modelSpend's contract. */
export type ModelSpendSource = (fromMs: number, toMs: number) => ModelSpend[];

const isSums = (s: unknown): s is Sums => {
  const x = s as Sums;
  return (
    typeof x === 'object' &&
    x !== null &&
    Number.isSafeInteger(x.from) &&
    Number.isSafeInteger(x.to) &&
    x.to % WIDTH === 0 &&
    x.to > x.from &&
    Array.isArray(x.rows) &&
    x.rows.every(
      (r) =>
        Array.isArray(r) &&
        r.length === 4 &&
        typeof r[0] === 'string' &&
        typeof r[1] === 'string' &&
        typeof r[2] === 'number' &&
        Number.isSafeInteger(r[3]),
    )
  );
};

/** Two ranges' spend per model and class added up, in modelSpend's order (cost descending, then model, class). */
function addSpend(a: readonly ModelSpend[], b: readonly ModelSpend[]): ModelSpend[] {
  const by = new Map<string, ModelSpend>();
  for (const m of [...a, ...b]) {
    const k = `${m.model}\0${m.class}`;
    const seen = by.get(k);
    if (seen === undefined) by.set(k, { ...m });
    else {
      seen.cost += m.cost;
      seen.requests += m.requests;
    }
  }
  const order = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
  return [...by.values()].sort((x, y) => y.cost - x.cost || order(x.model, y.model) || order(x.class, y.class));
}

/** The members of a kept object (none for anything else). */
const entries = (o: unknown): [string, unknown][] =>
  typeof o === 'object' && o !== null ? Object.entries(o as Record<string, unknown>) : [];

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
  private readonly sums: Record<string, Sums> = Object.create(null) as Record<string, Sums>;
  private readonly crossings: Record<string, number> = Object.create(null) as Record<string, number>;
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
      if (v.v === 1 && v.stamp === stamp) {
        for (const [key, span] of entries(v.spans)) if (isSpan(span)) this.spans[key] = span;
        for (const [key, sums] of entries(v.sums)) if (isSums(sums)) this.sums[key] = sums;
        for (const [key, ts] of entries(v.crossings)) if (Number.isSafeInteger(ts)) this.crossings[key] = ts as number;
      }
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

  /**
   * modelSpend on `db`: the kept sums of the whole buckets from the range's start, plus the rest
   * asked of the store. A first run asks for the two parts the same way, so a later run that
   * reuses the first part adds up the same numbers.
   */
  modelSpendSource(db: Db): ModelSpendSource {
    return (fromMs, toMs) => {
      const key = String(fromMs);
      const kept = this.sums[key];
      if (kept !== undefined && kept.from === fromMs && kept.to <= toMs)
        return addSpend(
          kept.rows.map(([model, cls, cost, requests]) => ({ model, class: cls as RequestClass, cost, requests })),
          kept.to < toMs ? modelSpend(db, kept.to, toMs) : [],
        );
      const end = Math.floor(toMs / WIDTH) * WIDTH;
      if (end <= fromMs) return modelSpend(db, fromMs, toMs);
      const whole = modelSpend(db, fromMs, end);
      this.sums[key] = { from: fromMs, to: end, rows: whole.map((m) => [m.model, m.class, m.cost, m.requests]) };
      this.changed = true;
      return end < toMs ? addSpend(whole, modelSpend(db, end, toMs)) : whole;
    };
  }

  /**
   * crossingTs on `db`: the instant the spend from a start reached an amount depends on the
   * requests before it alone, so once found it holds for any later end.
   */
  crossingSource(db: Db): CrossingSource {
    return (classes, fromMs, toMs, threshold) => {
      const key = JSON.stringify([classes, fromMs, threshold]);
      const kept = this.crossings[key];
      if (kept !== undefined && kept >= fromMs && kept < toMs) return kept;
      const ts = crossingTs(db, classes, fromMs, toMs, threshold);
      if (ts !== null) {
        this.crossings[key] = ts;
        this.changed = true;
      }
      return ts;
    };
  }

  /** After the store is closed: keeps what was asked of it, if no process wrote to the store meanwhile. */
  persist(): void {
    if (this.path === null || !this.changed || storeStamp(this.dbPath) !== this.stamp) return;
    const file: KeptFile = { v: 1, stamp: this.stamp, spans: this.spans, sums: this.sums, crossings: this.crossings };
    try {
      replaceFile(this.path, JSON.stringify(file));
    } catch {
      // a read-only data folder only costs the query
    }
  }
}
