import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { catchUp } from '../../src/ingest/pipeline.js';
import { resolvePriceRow } from '../../src/domain/pricing.js';
import type { AppContext } from '../../src/app/context.js';
import type { IngestSummary } from '../../src/ingest/summary.js';
import { fixtureCase, openTestApp, tempDir, totals } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

async function ingestCase(
  name: string,
  classes?: Record<string, string>,
): Promise<{ ctx: AppContext; s: IngestSummary }> {
  const ctx = openTestApp([fixtureCase(name)], join(tmp.dir, `${name}-${Math.random()}.db`), { classes });
  return { ctx, s: await catchUp(ctx) };
}

interface Row {
  key: string;
  message_id: string | null;
  output_tokens: number;
  class: string;
  source: string;
  session_id: string | null;
  agent_id: string | null;
  cache_write_5m_tokens: number;
  cache_write_1h_tokens: number;
  web_search_requests: number;
  speed: string | null;
  inference_geo: string | null;
  cost: number | null;
  price_version: string | null;
  ts: number;
  model: string;
  input_tokens: number;
  cache_read_tokens: number;
}
const rows = (ctx: AppContext): Row[] => ctx.db.prepare('SELECT * FROM requests ORDER BY ts, key').all() as Row[];
const byMsg = (ctx: AppContext, id: string): Row => rows(ctx).find((r) => r.message_id === id)!;

describe('dedup', () => {
  it('keeps one request per message id + request id, the copy with the most output tokens', async () => {
    const { ctx, s } = await ingestCase('streaming-copies');
    expect(rows(ctx).map((r) => [r.message_id, r.output_tokens])).toEqual([
      ['msg_A', 250],
      ['msg_B', 80],
      ['msg_C', 5],
    ]);
    expect(s.requestsAdded).toBe(3);
    expect(s.duplicatesReplaced).toBe(2);
    expect(s.duplicatesDropped).toBe(1);
    expect(rows(ctx).find((r) => r.message_id === 'msg_A')!.key).toBe('msg_A:req_A');
    ctx.close();
  });

  it('de-duplicates across files (a resumed session copies earlier lines)', async () => {
    const { ctx, s } = await ingestCase('resumed-copy');
    expect(totals(ctx.db)).toMatchObject({ requests: 3, output: 170 });
    expect(s.duplicatesDropped).toBe(2);
    ctx.close();
  });

  it('counts subagents in all three layouts (inline sidechain, agent-*.jsonl beside, <session>/subagents/)', async () => {
    const { ctx, s } = await ingestCase('subagents');
    expect(s.files).toBe(6);
    expect(rows(ctx).map((r) => r.message_id)).toEqual([
      'msg_S1',
      'msg_S2',
      'msg_S3',
      'msg_S4',
      'msg_S5',
      'msg_S6',
      'msg_S7',
    ]);
    expect(byMsg(ctx, 'msg_S6').agent_id).toBe('a1b2c3d');
    // Subagent rows take their session's class: the main files carry snapshots.
    expect(new Set(rows(ctx).map((r) => r.class))).toEqual(new Set(['interactive']));
    ctx.close();
  });

  it('a progress-embedded copy adds only requests whose subagent file is missing', async () => {
    const { ctx } = await ingestCase('progress-copies');
    expect(rows(ctx).map((r) => [r.message_id, r.output_tokens, r.source])).toEqual([
      ['msg_P0', 20, 'line'],
      ['msg_P1', 55, 'line'],
      ['msg_P2', 90, 'progress'],
    ]);
    expect(byMsg(ctx, 'msg_P2').agent_id).toBe('a0000bb');
    expect(byMsg(ctx, 'msg_P2').session_id).toBe('00000007-1111-4222-8333-000000000007');
    ctx.close();
  });

  it('skips <synthetic> messages', async () => {
    const { ctx } = await ingestCase('synthetic');
    expect(rows(ctx).map((r) => r.model)).toEqual(['claude-sonnet-4-5-20250929']);
    ctx.close();
  });

  it('counts each line without a message id, keyed stably so a re-read adds nothing', async () => {
    const { ctx, s } = await ingestCase('no-id');
    expect(s.noIdLines).toBe(3);
    expect(totals(ctx.db).requests).toBe(4);
    expect(
      rows(ctx)
        .filter((r) => r.message_id === null)
        .map((r) => r.key.split(':')[0]),
    ).toEqual(['uuid', 'uuid', 'line']);
    ctx.db.prepare('UPDATE files SET offset = 0, size = 0, ino = ino').run();
    const again = await catchUp(ctx);
    expect(again.requestsAdded).toBe(0);
    expect(totals(ctx.db).requests).toBe(4);
    ctx.close();
  });
});

