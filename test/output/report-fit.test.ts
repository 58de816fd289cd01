/** `report` on a terminal narrower than its table: the least useful columns go, and it says which. */
import { describe, expect, it } from 'vitest';
import type { ReportData } from '../../src/output/report-data.js';
import { reportText } from '../../src/output/report-text.js';
import type { AggregateRow } from '../../src/domain/types.js';
import { pricesText } from '../../src/output/report-prices.js';
import { bundledPriceTable, priceTableHash } from '../../src/app/prices.js';

const row = (key: string, n: number): AggregateRow => ({
  key,
  requests: n,
  inputTokens: n * 1234,
  outputTokens: n * 56_789,
  cacheReadTokens: n * 9_876_543,
  cacheWrite5mTokens: n * 12_345,
  cacheWrite1hTokens: n * 67_890,
  webSearchRequests: n,
  cost: n * 12.345,
  unpricedRequests: 0,
});

const data = (keys: string[]): ReportData =>
  ({
    by: 'session',
    rows: keys.map((k, i) => row(k, i + 1)),
    totals: { ...row('total', keys.length * 2), unpricedRequests: 2 },
    unpriced: [{ model: 'claude-nimbus-6-preview', requests: 2 }],
    ownCost: { requests: 0, creditmeterCost: 0, claudeCodeCost: 0 },
  }) as ReportData;

const ids = ['0a72a302-c207-4487-af26-4cde47c4241c', 'adb2ab64-ee4a-44a3-a3c2-fb32644e48b1'];

describe('report text on a terminal', () => {
  it('is unchanged without a width, and when the table fits', () => {
    const whole = reportText(data(ids), 'Usage by session');
    expect(whole).toContain('web search');
    expect(reportText(data(ids), 'Usage by session', 300)).toBe(whole);
  });

  it('fits 80 and 60 columns: group, requests, cost and unpriced stay, every line within the width', () => {
    for (const width of [80, 60, 40]) {
      const text = reportText(data(ids), 'Usage by session', width);
      for (const line of text.split('\n')) expect([...line].length, line).toBeLessThan(width);
      const head = text.split('\n')[2]!;
      for (const col of ['session', 'requests', 'cost', 'unpriced']) expect(head).toContain(col);
      expect(head).not.toContain('web search');
      expect(text.replace(/\n +/g, ' ')).toMatch(/Left out to fit the terminal: web search, 5m write/);
      expect(text).toMatch(/\$24\.69/);
      expect(text).toMatch(/\$12\.35/);
      expect(text).toContain('claude-nimbus-6-preview');
    }
    // At 80 columns the whole session ids still fit; at 40 they are cut at their end.
    expect(reportText(data(ids), 'Usage by session', 80)).toContain(ids[0]);
    expect(reportText(data(ids), 'Usage by session', 40)).toMatch(/0a72a3\S*… /);
  });
});

describe('unpriced requests in the table', () => {
  it("mark a row's cost with ? (never a bare $0.00 for a model without a price), as the dashboard does", () => {
    const d = data(ids);
    d.rows.push({ ...row('claude-nimbus-6-preview', 2), cost: 0, unpricedRequests: 2 });
    const lines = reportText(d, 'Usage by session').split('\n');
    expect(lines.find((l) => l.startsWith('claude-nimbus-6-preview'))).toMatch(/\$0\.00\? +2$/);
    expect(lines.find((l) => l.startsWith(ids[0]!))).toMatch(/\$12\.35 +0$/);
    expect(lines.find((l) => l.startsWith('total'))).toMatch(/\$49\.38\? +2$/);
  });
});

describe('model names cut to fit', () => {
  it('keeps every row its own name: the start and the end when cutting the end would make two read the same', () => {
    const models = [
      'claude-sonnet-4-5-20250929',
      'claude-sonnet-4-6',
      'claude-opus-5',
      'claude-opus-5-5',
      'claude-haiku-4-5',
    ];
    const text = reportText({ ...data(models), by: 'model' }, 'Usage by model', 40);
    const labels = text
      .split('\n')
      .slice(4, 4 + models.length)
      .map((l) => l.split(/ {2,}/)[0]);
    for (const line of text.split('\n')) expect([...line].length, line).toBeLessThan(40);
    expect(new Set(labels).size).toBe(models.length);
    // (The totals' `?`, for their unpriced requests, takes a column from the names.)
    expect(labels).toEqual(['sonn…0929', 'sonn…-4-6', 'opus-5', 'opus-5-5', 'haiku-4-5']);
  });
});

describe('prices on a terminal', () => {
  it('leaves out aliases and the rarer rates first, keeps model, dates and the main rates, and names what went', () => {
    const table = bundledPriceTable();
    const hash = priceTableHash(table);
    const whole = pricesText(table, hash);
    expect(pricesText(table, hash, 400)).toBe(whole);
    for (const width of [120, 80, 60, 40]) {
      const text = pricesText(table, hash, width);
      for (const line of text.split('\n')) expect([...line].length, line).toBeLessThan(width);
      const head = text.split('\n').find((l) => l.startsWith('model'))!;
      for (const col of ['model', 'input', 'output']) expect(head).toContain(col);
      expect(head).not.toContain('aliases');
      expect(text.replace(/\n +/g, ' ')).toMatch(/Left out to fit the terminal: aliases/);
      // Every row is still there, once.
      for (const r of table.models) expect(text).toContain(r.id.replace(/^claude-/, '').slice(0, 8));
      expect(text.split('\n').filter((l) => /^(claude-|…)\S* +(\d{4}-|- )/.test(l)).length).toBe(table.models.length);
    }
  });
});
