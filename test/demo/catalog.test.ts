import { describe, expect, it } from 'vitest';
import { modelAt, modelInfo, UNKNOWN_MODEL_ID } from '../../src/demo/models.js';
import { Rng } from '../../src/demo/prng.js';
import { featuresOf, latestVersionAt } from '../../src/demo/versions.js';

const day = (d: string): number => Date.parse(`${d}T12:00:00Z`);

describe('Rng', () => {
  it('repeats its sequence for a seed and differs for another', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const seqA = Array.from({ length: 20 }, () => a.u32());
    expect(Array.from({ length: 20 }, () => b.u32())).toEqual(seqA);
    expect(Array.from({ length: 20 }, () => c.u32())).not.toEqual(seqA);
  });

  it('keeps draws inside their ranges', () => {
    const r = new Rng(7);
    for (let i = 0; i < 2000; i++) {
      const n = r.int(3, 9);
      expect(n >= 3 && n <= 9 && Number.isInteger(n)).toBe(true);
      const f = r.float();
      expect(f >= 0 && f < 1).toBe(true);
    }
    expect(r.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('Claude Code versions', () => {
  it('follow the releases seen in real transcripts', () => {
    expect(latestVersionAt(Date.parse('2026-02-11T00:00:00Z'))).toBe('2.1.39');
    expect(latestVersionAt(Date.parse('2026-08-20T00:00:00Z'))).toBe('2.1.233');
    expect(latestVersionAt(Date.parse('2025-09-03T00:00:00Z'))).toBe('1.0.98');
  });

  it('switch formats at the documented versions', () => {
    expect(featuresOf('2.1.77').entrypoint).toBe(false);
    expect(featuresOf('2.1.78').entrypoint).toBe(true);
    expect(featuresOf('2.1.96').placeholderCopies).toBe(true);
    expect(featuresOf('2.1.97').placeholderCopies).toBe(false);
    expect(featuresOf('2.0.27').subagentLayout).toBe('inline');
    expect(featuresOf('2.0.28').subagentLayout).toBe('beside');
    expect(featuresOf('2.1.1').subagentLayout).toBe('beside');
    expect(featuresOf('2.1.2').subagentLayout).toBe('folder');
  });
});

describe('models', () => {
  it('never picks a model before its release', () => {
    const r = new Rng(1);
    for (let ms = day('2025-06-01'); ms < day('2026-12-01'); ms += 86_400_000 * 3) {
      for (const family of ['opus', 'sonnet', 'haiku', 'frontier'] as const) {
        const id = modelAt(r, family, ms);
        expect(id).not.toBe(UNKNOWN_MODEL_ID);
        expect(modelInfo(id)?.fromMs ?? Infinity).toBeLessThanOrEqual(ms);
      }
    }
  });
});
