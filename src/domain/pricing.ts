/**
 * Prices one request at API list rates. Rules (see the bundled table's source):
 * - the model's row valid on the request's UTC date ([from, until); before the first row, the first row);
 * - long context: when the whole prompt (input + cache reads + 5m + 1h writes) of this one request is
 *   over the band's threshold and the request is inside the band's dates, every token of the request,
 *   output included, is billed at the band's rates;
 * - `speed: "fast"` multiplies every token category by the row's fast multiplier (when it has one),
 *   `inference_geo: "us"` by its US multiplier; both can apply;
 * - web searches cost a flat fee each, with no multiplier;
 * - a model no row knows is unpriced (null), never $0.
 */
import type { ModelPriceRow, PriceInput, PriceTable, TokenRates } from './price-types.js';
import { rowAt, rowsForModel, type IndexedRow } from './price-index.js';

/** Rates are per million tokens; dividing last keeps whole-dollar products exact. */
const MILLION = 1_000_000;

/** A request's cost split by token kind (USD), with the facts that decided it. */
export interface PriceBreakdown {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  webSearch: number;
  total: number;
  /** The table row used (its id is the canonical model id). */
  row: ModelPriceRow;
  /** The per-million rates applied before multipliers (the base or the long-context rates). */
  rates: TokenRates;
  longContext: boolean;
  /** Product of the fast and US multipliers that applied (1 when none). */
  multiplier: number;
  /** Whether the row's fast-mode multiplier applied. */
  fast: boolean;
  /** Whether the row's US-inference multiplier applied. */
  usInference: boolean;
}

/** Prompt size as the long-context rule counts it: input + cache reads + every cache write. */
export function promptTokens(usage: PriceInput['usage']): number {
  return usage.input + usage.cacheRead + usage.cacheWrite5m + usage.cacheWrite1h;
}

/** The row that prices `model` at `ts` (epoch ms), or null when the table does not know the model. */
export function resolvePriceRow(table: PriceTable, model: string, ts: number): ModelPriceRow | null {
  const rows = rowsForModel(table, model);
  return rows === null ? null : (rowAt(rows, ts)?.row ?? null);
}

interface Decision {
  hit: IndexedRow;
  rates: TokenRates;
  longContext: boolean;
  multiplier: number;
  fast: boolean;
  usInference: boolean;
}

/** Which row, rates and multipliers price this request; null when the model is unknown. */
function decide(table: PriceTable, input: PriceInput): Decision | null {
  const rows = rowsForModel(table, input.model);
  const hit = rows === null ? null : rowAt(rows, input.ts);
  if (hit === null) return null;
  const { row } = hit;
  const band = row.longContext;
  const longContext =
    band !== undefined &&
    promptTokens(input.usage) > band.overPromptTokens &&
    input.ts >= hit.lcFromMs &&
    input.ts < hit.lcUntilMs;
  const fast = row.fastMultiplier !== undefined && isValue(input.speed, 'fast');
  const usInference = row.inferenceGeoUsMultiplier !== undefined && isValue(input.inferenceGeo, 'us');
  const multiplier = (fast ? row.fastMultiplier! : 1) * (usInference ? row.inferenceGeoUsMultiplier! : 1);
  return { hit, rates: longContext && band ? band.rates : row.rates, longContext, multiplier, fast, usInference };
}

function isValue(v: string | null, want: string): boolean {
  return v !== null && (v === want || v.toLowerCase() === want);
}

/** The cost of one request split by token kind, or null when the model is unknown (unpriced). */
export function priceBreakdown(table: PriceTable, input: PriceInput): PriceBreakdown | null {
  const d = decide(table, input);
  if (d === null) return null;
  const u = input.usage;
  const { rates, multiplier } = d;
  const usd = (tokens: number, rate: number): number => (tokens * rate * multiplier) / MILLION;
  const parts = {
    input: usd(u.input, rates.input),
    output: usd(u.output, rates.output),
    cacheRead: usd(u.cacheRead, rates.cacheRead),
    cacheWrite5m: usd(u.cacheWrite5m, rates.cacheWrite5m),
    cacheWrite1h: usd(u.cacheWrite1h, rates.cacheWrite1h),
    webSearch: u.webSearch * table.webSearchUsdPerRequest,
  };
  const total =
    parts.input + parts.output + parts.cacheRead + parts.cacheWrite5m + parts.cacheWrite1h + parts.webSearch;
  return {
    ...parts,
    total,
    row: d.hit.row,
    rates,
    longContext: d.longContext,
    multiplier,
    fast: d.fast,
    usInference: d.usInference,
  };
}

/** USD cost of one request, or null when no row knows its model (stored as unpriced, never $0). */
export function priceRequest(table: PriceTable, input: PriceInput): number | null {
  const d = decide(table, input);
  if (d === null) return null;
  const u = input.usage;
  const r = d.rates;
  const m = d.multiplier;
  // Same sum, in the same order, as priceBreakdown, without building the parts.
  return (
    (u.input * r.input * m) / MILLION +
    (u.output * r.output * m) / MILLION +
    (u.cacheRead * r.cacheRead * m) / MILLION +
    (u.cacheWrite5m * r.cacheWrite5m * m) / MILLION +
    (u.cacheWrite1h * r.cacheWrite1h * m) / MILLION +
    u.webSearch * table.webSearchUsdPerRequest
  );
}
