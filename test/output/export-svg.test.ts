import { describe, expect, it } from 'vitest';
import { axisUsd, labelEvery, niceCeil, ticks } from '../../src/output/export-svg.js';
import { severity } from '../../src/output/export-chart-gauge.js';

describe('chart scales', () => {
  it('rounds the top of an axis up to 1, 2, 2.5 or 5 times a power of ten', () => {
    expect([0, 0.37, 1, 1.2, 2.2, 3.9, 7, 99, 101, 4321].map(niceCeil)).toEqual([
      1, 0.5, 1, 2, 2.5, 5, 10, 100, 200, 5000,
    ]);
  });

  it('places ticks at round steps', () => {
    expect(ticks(5)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(ticks(2)).toEqual([0, 0.5, 1, 1.5, 2]);
    expect(ticks(2.5)).toEqual([0, 0.5, 1, 1.5, 2, 2.5]);
    expect(ticks(0.5)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(ticks(100)).toEqual([0, 25, 50, 75, 100]);
  });

  it('labels amounts briefly', () => {
    expect([0, 0.1, 0.25, 1.5, 2.5, 12, 250, 1500, 2000].map(axisUsd)).toEqual([
      '$0',
      '$0.1',
      '$0.25',
      '$1.5',
      '$2.5',
      '$12',
      '$250',
      '$1.5k',
      '$2k',
    ]);
  });

  it('labels at most the given number of days', () => {
    expect(labelEvery(31, 8)).toBe(4);
    expect(labelEvery(5, 8)).toBe(1);
  });

  it('grades the gauge at 70% and 90%', () => {
    expect([0, 0.69, 0.7, 0.89, 0.9, 1.4].map(severity)).toEqual(['ok', 'ok', 'warn', 'warn', 'over', 'over']);
  });
});
