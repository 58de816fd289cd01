/** Arithmetic on aggregate rows (their sums add up), so a snapshot needs fewer passes over the store. */
import type { AggregateRow } from '../domain/types.js';

const SUMMED = [
  'requests',
  'inputTokens',
  'outputTokens',
  'cacheReadTokens',
  'cacheWrite5mTokens',
  'cacheWrite1hTokens',
  'webSearchRequests',
  'cost',
  'unpricedRequests',
] as const;

/** An all-zero row with `key`. */
export function emptyRow(key: string): AggregateRow {
  return {
    key,
    requests: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWrite5mTokens: 0,
    cacheWrite1hTokens: 0,
    webSearchRequests: 0,
    cost: 0,
    unpricedRequests: 0,
  };
}

/** The sum of `rows` as one row with `key` (rows of disjoint groups sum to their total). */
export function sumRows(rows: readonly AggregateRow[], key: string): AggregateRow {
  const out = emptyRow(key);
  for (const r of rows) for (const f of SUMMED) out[f] += r[f];
  return out;
}

/** Rows of several disjoint sets merged by key, summed, sorted by key (for day rows: oldest first). */
export function mergeByKey(sets: ReadonlyArray<readonly AggregateRow[]>): AggregateRow[] {
  const byKey = new Map<string, AggregateRow>();
  for (const rows of sets) {
    for (const r of rows) {
      const into = byKey.get(r.key) ?? emptyRow(r.key);
      for (const f of SUMMED) into[f] += r[f];
      byKey.set(r.key, into);
    }
  }
  return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
