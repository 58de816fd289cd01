import { describe, expect, it } from 'vitest';
import { bundledPriceTable } from '../../src/app/prices.js';
import { priceBreakdown, priceRequest, promptTokens, resolvePriceRow } from '../../src/domain/pricing.js';
import type { PriceInput, PriceTable } from '../../src/domain/price-types.js';
import type { TokenUsage } from '../../src/domain/types.js';

const table: PriceTable = bundledPriceTable();
const ZERO: TokenUsage = {
  input: 0,
  output: 0,
  cacheRead: 0,
  cacheWrite5m: 0,
  cacheWrite1h: 0,
  webSearch: 0,
  webFetch: 0,
};

function req(model: string, iso: string, usage: Partial<TokenUsage>, extra: Partial<PriceInput> = {}): PriceInput {
  return { model, ts: Date.parse(iso), usage: { ...ZERO, ...usage }, speed: null, inferenceGeo: null, ...extra };
}

describe('model resolution', () => {
  const ts = Date.parse('2026-06-01T12:00:00Z');
  it.each([
    ['claude-opus-4-7', 'claude-opus-4-7'],
    ['claude-opus-4-7[1m]', 'claude-opus-4-7'],
    ['CLAUDE-Opus-4-7', 'claude-opus-4-7'],
    ['claude-opus-4-7-20260501', 'claude-opus-4-7'],
    ['claude-opus-4-5', 'claude-opus-4-5-20251101'],
    ['claude-opus-4-5-20251101[1m]', 'claude-opus-4-5-20251101'],
    ['claude-opus-4-5-20260101', 'claude-opus-4-5-20251101'],
    ['claude-3-haiku', 'claude-3-haiku-20240307'],
    ['claude-3-5-sonnet-20240620', 'claude-3-5-sonnet-20241022'],
    ['claude-sonnet-4-0', 'claude-sonnet-4-20250514'],
  ])('%s prices as %s', (model, id) => {
    expect(resolvePriceRow(table, model, ts)?.id).toBe(id);
  });

  it('an unknown model has no row and no price (never $0)', () => {
    expect(resolvePriceRow(table, 'gpt-4o', ts)).toBeNull();
    expect(priceRequest(table, req('gpt-4o', '2026-06-01T00:00:00Z', { input: 1000 }))).toBeNull();
    expect(priceRequest(table, req('<synthetic>', '2026-06-01T00:00:00Z', {}))).toBeNull();
    expect(priceRequest(table, req('claude-opus-4-7', '2026-06-01T00:00:00Z', {}))).toBe(0);
  });
});

describe('effective dates', () => {
  const usage = { cacheRead: 1_000_000 };
  it('switches rows at 00:00 UTC of the next row start ([from, until))', () => {
    expect(priceRequest(table, req('claude-sonnet-5-5', '2026-10-06T23:59:59.999Z', usage))).toBeCloseTo(0.2, 12);
    expect(priceRequest(table, req('claude-sonnet-5-5', '2026-10-07T00:00:00.000Z', usage))).toBeCloseTo(0.1, 12);
  });
  it('uses the first row before the model is released', () => {
    expect(priceRequest(table, req('claude-sonnet-5-5', '2026-01-01T00:00:00Z', usage))).toBeCloseTo(0.2, 12);
    expect(resolvePriceRow(table, 'claude-sonnet-5-5', Date.parse('2020-01-01'))?.until).toBe('2026-10-07');
  });
  it('keeps the last row that started when a user row ends with no successor', () => {
    const t: PriceTable = {
      version: 't',
      webSearchUsdPerRequest: 0.01,
      models: [
        {
          id: 'm',
          aliases: [],
          from: '2026-01-01',
          until: '2026-02-01',
          rates: { input: 1, output: 2, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0 },
        },
      ],
    };
    expect(priceRequest(t, req('m', '2026-05-01T00:00:00Z', { input: 1_000_000 }))).toBe(1);
  });
});

