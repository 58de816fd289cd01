/**
 * The fixed generated histories: the bundled fixture history (for backtests and tests) and the
 * demo history behind `creditmeter --demo`. Both describe one heavy automation user on a Max 5x
 * plan; fixed seeds make them reproducible.
 */
import type { GenerateOptions } from './manifest.js';

/** Seed of the bundled fixture history. */
export const FIXTURE_SEED = 20261101;

/** Session-count multiplier of the heavy automation user (programmatic spend near a $100 credit). */
export const HEAVY_USER_ACTIVITY = 0.12;

/** Token multiplier of that user: long agent contexts, so fewer requests carry the spend. */
export const HEAVY_USER_TOKENS = 2.0;

/**
 * "The bundled generated fixture history": six months ending 2026-11-01 (UTC), always the same
 * bytes. Generate it with `generateHistory({ ...FIXTURE_HISTORY, outDir })`.
 */
export const FIXTURE_HISTORY: Readonly<Omit<GenerateOptions, 'outDir'>> = Object.freeze({
  seed: FIXTURE_SEED,
  startMs: Date.parse('2026-05-01T00:00:00Z'),
  endMs: Date.parse('2026-11-01T00:00:00Z'),
  targetBytes: 24_000_000,
  activity: HEAVY_USER_ACTIVITY,
  tokenScale: HEAVY_USER_TOKENS,
});

/** Token multiplier of the demo user. */
export const DEMO_TOKENS = 3;

/** Seed of the demo history. */
export const DEMO_SEED = 5100;

/** Days of history in the demo. */
export const DEMO_DAYS = 92;

/** Options of the demo history ending at `nowMs`. */
export function demoHistoryOptions(nowMs: number): Omit<GenerateOptions, 'outDir'> {
  // Recent models cost less per token, so the demo user's agents carry longer contexts.
  return {
    seed: DEMO_SEED,
    startMs: nowMs - DEMO_DAYS * 86_400_000,
    endMs: nowMs,
    targetBytes: 10_000_000,
    activity: HEAVY_USER_ACTIVITY,
    tokenScale: DEMO_TOKENS,
  };
}
