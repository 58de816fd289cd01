import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/app/config.js';
import { bundledPriceTable, bundledRows, loadPriceTable, priceTableHash } from '../../src/app/prices.js';
import { parsePriceFile } from '../../src/app/price-file.js';
import bundledJson from '../../src/domain/bundled-prices.json' with { type: 'json' };
import { priceRequest, resolvePriceRow } from '../../src/domain/pricing.js';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cm-prices-'));
});
function write(name: string, content: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}
const rates = { input: 1, cacheWrite5m: 2, cacheWrite1h: 3, cacheRead: 0.5, output: 4 };
const usage = {
  input: 1_000_000,
  output: 0,
  cacheRead: 0,
  cacheWrite5m: 0,
  cacheWrite1h: 0,
  webSearch: 0,
  webFetch: 0,
};
const ts = Date.parse('2026-06-01T00:00:00Z');

describe('the bundled table', () => {
  it('reads as the strict reader of user files reads it, field for field and in order', () => {
    const strict = parsePriceFile(
      { models: bundledJson.models, webSearchUsdPerRequest: bundledJson.webSearchUsdPerRequest },
      'bundled',
      'bundled',
    );
    const table = bundledPriceTable();
    expect(JSON.stringify(table.models)).toBe(JSON.stringify(strict.models));
    expect(table.models).toEqual(strict.models);
    expect(table.webSearchUsdPerRequest).toBe(strict.webSearchUsdPerRequest);
    expect(typeof table.version).toBe('string');
    // Every optional field of a row is exercised by the table (so the two readers are compared on it).
    const fields = new Set(bundledJson.models.flatMap((r) => Object.keys(r)));
    for (const f of ['longContext', 'fastMultiplier', 'inferenceGeoUsMultiplier', 'confidence'])
      expect(fields).toContain(f);
    // Untrimmed ids and aliases, and absent dates, read the same both ways.
    const loose = [{ id: ' claude-x ', aliases: [' x '], rates: strict.models[0]!.rates }];
    expect(bundledRows(loose)).toEqual(parsePriceFile({ models: loose }, 'loose', 'bundled').models);
  });
});

describe('loadPriceTable', () => {
  it('returns the bundled table without a user file', () => {
    const t = loadPriceTable(null);
    expect(t).toBe(bundledPriceTable());
    expect(t.models.every((r) => r.origin === 'bundled')).toBe(true);
  });

  it('adds a model and replaces every bundled row of an overridden id', () => {
    const file = write('ok.json', {
      _about: 'my prices',
      models: [
        { id: 'my-model', aliases: ['mine'], from: null, until: null, rates },
        { id: 'claude-sonnet-5-5', aliases: [], from: '2026-01-01', until: null, rates },
      ],
    });
    const t = loadPriceTable(file);
    expect(t.version).toMatch(/^\d{4}-\d{2}-\d{2}\+user-[0-9a-f]{8}$/);
    expect(t.models.filter((r) => r.id === 'claude-sonnet-5-5')).toHaveLength(1);
    expect(t.models.length).toBe(bundledPriceTable().models.length - 2 + 2);
    expect(priceRequest(t, { model: 'mine', ts, usage, speed: null, inferenceGeo: null })).toBe(1);
    expect(priceRequest(t, { model: 'claude-sonnet-5-5', ts, usage, speed: null, inferenceGeo: null })).toBe(1);
    expect(resolvePriceRow(t, 'claude-sonnet-5-5', ts)?.origin).toBe('user');
    expect(priceRequest(t, { model: 'claude-opus-4-7', ts, usage, speed: null, inferenceGeo: null })).toBe(5);
  });

  it('accepts a file that starts with a UTF-8 byte order mark', () => {
    expect(loadPriceTable(write('bom.json', `\uFEFF${JSON.stringify([{ id: 'x', rates }])}`)).models[0]?.id).toBe('x');
  });

  it('accepts a bare list of rows and a web-search fee', () => {
    const t = loadPriceTable(write('list.json', { webSearchUsdPerRequest: 0.02, models: [{ id: 'x', rates }] }));
    expect(t.webSearchUsdPerRequest).toBe(0.02);
    expect(loadPriceTable(write('bare.json', [{ id: 'x', rates }])).models[0]?.id).toBe('x');
  });

  it.each([
    ['missing.json', null, /does not exist/],
    ['.', null, /cannot be read \(EISDIR\)/],
    ['bad.json', '{ nope', /not valid JSON/],
    ['top.json', { models: {} }, /models must be a list/],
    ['unknown.json', { models: [{ id: 'x', rates, colour: 'red' }] }, /models\[0\]\.colour is not a known field/],
    [
      'rate.json',
      { models: [{ id: 'x', rates: { ...rates, output: -1 } }] },
      /models\[0\]\.rates\.output must be a non-negative number/,
    ],
    ['norate.json', { models: [{ id: 'x', rates: { input: 1 } }] }, /models\[0\]\.rates\.cacheWrite5m/],
    ['id.json', { models: [{ rates }] }, /models\[0\]\.id must be a model id/],
    ['date.json', { models: [{ id: 'x', from: '2026-02-30', rates }] }, /models\[0\]\.from must be a date/],
    ['month.json', { models: [{ id: 'x', from: '2026-13-01', rates }] }, /models\[0\]\.from must be a date/],
    [
      'order.json',
      { models: [{ id: 'x', from: '2026-03-01', until: '2026-02-01', rates }] },
      /models\[0\]\.until must be after/,
    ],
    [
      'band.json',
      { models: [{ id: 'x', rates, longContext: { overPromptTokens: 'many', rates } }] },
      /longContext\.overPromptTokens/,
    ],
    ['fast.json', { models: [{ id: 'x', rates, fastMultiplier: 0 }] }, /fastMultiplier must be a positive number/],
    [
      'overlap.json',
      {
        models: [
          { id: 'x', from: '2026-01-01', rates },
          { id: 'x', from: '2026-02-01', rates },
        ],
      },
      /rows of "x" overlap/,
    ],
  ])('rejects %s with a UsageError naming the file and field', (name, content, message) => {
    const file = content === null ? path.join(dir, name) : write(name, content);
    expect(() => loadPriceTable(file)).toThrow(UsageError);
    expect(() => loadPriceTable(file)).toThrow(message);
    expect(() => loadPriceTable(file)).toThrow(file);
  });
});

describe('priceTableHash', () => {
  it('is stable for equal tables and changes with any rate', () => {
    const a = loadPriceTable(write('h1.json', { models: [{ id: 'x', rates }] }));
    const b = loadPriceTable(write('h2.json', { models: [{ rates, id: 'x' }] }));
    const c = loadPriceTable(write('h3.json', { models: [{ id: 'x', rates: { ...rates, output: 4.5 } }] }));
    expect(priceTableHash(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(priceTableHash(a)).toBe(priceTableHash(b));
    expect(a.version).toBe(b.version);
    expect(priceTableHash(a)).not.toBe(priceTableHash(c));
    expect(a.version).not.toBe(c.version);
    expect(priceTableHash(bundledPriceTable())).not.toBe(priceTableHash(a));
  });
});
