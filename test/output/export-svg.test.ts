import { describe, expect, it } from 'vitest';
import { axisUsd, labelEvery, niceScale, ticks } from '../../src/output/export-svg.js';
import { severity } from '../../src/output/export-chart-gauge.js';

describe('chart scales', () => {
  it('tops an axis at the first round step just above the largest value, not at double it', () => {
    const tops = [0, 0.37, 1, 1.2, 2.2, 3.9, 7, 99, 101, 174, 244, 256, 4321].map((v) => niceScale(v).top);
    expect(tops).toEqual([1, 0.4, 1.2, 1.25, 2.5, 4, 8, 100, 120, 200, 250, 300, 5000]);
    // Never less than the value, never as much as 1.5 times it (the old rule drew $244 on $0-$500).
    for (const v of [0.013, 0.37, 3.3, 51, 244, 501, 999, 12_345]) {
      const { top } = niceScale(v);
      expect(top).toBeGreaterThanOrEqual(v);
      expect(top).toBeLessThan(1.5 * v);
    }
  });

  it('places ticks at round steps, at most six of them', () => {
    expect(ticks(niceScale(244))).toEqual([0, 50, 100, 150, 200, 250]);
    expect(ticks(niceScale(256))).toEqual([0, 50, 100, 150, 200, 250, 300]);
    expect(ticks(niceScale(2.2))).toEqual([0, 0.5, 1, 1.5, 2, 2.5]);
    expect(ticks(niceScale(0.37))).toEqual([0, 0.1, 0.2, 0.3, 0.4]);
    expect(ticks(niceScale(0))).toEqual([0, 0.25, 0.5, 0.75, 1]);
    for (const v of [0.013, 3.3, 51, 99, 777, 12_345]) expect(ticks(niceScale(v)).length).toBeLessThanOrEqual(7);
  });

  it('labels amounts briefly', () => {
    expect([0, 0.1, 0.25, 1.5, 2.5, 12, 250, 1500, 2000].map((v) => axisUsd(v))).toEqual([
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

  it("labels an axis's amounts with the decimals of its step, the same down the axis", () => {
    const labels = (max: number): string[] => {
      const scale = niceScale(max);
      return ticks(scale).map((v) => axisUsd(v, scale.step));
    };
    expect(labels(0.12)).toEqual(['$0.000', '$0.025', '$0.050', '$0.075', '$0.100', '$0.125']);
    expect(labels(0.15)).toEqual(['$0.00', '$0.05', '$0.10', '$0.15', '$0.20']);
    expect(labels(2.2)).toEqual(['$0.00', '$0.50', '$1.00', '$1.50', '$2.00', '$2.50']);
    expect(labels(244)).toEqual(['$0', '$50', '$100', '$150', '$200', '$250']);
    expect(labels(0.37)).toEqual(['$0.00', '$0.10', '$0.20', '$0.30', '$0.40']);
    expect(labels(1.2e-6).at(-1)).toMatch(/^\$0\.0000\d+$/);
  });

  it('labels at most the given number of days', () => {
    expect(labelEvery(31, 8)).toBe(4);
    expect(labelEvery(5, 8)).toBe(1);
  });

  it('grades the gauge at 70% and 90%', () => {
    expect([0, 0.69, 0.7, 0.89, 0.9, 1.4].map(severity)).toEqual(['ok', 'ok', 'warn', 'warn', 'over', 'over']);
  });
});