describe('classes', () => {
  it('classifies per line from the top-level entrypoint only', async () => {
    const { ctx } = await ingestCase('mixed-entrypoints');
    expect(rows(ctx).map((r) => [r.message_id, r.class])).toEqual([
      ['msg_E1', 'interactive'],
      ['msg_E2', 'programmatic'],
      ['msg_E3', 'programmatic'],
      ['msg_E4', 'interactive'],
      ['msg_E5', 'programmatic'],
      ['msg_E6', 'unknown'],
    ]);
    ctx.close();
  });

  it('uses the mapping from config, and reclassifies stored rows when it changes', async () => {
    const dbFile = join(tmp.dir, 'mapping.db');
    const first = openTestApp([fixtureCase('mixed-entrypoints')], dbFile);
    await catchUp(first);
    first.close();
    const second = openTestApp([fixtureCase('mixed-entrypoints')], dbFile, {
      classes: { 'claude-vscode': 'programmatic', mcp: 'interactive' },
    });
    const s = await catchUp(second);
    expect(s.filesRead).toBe(0);
    expect(byMsg(second, 'msg_E4').class).toBe('programmatic');
    expect(byMsg(second, 'msg_E5').class).toBe('interactive');
    expect(byMsg(second, 'msg_E2').class).toBe('programmatic');
    second.close();
  });

  it('falls back per session: snapshots, queue-operation first, promptSource sdk, history.jsonl, else unknown', async () => {
    const { ctx } = await ingestCase('fallback-signals');
    expect(rows(ctx).map((r) => [r.message_id, r.class])).toEqual([
      ['msg_F1', 'interactive'],
      ['msg_F2', 'programmatic'],
      ['msg_F3', 'programmatic'],
      ['msg_F4', 'interactive'],
      ['msg_F5', 'unknown'],
      ['msg_F6', 'interactive'],
      ['msg_F7', 'interactive'],
    ]);
    ctx.close();
  });
});

describe('bad input', () => {
  it('counts CRLF/BOM/blank/malformed/wrong-type lines per reason, keeps valid lines, holds back a truncated last line', async () => {
    const { ctx, s } = await ingestCase('malformed');
    expect(rows(ctx).map((r) => [r.message_id, r.output_tokens])).toEqual([
      ['msg_M1', 10],
      ['msg_M10', 20],
    ]);
    expect(s.skipped).toEqual({
      'blank-line': 2,
      'malformed-json': 2,
      'not-an-object': 1,
      'bad-usage': 4,
      'missing-timestamp': 1,
      'bad-timestamp': 1,
      'missing-model': 1,
    });
    expect(s.lines).toBe(14);
    const f = ctx.db.prepare('SELECT offset, size FROM files').get() as { offset: number; size: number };
    expect(f.offset).toBeLessThan(f.size);
    ctx.close();
  });
});

describe('pricing inputs', () => {
  it('stores 5m/1h writes, web searches, speed, geo and prices each request (unknown model unpriced)', async () => {
    const { ctx, s } = await ingestCase('pricing-features');
    const table = ctx.prices;
    const rate = (model: string, ts: number) => resolvePriceRow(table, model, ts)!;
    const x1 = byMsg(ctx, 'msg_X1');
    expect([x1.cache_write_5m_tokens, x1.cache_write_1h_tokens]).toEqual([1000, 2000]);
    const r1 = rate(x1.model, x1.ts).rates;
    expect(x1.cost).toBeCloseTo(
      (10 * r1.input + 100 * r1.output + 1000 * r1.cacheWrite5m + 2000 * r1.cacheWrite1h) / 1e6,
      12,
    );
    const base = (10 * r1.input + 100 * r1.output) / 1e6;
    const x2 = byMsg(ctx, 'msg_X2');
    expect(x2.web_search_requests).toBe(3);
    expect(x2.cost).toBeCloseTo(base + 3 * table.webSearchUsdPerRequest, 12);
    const x3 = byMsg(ctx, 'msg_X3');
    expect(x3.speed).toBe('fast');
    expect(x3.cost).toBeCloseTo(base * rate(x3.model, x3.ts).fastMultiplier!, 12);
    const x4 = byMsg(ctx, 'msg_X4');
    expect(x4.inference_geo).toBe('us');
    expect(x4.cost).toBeCloseTo(base * rate(x4.model, x4.ts).inferenceGeoUsMultiplier!, 12);
    const x5 = byMsg(ctx, 'msg_X5');
    const lc = rate(x5.model, x5.ts).longContext!.rates;
    expect(x5.cost).toBeCloseTo((150000 * lc.input + 60000 * lc.cacheRead + 100 * lc.output) / 1e6, 12);
    const x6 = byMsg(ctx, 'msg_X6');
    expect(x6.cost).toBeNull();
    expect(s.unpriced).toEqual([{ model: 'claude-nimbus-6-preview', requests: 1 }]);
    const x7 = byMsg(ctx, 'msg_X7');
    expect([x7.cache_write_5m_tokens, x7.cache_write_1h_tokens]).toEqual([500, 0]);
    expect(new Set(rows(ctx).map((r) => r.price_version))).toEqual(new Set([table.version]));
    ctx.close();
  });
});
