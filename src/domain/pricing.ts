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
import { rowAt, rowsForModel } from './price-index.js';

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
}

/** Prompt size as the long-context rule counts it: input + cache reads + every cache write. */
export function promptTokens(usage: PriceInput['usage']): number {
  return usage.input + usage.cacheRead + usage.cacheWrite5m + usage.cacheWrite1h;
}

/** The row that prices `model` at `ts` (epoch ms), or null when the table does not know the model. */
export function resolvePriceRow(table: PriceTable, model: string, ts: number): ModelPriceRow | null {
  const rows = rowsForModel(table, model);
  return rows === null ? null : rowAt(rows, ts)?.row ?? null;
}

/** The cost of one request split by token kind, or null when the model is unknown (unpriced). */
export function priceBreakdown(table: PriceTable, input: PriceInput): PriceBreakdown | null {
  const rows = rowsForModel(table, input.model);
  const hit = rows === null ? null : rowAt(rows, input.ts);
  if (hit === null) return null;
  const { row } = hit;
  const u = input.usage;
  const band = row.longContext;
  const longContext =
    band !== undefined && promptTokens(u) > band.overPromptTokens && input.ts >= hit.lcFromMs && input.ts < hit.lcUntilMs;
  const rates = longContext && band ? band.rates : row.rates;
  let multiplier = 1;
  if (input.speed?.toLowerCase() === 'fast' && row.fastMultiplier !== undefined) multiplier *= row.fastMultiplier;
  if (input.inferenceGeo?.toLowerCase() === 'us' && row.inferenceGeoUsMultiplier !== undefined) multiplier *= row.inferenceGeoUsMultiplier;
  const usd = (tokens: number, rate: number): number => (tokens * rate * multiplier) / MILLION;
  const parts = {
    input: usd(u.input, rates.input),
    output: usd(u.output, rates.output),
    cacheRead: usd(u.cacheRead, rates.cacheRead),
    cacheWrite5m: usd(u.cacheWrite5m, rates.cacheWrite5m),
    cacheWrite1h: usd(u.cacheWrite1h, rates.cacheWrite1h),
    webSearch: u.webSearch * table.webSearchUsdPerRequest,
  };
  const total = parts.input + parts.output + parts.cacheRead + parts.cacheWrite5m + parts.cacheWrite1h + parts.webSearch;
  return { ...parts, total, row, rates, longContext, multiplier };
}

/** USD cost of one request, or null when no row knows its model (stored as unpriced, never $0). */
export function priceRequest(table: PriceTable, input: PriceInput): number | null {
  return priceBreakdown(table, input)?.total ?? null;
}
