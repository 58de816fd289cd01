/**
 * A dashboard follows its settings while it runs: a config file changed under it (classes, plan),
 * a price file it names changed, and a one-off `--prices` run that repriced the store under it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyPriceTable, openApp } from '../../src/app/context.js';
import { followSettings } from '../../src/app/follow-settings.js';
import { loadPriceTable } from '../../src/app/prices.js';
import { catchUp } from '../../src/ingest/pipeline.js';
import { isolateHome } from '../helpers/run-cli.js';

const SESS = '00000030-1111-4222-8333-000000000030';
const line = JSON.stringify({
  type: 'assistant',
  uuid: 'u-1',
  sessionId: SESS,
  entrypoint: 'sdk-cli',
  version: '2.1.210',
  cwd: '/srv/app',
  timestamp: '2026-11-20T10:00:00.000Z',
  requestId: 'req_1',
  message: {
    id: 'msg_1',
    model: 'claude-haiku-4-5-20251001',
    usage: { input_tokens: 1_000_000, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
  },
});

/** A price file with haiku-4-5's input at `input` dollars a million. */
function priceFile(path: string, input: number): string {
  const rates = { input, cacheWrite5m: 1.25, cacheWrite1h: 2, cacheRead: 0.1, output: 5 };
  writeFileSync(
    path,
    JSON.stringify({ models: [{ id: 'claude-haiku-4-5-20251001', from: null, until: null, rates }] }),
  );
  return path;
}

function setup() {
  const dir = join(isolateHome(), `follow-${Math.random().toString(36).slice(2)}`);
  mkdirSync(join(dir, 'projects', 'p'), { recursive: true });
  writeFileSync(join(dir, 'projects', 'p', `${SESS}.jsonl`), `${line}\n`);
  const config = join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({ plan: 'pro' }));
  const flags = { db: join(dir, 'store.db'), claudeDir: [dir], config, tz: 'UTC' };
  return { dir, config, flags };
}

const rows = (ctx: ReturnType<typeof openApp>) =>
  ctx.db.prepare('SELECT class, cost FROM requests').all() as { class: string; cost: number }[];

describe('followSettings', () => {
  it('takes a new plan and new classes from the config file; the next read reclassifies the rows', async () => {
    const { config, flags } = setup();
    const ctx = openApp(flags);
    await catchUp(ctx);
    const plan = ctx.config.plan;
    const follow = followSettings(ctx, flags);
    expect(follow.check()).toBeNull();
    writeFileSync(config, JSON.stringify({ plan: 'max5x', classes: { 'sdk-cli': 'interactive' } }));
    expect(follow.check()).toEqual({ classes: true, figures: true });
    // The object the dashboard's data source holds, changed in place.
    expect(ctx.config.plan).toBe(plan);
    expect(plan).toMatchObject({ plan: 'max5x', credit: 100 });
    await catchUp(ctx);
    expect(rows(ctx)).toEqual([{ class: 'interactive', cost: 1 }]);
    expect(follow.check()).toBeNull();
    // A file half written keeps the settings in use, and is read once it is whole.
    writeFileSync(config, '{"plan": "max20');
    expect(follow.check()).toBeNull();
    expect(plan.credit).toBe(100);
    writeFileSync(config, JSON.stringify({ plan: 'max20x', classes: { 'sdk-cli': 'interactive' } }));
    expect(follow.check()).toEqual({ classes: false, figures: true });
    expect(plan.credit).toBe(200);
    ctx.close();
  });

  it('prices the store back after a one-off --prices run elsewhere, and follows its own price file', async () => {
    const { dir, config, flags } = setup();
    const ctx = openApp(flags);
    await catchUp(ctx);
    expect(rows(ctx)[0]!.cost).toBeCloseTo(1, 9);
    let clock = 0;
    const follow = followSettings(ctx, flags, () => clock);
    // `status --prices triple.json` in another terminal: the store is priced with its table. That
    // run has it for itself while it lasts (its own reads must not meet a store priced back)...
    applyPriceTable(ctx.db, loadPriceTable(priceFile(join(dir, 'triple.json'), 3)));
    expect(rows(ctx)[0]!.cost).toBeCloseTo(3, 9);
    expect(follow.check()).toBeNull();
    clock += 8_000;
    expect(follow.check()).toBeNull();
    expect(rows(ctx)[0]!.cost).toBeCloseTo(3, 9);
    // ...and ten seconds on, the dashboard prices it back to the usual table.
    clock += 2_000;
    expect(follow.check()).toEqual({ classes: false, figures: true });
    expect(rows(ctx)[0]!.cost).toBeCloseTo(1, 9);
    // The config file names a price file: the dashboard takes it, and its changes.
    const own = priceFile(join(dir, 'own.json'), 2);
    writeFileSync(config, JSON.stringify({ plan: 'pro', prices: own }));
    expect(follow.check()).toEqual({ classes: false, figures: true });
    expect(rows(ctx)[0]!.cost).toBeCloseTo(2, 9);
    priceFile(own, 4);
    expect(follow.check()).toEqual({ classes: false, figures: true });
    expect(rows(ctx)[0]!.cost).toBeCloseTo(4, 9);
    expect(ctx.prices.version).toBe(loadPriceTable(own).version);
    ctx.close();
  });

  it('started with a --prices of its own, leaves the store to the usual table of the other runs', async () => {
    const { dir, flags } = setup();
    const own = { ...flags, prices: priceFile(join(dir, 'team.json'), 2) };
    const ctx = openApp(own);
    await catchUp(ctx);
    expect(rows(ctx)[0]!.cost).toBeCloseTo(2, 9);
    let clock = 0;
    const follow = followSettings(ctx, own, () => clock);
    // A status line (the usual table) opens the store: it prices it back, and the dashboard lets it.
    applyPriceTable(ctx.db, loadPriceTable(null));
    for (let i = 0; i < 10; i++) {
      clock += 2_000;
      expect(follow.check()).toBeNull();
    }
    expect(rows(ctx)[0]!.cost).toBeCloseTo(1, 9);
    ctx.close();
  });
});
