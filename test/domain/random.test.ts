/** The forecast's generator keeps its exact sequence: stored forecasts and tests rest on it. */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/domain/random.js';

/** mulberry32 as published, state in a closure variable: the reference sequence. */
function reference(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('mulberry32', () => {
  it('draws the reference sequence for any seed, across the 32-bit wrap', () => {
    for (const seed of [0, 1, 0x5eed, -5, 2 ** 32 - 1, 2 ** 31, 123_456_789]) {
      const a = reference(seed);
      const b = mulberry32(seed);
      let firstDifference = -1;
      for (let i = 0; i < 100_000 && firstDifference < 0; i++) if (b() !== a()) firstDifference = i;
      expect(firstDifference).toBe(-1);
    }
  });

  it('starts the forecast seed with its known first draws', () => {
    const r = mulberry32(0x5eed);
    expect([r(), r(), r()]).toEqual([0.7100320369936526, 0.286336648510769, 0.9519026265479624]);
  });
});
