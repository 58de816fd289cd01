/**
 * Model-id resolution over a price table: which rows (one model, effective-dated) price a logged
 * model id. Built once per table and memoised, because ingest prices millions of requests.
 */
import type { ModelPriceRow, PriceTable } from './price-types.js';

/** A row with its validity bounds turned into epoch ms (UTC midnight), for cheap comparisons. */
export interface IndexedRow {
  row: ModelPriceRow;
  fromMs: number;
  untilMs: number;
  lcFromMs: number;
  lcUntilMs: number;
}

interface PriceIndex {
  /** Lower-cased id -> its rows sorted by start. */
  byId: Map<string, IndexedRow[]>;
  /** Lower-cased alias, or base of a dated id -> the id it names (first row in table order wins). */
  byAlias: Map<string, string>;
  byBase: Map<string, string>;
  /** Memo of logged model name -> its rows (null = no row). */
  resolved: Map<string, IndexedRow[] | null>;
}

const DATED = /-(\d{8})$/;
const ONE_M = /\[1m\]$/i;
const indexes = new WeakMap<PriceTable, PriceIndex>();
const MEMO_LIMIT = 10_000;

/** Epoch ms of 00:00 UTC of a `YYYY-MM-DD` date; null date = the given unbounded value. */
export function utcDayMs(date: string | null | undefined, unbounded: number): number {
  if (date === null || date === undefined) return unbounded;
  return Date.parse(`${date}T00:00:00Z`);
}

/** `claude-opus-4-5-20251101` -> `claude-opus-4-5`; ids without a date suffix are returned as is. */
export function baseModelId(id: string): string {
  return id.replace(DATED, '');
}

/** Normalises a logged model name for lookup: trimmed, lower case, without a `[1m]` suffix. */
export function normaliseModel(model: string): string {
  return model.trim().replace(ONE_M, '').trim().toLowerCase();
}

function buildIndex(table: PriceTable): PriceIndex {
  const byId = new Map<string, IndexedRow[]>();
  const byAlias = new Map<string, string>();
  const byBase = new Map<string, string>();
  for (const row of table.models) {
    const id = row.id.toLowerCase();
    const lc = row.longContext;
    const entry: IndexedRow = {
      row,
      fromMs: utcDayMs(row.from, -Infinity),
      untilMs: utcDayMs(row.until, Infinity),
      lcFromMs: utcDayMs(lc?.from, -Infinity),
      lcUntilMs: utcDayMs(lc?.until, Infinity),
    };
    const rows = byId.get(id) ?? [];
    rows.push(entry);
    byId.set(id, rows);
    for (const alias of row.aliases) if (!byAlias.has(alias.toLowerCase())) byAlias.set(alias.toLowerCase(), id);
    const base = baseModelId(id);
    if (base !== id && !byBase.has(base)) byBase.set(base, id);
  }
  for (const rows of byId.values()) rows.sort((a, b) => a.fromMs - b.fromMs);
  return { byId, byAlias, byBase, resolved: new Map() };
}

function indexOf(table: PriceTable): PriceIndex {
  let index = indexes.get(table);
  if (!index) {
    index = buildIndex(table);
    indexes.set(table, index);
  }
  return index;
}

function lookup(index: PriceIndex, name: string): string | null {
  if (index.byId.has(name)) return name;
  return index.byAlias.get(name) ?? index.byBase.get(name) ?? null;
}

/**
 * The rows (sorted by start) that price `model`, or null when the table does not know it.
 * Order: exact id, alias, base of a dated id in the table; then the same for the model's own
 * base when it carries a date (`claude-opus-4-7-20260501` -> `claude-opus-4-7`).
 * Case-insensitive; a `[1m]` suffix is ignored.
 */
export function rowsForModel(table: PriceTable, model: string): IndexedRow[] | null {
  const index = indexOf(table);
  // Memoised on the name as logged: ingest asks about the same few names millions of times.
  let rows = index.resolved.get(model);
  if (rows === undefined) {
    const name = normaliseModel(model);
    let id = lookup(index, name);
    const base = baseModelId(name);
    if (id === null && base !== name) id = lookup(index, base);
    rows = id === null ? null : (index.byId.get(id) ?? null);
    // Bounded: logs with endless distinct model names must not grow memory without limit.
    if (index.resolved.size >= MEMO_LIMIT) index.resolved.clear();
    index.resolved.set(model, rows);
  }
  return rows;
}

/**
 * The row valid at `ts` among `rows` (sorted): the one whose [from, until) holds it; before the
 * first row, the first row (a release date is not a hard limit); in a gap or after a closed last
 * row, the latest row that had started (a price does not vanish).
 */
export function rowAt(rows: IndexedRow[], ts: number): IndexedRow | null {
  let started: IndexedRow | null = null;
  for (const r of rows) {
    if (ts >= r.fromMs && ts < r.untilMs) return r;
    if (r.fromMs <= ts) started = r;
  }
  return started ?? rows[0] ?? null;
}
