import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { catchUp } from '../../src/ingest/pipeline.js';
import { micro, openTestApp, realLogs, tempDir, totals } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const REFERENCE = {
  spotter: {
    requests: 904,
    input: 9_165,
    output: 195_801,
    cacheRead: 77_423_878,
    cacheWrite: 2_079_960,
    cost: 51.742581,
  },
  margin: { requests: 2, input: 18, output: 312, cacheRead: 55_547, cacheWrite: 11_821, cost: 0.030775 },
  'claude-code-viewer': {
    requests: 197,
    input: 1_040,
    output: 56_515,
    cacheRead: 4_075_332,
    cacheWrite: 198_421,
    cost: 2.817523,
  },
} as const;

describe('real transcripts reproduce the reference totals', () => {
  for (const [name, ref] of Object.entries(REFERENCE)) {
    it(`${name}: requests, tokens and cost`, async () => {
      const ctx = openTestApp([realLogs(name)], join(tmp.dir, `${name}.db`));
      try {
        const s = await catchUp(ctx);
        expect(s.warnings).toEqual([]);
        const t = totals(ctx.db);
        expect({ ...t, cost: micro(t.cost) }).toMatchObject(ref);
        expect(t.unpriced).toBe(0);
      } finally {
        ctx.close();
      }
    });
  }
});

describe('real transcripts: classes and all roots together', () => {
  it('spotter is interactive by its snapshots, except the session with no main file (unknown)', async () => {
    const ctx = openTestApp([realLogs('spotter')], join(tmp.dir, 'spotter-classes.db'));
    try {
      await catchUp(ctx);
      expect(micro(totals(ctx.db, 'interactive').cost)).toBe(51.61756);
      expect(micro(totals(ctx.db, 'unknown').cost)).toBe(0.125021);
      expect(totals(ctx.db, 'programmatic').requests).toBe(0);
    } finally {
      ctx.close();
    }
  });

  it('margin is programmatic, claude-code-viewer unknown; all three give 1,103 requests and $54.590879', async () => {
    const roots = ['spotter', 'margin', 'claude-code-viewer'].map(realLogs);
    const ctx = openTestApp(roots, join(tmp.dir, 'all.db'));
    try {
      const s = await catchUp(ctx);
      expect(s.requestsAdded).toBe(1_103);
      const t = totals(ctx.db);
      expect(t.requests).toBe(1_103);
      expect(micro(t.cost)).toBe(54.590879);
      expect(micro(totals(ctx.db, 'programmatic').cost)).toBe(0.030775);
      expect(totals(ctx.db, 'programmatic').requests).toBe(2);
      expect(micro(totals(ctx.db, 'unknown').cost)).toBe(micro(0.125021 + 2.817523));
      expect(micro(totals(ctx.db, 'interactive').cost)).toBe(51.61756);
      const again = await catchUp(ctx);
      expect(again.filesRead).toBe(0);
      expect(again.requestsAdded).toBe(0);
      expect(totals(ctx.db).requests).toBe(1_103);
    } finally {
      ctx.close();
    }
  });
});
