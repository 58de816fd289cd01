/** Small deterministic random helpers for the forecast (no global state, no Math.random). */

/** A seeded uniform generator on [0, 1) (mulberry32): the same seed gives the same sequence. */
export function mulberry32(seed: number): () => number {
  // The state lives in a typed array: a closure variable holding a full 32-bit value would be a
  // new heap number on every draw (the forecast draws hundreds of thousands per run).
  const state = new Uint32Array([seed]);
  return () => {
    state[0] = state[0]! + 0x6d2b79f5; // stored modulo 2^32, as `>>> 0` did
    let t = state[0];
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One standard normal draw (Box-Muller) from a uniform generator. */
export function standardNormal(rng: () => number): number {
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * Quantile `q` of an ascending array, interpolating between neighbours; Infinity stays Infinity
 * when it carries any weight. NaN for an empty array.
 */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  if (lo === hi || a === b) return a;
  if (!Number.isFinite(b)) return b;
  return a + (b - a) * (pos - lo);
}
