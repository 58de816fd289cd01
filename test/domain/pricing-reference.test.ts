import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundledPriceTable } from '../../src/app/prices.js';
import { priceRequest, resolvePriceRow } from '../../src/domain/pricing.js';
import type { TokenUsage } from '../../src/domain/types.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const referencePath = path.resolve(repoRoot, '../shared/reference/anthropic-prices.json');

interface RefRates {
  input: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
  output: number;
}
interface RefRow {
  id: string;
  aliases: string[];
  from: string | null;
  until: string | null;
  rates: RefRates;
  longContext?: { overPromptTokens: number; from: string | null; until: string | null; rates: RefRates };
  fastMultiplier?: number;
  inferenceGeoUsMultiplier?: number;
}
const reference = JSON.parse(readFileSync(referencePath, 'utf8')) as {
  webSearchUsdPerRequest: number;
  models: RefRow[];
};
const table = bundledPriceTable();

// A sample request well under every long-context threshold, dated inside the row.
const usage: TokenUsage = {
  input: 1000,
  output: 2000,
  cacheRead: 3000,
  cacheWrite5m: 4000,
  cacheWrite1h: 5000,
  webSearch: 1,
  webFetch: 2,
};
const dateIn = (row: { from: string | null }): number => Date.parse(`${row.from ?? '2025-01-01'}T12:00:00Z`);

/** The expectation written straight from the reference rules, independently of pricing.ts. */
function expected(r: RefRates, tokens: TokenUsage, multiplier: number): number {
  const perMillion =
    tokens.input * r.input +
    tokens.output * r.output +
    tokens.cacheRead * r.cacheRead +
    tokens.cacheWrite5m * r.cacheWrite5m +
    tokens.cacheWrite1h * r.cacheWrite1h;
  return (perMillion * multiplier) / 1e6 + tokens.webSearch * reference.webSearchUsdPerRequest;
}

describe('every model of the reference price list', () => {
  it('is in the bundled table with the same rows', () => {
    expect(table.webSearchUsdPerRequest).toBe(reference.webSearchUsdPerRequest);
    expect(table.models.length).toBe(reference.models.length);
    expect(table.version).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it.each(reference.models.map((r) => [`${r.id} from ${r.from ?? 'always'}`, r] as const))(
    '%s: base, fast, US and aliases',
    (_name, row) => {
      const ts = dateIn(row);
      const input = { model: row.id, ts, usage, speed: null, inferenceGeo: null };
      expect(resolvePriceRow(table, row.id, ts)?.rates).toEqual(row.rates);
      expect(priceRequest(table, input)).toBeCloseTo(expected(row.rates, usage, 1), 12);
      expect(priceRequest(table, { ...input, speed: 'fast' })).toBeCloseTo(
        expected(row.rates, usage, row.fastMultiplier ?? 1),
        12,
      );
      expect(priceRequest(table, { ...input, inferenceGeo: 'us' })).toBeCloseTo(
        expected(row.rates, usage, row.inferenceGeoUsMultiplier ?? 1),
        12,
      );
      for (const alias of row.aliases) {
        expect(priceRequest(table, { ...input, model: alias })).toBeCloseTo(expected(row.rates, usage, 1), 12);
      }
    },
  );

  it.each(reference.models.filter((r) => r.longContext).map((r) => [r.id, r] as const))(
    '%s: long-context band',
    (_id, row) => {
      const band = row.longContext!;
      const ts = Date.parse(`${band.from ?? row.from ?? '2025-01-01'}T00:00:00Z`);
      const big: TokenUsage = { ...usage, input: band.overPromptTokens - 12_000 + 1 };
      expect(priceRequest(table, { model: row.id, ts, usage: big, speed: null, inferenceGeo: null })).toBeCloseTo(
        expected(band.rates, big, 1),
        12,
      );
      const atLimit: TokenUsage = { ...big, input: big.input - 1 };
      expect(priceRequest(table, { model: row.id, ts, usage: atLimit, speed: null, inferenceGeo: null })).toBeCloseTo(
        expected(row.rates, atLimit, 1),
        12,
      );
      if (band.until) {
        const after = Date.parse(`${band.until}T00:00:00Z`);
        expect(
          priceRequest(table, { model: row.id, ts: after, usage: big, speed: null, inferenceGeo: null }),
        ).toBeCloseTo(expected(row.rates, big, 1), 12);
      }
    },
  );
});
