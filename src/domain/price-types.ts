/**
 * Shapes of the effective-dated price table (USD per million tokens), as bundled and as a user's
 * price file gives them. Rules live in pricing.ts.
 */
import type { TokenUsage } from './types.js';

export interface TokenRates {
  input: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
  output: number;
}

/** Over `overPromptTokens` of prompt (input + cache reads + cache writes), every token of the request is billed at `rates`. */
export interface LongContextBand {
  overPromptTokens: number;
  /** UTC dates `YYYY-MM-DD`, [from, until); null = unbounded. */
  from: string | null;
  until: string | null;
  rates: TokenRates;
}

export interface ModelPriceRow {
  id: string;
  aliases: string[];
  /** UTC dates `YYYY-MM-DD`: the row prices requests in [from, until); null = unbounded. */
  from: string | null;
  until: string | null;
  rates: TokenRates;
  longContext?: LongContextBand;
  fastMultiplier?: number;
  inferenceGeoUsMultiplier?: number;
  confidence?: string;
  /** Where the row came from: the bundled table or the user's price file. */
  origin?: 'bundled' | 'user';
}

export interface PriceTable {
  /** Identifies the table used to price a request (bundled version, plus a user-file hash when merged). */
  version: string;
  webSearchUsdPerRequest: number;
  models: ModelPriceRow[];
}

/** What pricing needs of one request. */
export interface PriceInput {
  model: string;
  /** Epoch ms (UTC). */
  ts: number;
  usage: TokenUsage;
  speed: string | null;
  inferenceGeo: string | null;
}
