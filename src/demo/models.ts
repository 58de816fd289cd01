/**
 * Model ids the generator writes, by family, with the day each became available. Ids are the real
 * API ids of the bundled price table; one id no table knows stands for an unreleased model.
 */
import type { Rng } from './prng.js';

export type ModelFamily = 'opus' | 'sonnet' | 'haiku' | 'frontier';

interface ModelRelease {
  id: string;
  family: ModelFamily;
  fromMs: number;
  /** Whether the model has a fast mode (usage.speed = "fast"). */
  fast: boolean;
  /** Whether the model takes prompts over 200k tokens (1M context). */
  longContext: boolean;
}

function release(id: string, family: ModelFamily, day: string, fast = false, longContext = false): ModelRelease {
  return { id, family, fromMs: Date.parse(`${day}T00:00:00Z`), fast, longContext };
}

const RELEASES: readonly ModelRelease[] = [
  release('claude-opus-4-20250514', 'opus', '2025-05-22'),
  release('claude-opus-4-1-20250805', 'opus', '2025-08-05'),
  release('claude-opus-4-5-20251101', 'opus', '2025-11-24'),
  release('claude-opus-4-6', 'opus', '2026-02-05', true, true),
  release('claude-opus-4-7', 'opus', '2026-04-16', true, true),
  release('claude-opus-4-8', 'opus', '2026-05-28', true, true),
  release('claude-opus-5', 'opus', '2026-07-24', true, true),
  release('claude-opus-5-5', 'opus', '2026-09-22', true, true),
  release('claude-3-7-sonnet-20250219', 'sonnet', '2025-02-24'),
  release('claude-sonnet-4-20250514', 'sonnet', '2025-05-22', false, true),
  release('claude-sonnet-4-5-20250929', 'sonnet', '2025-09-29', false, true),
  release('claude-sonnet-4-6', 'sonnet', '2026-02-17', false, true),
  release('claude-sonnet-5', 'sonnet', '2026-06-30', false, true),
  release('claude-sonnet-5-5', 'sonnet', '2026-09-28', false, true),
  release('claude-3-5-haiku-20241022', 'haiku', '2024-10-22'),
  release('claude-haiku-4-5-20251001', 'haiku', '2025-10-15'),
  release('claude-haiku-5-5', 'haiku', '2026-10-07'),
  release('claude-mythos-5', 'frontier', '2026-06-09'),
  release('claude-fable-5-1', 'frontier', '2026-09-01'),
];

/** A model id no price table knows: its requests must show up as unpriced, never as $0. */
export const UNKNOWN_MODEL_ID = 'claude-nimbus-6-preview';

/** The model with the id `id`, if the generator knows it. */
export function modelInfo(id: string): ModelRelease | undefined {
  return RELEASES.find((m) => m.id === id);
}

/**
 * A model of `family` available at `ms`: usually the newest, sometimes (pinned settings) the one
 * before. Falls back to the nearest older family when the family did not exist yet.
 */
export function modelAt(rng: Rng, family: ModelFamily, ms: number, pinnedShare = 0.15): string {
  const available = RELEASES.filter((m) => m.family === family && m.fromMs <= ms).sort((a, b) => b.fromMs - a.fromMs);
  if (available.length === 0) return modelAt(rng, family === 'frontier' ? 'opus' : 'sonnet', ms, pinnedShare);
  const previous = available[1];
  const chosen = previous !== undefined && rng.chance(pinnedShare) ? previous : available[0];
  return chosen?.id ?? 'claude-sonnet-4-20250514';
}

/** Whether `id` has a fast mode. */
export function hasFastMode(id: string): boolean {
  return modelInfo(id)?.fast ?? false;
}

/** Whether `id` accepts prompts over 200k tokens. */
export function acceptsLongContext(id: string): boolean {
  return modelInfo(id)?.longContext ?? false;
}