describe('long context', () => {
  // sonnet-4-6: over 200,000 prompt tokens until 2026-03-13 -> 6 / 7.5 / 12 / 0.6 / 22.5.
  const atThreshold = { input: 100_000, cacheRead: 50_000, cacheWrite5m: 30_000, cacheWrite1h: 20_000, output: 1_000 };
  const over = { ...atThreshold, input: 100_001 };
  it('counts input, cache reads and both cache writes as the prompt', () => {
    expect(promptTokens({ ...ZERO, ...atThreshold })).toBe(200_000);
  });
  it('exactly at the threshold is not over', () => {
    const b = priceBreakdown(table, req('claude-sonnet-4-6', '2026-03-01T00:00:00Z', atThreshold));
    expect(b?.longContext).toBe(false);
    expect(b?.total).toBeCloseTo(0.5625, 12); // 300000 + 15000 + 112500 + 120000 + 15000
  });
  it('one token over bills every token, output included, at the long-context rates', () => {
    const b = priceBreakdown(table, req('claude-sonnet-4-6', '2026-03-01T00:00:00Z', over));
    expect(b?.longContext).toBe(true);
    expect(b?.output).toBeCloseTo(0.0225, 12);
    expect(b?.total).toBeCloseTo(1.117506, 12); // 600006 + 30000 + 225000 + 240000 + 22500
  });
  it('applies only inside the band dates', () => {
    expect(priceRequest(table, req('claude-sonnet-4-6', '2026-03-12T23:59:59.999Z', over))).toBeCloseTo(1.117506, 12);
    expect(priceRequest(table, req('claude-sonnet-4-6', '2026-03-13T00:00:00Z', over))).toBeCloseTo(0.562503, 12);
    // sonnet-4 band starts 2025-08-12
    const s4 = { input: 300_000 };
    expect(priceRequest(table, req('claude-sonnet-4-20250514', '2025-08-11T23:59:59Z', s4))).toBeCloseTo(0.9, 12);
    expect(priceRequest(table, req('claude-sonnet-4-20250514', '2025-08-12T00:00:00Z', s4))).toBeCloseTo(1.8, 12);
  });
  it('an open band (haiku-5-5, over 100,000) applies at any date', () => {
    expect(priceRequest(table, req('claude-haiku-5-5', '2026-11-01T00:00:00Z', { input: 100_000 }))).toBeCloseTo(
      0.01,
      12,
    );
    expect(
      priceRequest(table, req('claude-haiku-5-5', '2026-11-01T00:00:00Z', { input: 100_001, output: 1000 })),
    ).toBeCloseTo(0.0500005 + 0.0025, 12);
  });
});

describe('cache writes, multipliers and web search', () => {
  const at = '2026-06-01T00:00:00Z';
  const io = { input: 1000, output: 1000 };
  it('bills 5-minute and 1-hour writes at their own rates', () => {
    const b = priceBreakdown(table, req('claude-opus-4-7', at, { cacheWrite5m: 1000, cacheWrite1h: 1000 }));
    expect(b?.cacheWrite5m).toBeCloseTo(0.00625, 12);
    expect(b?.cacheWrite1h).toBeCloseTo(0.01, 12);
  });
  it('multiplies every token category in fast mode when the row has a fast multiplier', () => {
    expect(priceRequest(table, req('claude-opus-4-7', at, io, { speed: 'fast' }))).toBeCloseTo(0.18, 12);
    expect(priceRequest(table, req('claude-opus-4-7', at, io, { speed: 'standard' }))).toBeCloseTo(0.03, 12);
    expect(priceRequest(table, req('claude-haiku-4-5', at, io, { speed: 'fast' }))).toBeCloseTo(0.006, 12);
  });
  it('applies the US multiplier for inference_geo "us" only', () => {
    expect(priceRequest(table, req('claude-opus-4-7', at, io, { inferenceGeo: 'us' }))).toBeCloseTo(0.033, 12);
    expect(priceRequest(table, req('claude-opus-4-7', at, io, { inferenceGeo: 'global' }))).toBeCloseTo(0.03, 12);
    expect(priceRequest(table, req('claude-opus-4-5', at, io, { inferenceGeo: 'us' }))).toBeCloseTo(0.03, 12);
    expect(priceRequest(table, req('claude-opus-4-7', at, io, { speed: 'fast', inferenceGeo: 'us' }))).toBeCloseTo(
      0.198,
      12,
    );
  });
  it('adds a flat fee per web search, untouched by multipliers', () => {
    const b = priceBreakdown(
      table,
      req('claude-opus-4-7', at, { ...io, webSearch: 3, webFetch: 5 }, { speed: 'fast' }),
    );
    expect(b?.webSearch).toBeCloseTo(0.03, 12);
    expect(b?.total).toBeCloseTo(0.21, 12);
  });
});

describe('priceRequest and priceBreakdown', () => {
  it('agree exactly, for every kind of request', () => {
    const models = ['claude-opus-4-6', 'claude-sonnet-4-20250514', 'claude-haiku-5-5', 'claude-opus-4-7[1m]'];
    for (let i = 0; i < 400; i++) {
      const input = req(
        models[i % 4]!,
        i % 2 ? '2025-09-01T00:00:00Z' : '2026-12-01T00:00:00Z',
        {
          input: (i * 7919) % 260_000,
          output: (i * 104_729) % 64_000,
          cacheRead: (i * 15_485_863) % 90_000,
          cacheWrite5m: (i * 31) % 5000,
          cacheWrite1h: (i * 17) % 3000,
          webSearch: i % 4,
        },
        { speed: i % 3 === 0 ? 'fast' : 'standard', inferenceGeo: i % 5 === 0 ? 'US' : 'global' },
      );
      const b = priceBreakdown(table, input);
      expect(priceRequest(table, input)).toBe(b?.total);
    }
  });
  it('memoises without limit-free growth: thousands of distinct unknown names still resolve', () => {
    for (let i = 0; i < 12_000; i++)
      expect(priceRequest(table, req(`made-up-${i}`, '2026-06-01T00:00:00Z', { input: 1 }))).toBeNull();
    expect(priceRequest(table, req('claude-opus-4-7', '2026-06-01T00:00:00Z', { input: 1_000_000 }))).toBe(5);
  });
});
