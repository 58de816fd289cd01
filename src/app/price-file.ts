/**
 * Strict validation of price rows, as a user's price file (or the bundled table) gives them.
 * Every problem is reported as one sentence naming the file and the field.
 */
import type { LongContextBand, ModelPriceRow, TokenRates } from '../domain/price-types.js';
import { UsageError } from './config.js';

/** What a price file contributes: model rows, and optionally the web-search fee. */
export interface PriceFileContent {
  models: ModelPriceRow[];
  webSearchUsdPerRequest?: number;
}

type Obj = Record<string, unknown>;
const RATE_KEYS: readonly (keyof TokenRates)[] = ['input', 'cacheWrite5m', 'cacheWrite1h', 'cacheRead', 'output'];
const ROW_KEYS = [
  'id',
  'aliases',
  'from',
  'until',
  'rates',
  'longContext',
  'fastMultiplier',
  'inferenceGeoUsMultiplier',
  'confidence',
];
const BAND_KEYS = ['overPromptTokens', 'from', 'until', 'rates'];
const TOP_KEYS = ['models', 'webSearchUsdPerRequest', 'version', 'about'];

class Fields {
  constructor(private readonly file: string) {}
  fail(field: string, want: string): never {
    throw new UsageError(`In the price file ${this.file}, ${field} ${want}.`);
  }
  object(v: unknown, field: string): Obj {
    return typeof v === 'object' && v !== null && !Array.isArray(v)
      ? (v as Obj)
      : this.fail(field, 'must be an object');
  }
  /** Rejects keys it does not know (keys starting with `_` are comments). */
  only(o: Obj, keys: readonly string[], field: string): void {
    for (const k of Object.keys(o)) {
      if (!k.startsWith('_') && !keys.includes(k)) this.fail(field ? `${field}.${k}` : k, 'is not a known field');
    }
  }
  rate(v: unknown, field: string, unit = 'USD per million tokens'): number {
    return typeof v === 'number' && Number.isFinite(v) && v >= 0 && v < 1e6
      ? v
      : this.fail(field, `must be a non-negative number (${unit})`);
  }
  multiplier(v: unknown, field: string): number {
    return typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= 100
      ? v
      : this.fail(field, 'must be a positive number no larger than 100');
  }
  date(v: unknown, field: string): string | null {
    if (v === null || v === undefined) return null;
    // A month or day out of range makes an invalid Date (toISOString would throw), or rolls over.
    const text = typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : null;
    const at = text === null ? null : new Date(`${text}T00:00:00Z`);
    const ok = text !== null && at !== null && !Number.isNaN(at.getTime()) && at.toISOString().startsWith(text);
    return ok ? text : this.fail(field, 'must be a date YYYY-MM-DD or null');
  }
  range(from: string | null, until: string | null, field: string): void {
    if (from !== null && until !== null && from >= until)
      this.fail(`${field}.until`, `must be after its from (${from})`);
  }
  rates(v: unknown, field: string): TokenRates {
    const o = this.object(v, field);
    this.only(o, RATE_KEYS, field);
    const out = {} as TokenRates;
    for (const k of RATE_KEYS) out[k] = this.rate(o[k], `${field}.${k}`);
    return out;
  }
  band(v: unknown, field: string): LongContextBand {
    const o = this.object(v, field);
    this.only(o, BAND_KEYS, field);
    const t = o.overPromptTokens;
    const over =
      typeof t === 'number' && Number.isSafeInteger(t) && t >= 0
        ? t
        : this.fail(`${field}.overPromptTokens`, 'must be a whole number of tokens');
    const from = this.date(o.from, `${field}.from`);
    const until = this.date(o.until, `${field}.until`);
    this.range(from, until, field);
    return { overPromptTokens: over, from, until, rates: this.rates(o.rates, `${field}.rates`) };
  }
  row(v: unknown, field: string, origin: 'bundled' | 'user'): ModelPriceRow {
    const o = this.object(v, field);
    this.only(o, ROW_KEYS, field);
    const id =
      typeof o.id === 'string' && o.id.trim() !== '' ? o.id.trim() : this.fail(`${field}.id`, 'must be a model id');
    const aliases = o.aliases ?? [];
    if (!Array.isArray(aliases) || !aliases.every((a) => typeof a === 'string' && a.trim() !== ''))
      this.fail(`${field}.aliases`, 'must be a list of model ids');
    const from = this.date(o.from, `${field}.from`);
    const until = this.date(o.until, `${field}.until`);
    this.range(from, until, field);
    const row: ModelPriceRow = {
      id,
      aliases: (aliases as string[]).map((a) => a.trim()),
      from,
      until,
      rates: this.rates(o.rates, `${field}.rates`),
      origin,
    };
    if (o.longContext !== undefined && o.longContext !== null)
      row.longContext = this.band(o.longContext, `${field}.longContext`);
    if (o.fastMultiplier !== undefined)
      row.fastMultiplier = this.multiplier(o.fastMultiplier, `${field}.fastMultiplier`);
    if (o.inferenceGeoUsMultiplier !== undefined)
      row.inferenceGeoUsMultiplier = this.multiplier(o.inferenceGeoUsMultiplier, `${field}.inferenceGeoUsMultiplier`);
    if (o.confidence !== undefined)
      row.confidence =
        typeof o.confidence === 'string' ? o.confidence : this.fail(`${field}.confidence`, 'must be a string');
    return row;
  }
}

/** Rows of one id must not overlap in time, or a request would have two prices. */
function checkOverlaps(rows: ModelPriceRow[], f: Fields): void {
  const byId = new Map<string, ModelPriceRow[]>();
  for (const r of rows) byId.set(r.id.toLowerCase(), [...(byId.get(r.id.toLowerCase()) ?? []), r]);
  for (const [id, list] of byId) {
    // ISO dates sort as plain strings (localeCompare would load Intl's collation data).
    const sorted = [...list].sort((a, b) =>
      (a.from ?? '') < (b.from ?? '') ? -1 : (a.from ?? '') > (b.from ?? '') ? 1 : 0,
    );
    for (let i = 1; i < sorted.length; i++) {
      const prev = sorted[i - 1]!;
      const cur = sorted[i]!;
      if (prev.until === null || cur.from === null || cur.from < prev.until) {
        f.fail(
          `the rows of "${id}"`,
          'overlap: give each row of one model a [from, until) range that does not meet the others',
        );
      }
    }
  }
}

/**
 * Validates a parsed price file: `{ "models": [rows], "webSearchUsdPerRequest"?: n }` or a bare list
 * of rows, rows shaped as in the bundled table. Throws UsageError naming `file` and the field.
 */
export function parsePriceFile(raw: unknown, file: string, origin: 'bundled' | 'user' = 'user'): PriceFileContent {
  const f = new Fields(file);
  const top: Obj = Array.isArray(raw) ? { models: raw } : f.object(raw, 'the top level');
  f.only(top, TOP_KEYS, '');
  if (!Array.isArray(top.models)) f.fail('models', 'must be a list of model rows');
  const models = (top.models as unknown[]).map((r, i) => f.row(r, `models[${i}]`, origin));
  checkOverlaps(models, f);
  const out: PriceFileContent = { models };
  if (top.webSearchUsdPerRequest !== undefined)
    out.webSearchUsdPerRequest = f.rate(top.webSearchUsdPerRequest, 'webSearchUsdPerRequest', 'USD per request');
  return out;
}
