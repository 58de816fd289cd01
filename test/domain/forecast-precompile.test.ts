/**
 * The forecast's module compiled ahead, off the main thread (what `status` does before its
 * catch-up), runs the same paths as the JavaScript loop. Its own file: the module is compiled once
 * per process, and here the first compile is the precompiled one.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_FORECAST, forecastCycle } from '../../src/domain/forecast.js';
import { precompileForecast } from '../../src/domain/forecast-paths.js';
import { cycleAt } from '../../src/domain/cycle.js';
import { mulberry32 } from '../../src/domain/random.js';
import type { SpendBucket } from '../../src/domain/forecast-history.js';

describe('the forecast compiled ahead', () => {
  it('resolves, then gives the forecast the JavaScript loop gives', async () => {
    expect(await precompileForecast()).toBe(true);
    // Asked again before the first forecast: the same module waits.
    expect(await precompileForecast()).toBe(true);
    const nowMs = Date.UTC(2026, 10, 20, 13, 30);
    const rng = mulberry32(3);
    const buckets: SpendBucket[] = [];
    for (let ms = nowMs - 60 * 86_400_000; ms < nowMs; ms += 900_000)
      if (rng() < 0.05) buckets.push({ startMs: ms, cost: rng() * 2 });
    const input = {
      cycle: cycleAt(nowMs, 1, 'UTC'),
      nowMs,
      tz: 'UTC',
      spentSoFar: 40,
      buckets,
      dataStartMs: nowMs - 60 * 86_400_000,
      credit: 100,
      exhaustedAtMs: null,
    };
    const wasm = forecastCycle(input, DEFAULT_FORECAST);
    expect(wasm.method).toBe('resample');
    expect(wasm).toEqual(forecastCycle(input, { ...DEFAULT_FORECAST, engine: 'js' }));
    // In use now: nothing to compile.
    expect(await precompileForecast()).toBe(false);
  });
});
