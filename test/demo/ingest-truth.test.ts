import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type AppContext } from '../../src/app/context.js';
import { generateHistory, type GenerationManifest, type TokenTotals } from '../../src/demo/index.js';
import { catchUp } from '../../src/ingest/pipeline.js';
import { aggregate, totals } from '../../src/store/queries.js';
import type { AggregateRow } from '../../src/domain/types.js';

// A few-MB generated tree read by the real ingest pipeline must give the generator's own truth.
let dir: string;
let manifest: GenerationManifest;
let ctx: AppContext;

function tokens(row: AggregateRow | TokenTotals | undefined): TokenTotals {
  return {
    requests: row?.requests ?? 0,
    inputTokens: row?.inputTokens ?? 0,
    outputTokens: row?.outputTokens ?? 0,
    cacheReadTokens: row?.cacheReadTokens ?? 0,
    cacheWrite5mTokens: row?.cacheWrite5mTokens ?? 0,
    cacheWrite1hTokens: row?.cacheWrite1hTokens ?? 0,
    webSearchRequests: row?.webSearchRequests ?? 0,
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cm-gen-ingest-'));
  const root = join(dir, 'claude');
  manifest = await generateHistory({
    outDir: root,
    seed: 21,
    startMs: Date.parse('2026-08-20T00:00:00Z'),
    endMs: Date.parse('2026-10-05T00:00:00Z'),
    targetBytes: 5_000_000,
    activity: 0.1,
  });
  writeFileSync(join(dir, 'config.json'), '{}');
  ctx = openApp({ claudeDir: [root], db: join(dir, 'usage.db'), config: join(dir, 'config.json'), tz: 'UTC' });
  await catchUp(ctx);
});

afterAll(() => {
  ctx?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('ingest of a generated tree', () => {
  it('stores as many requests, with the same tokens, as the generator wrote', () => {
    expect(manifest.duplicateCopies).toBeGreaterThan(0);
    expect(manifest.byClass.unknown.requests).toBeGreaterThan(0);
    expect(manifest.shapes.missingSubagentFiles + manifest.shapes.resumedSessions).toBeGreaterThan(0);
    expect(tokens(totals(ctx.db, {}))).toEqual(manifest.totals);
  });

  it('gives each class the requests and tokens of the manifest', () => {
    const rows = aggregate(ctx.db, 'class', {}, 'UTC');
    for (const cls of ['programmatic', 'interactive', 'unknown'] as const) {
      expect({ cls, ...tokens(rows.find((r) => r.key === cls)) }).toEqual({ cls, ...manifest.byClass[cls] });
    }
  });

  it('gives each model the requests of the manifest', () => {
    const rows = aggregate(ctx.db, 'model', {}, 'UTC');
    const got = Object.fromEntries(rows.map((r) => [r.key, tokens(r)]));
    expect(got).toEqual(manifest.byModel);
  });

  it('reads again without adding anything', async () => {
    const second = await catchUp(ctx);
    expect(second.requestsAdded).toBe(0);
    expect(tokens(totals(ctx.db, {}))).toEqual(manifest.totals);
  });
});
