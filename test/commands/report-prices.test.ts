import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { isolateHome, runCli } from '../helpers/run-cli.js';
import { insertRows } from '../store/queries-rows.js';

let dir = '';
let userPrices = '';
beforeAll(() => {
  dir = isolateHome();
  userPrices = path.join(dir, 'prices.json');
  writeFileSync(
    userPrices,
    JSON.stringify({
      models: [
        {
          id: 'my-model',
          aliases: ['mine'],
          rates: { input: 1, cacheWrite5m: 2, cacheWrite1h: 3, cacheRead: 0.5, output: 4 },
        },
      ],
    }),
  );
});

describe('creditmeter prices', () => {
  it('prints the bundled table with its version and hash', async () => {
    const r = await runCli(['prices']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Price table \d{4}-\d{2}-\d{2} \(sha256 [0-9a-f]{12}\)/);
    expect(r.stdout).toMatch(
      /\nclaude-opus-4-5-20251101\s+claude-opus-4-5\s+2025-11-24\s+-\s+5\s+6\.25\s+10\s+0\.5\s+25\s/,
    );
    expect(r.stdout).toMatch(/claude-sonnet-4-6 .*>200k: 6\/7\.5\/12\/0\.6\/22\.5 until 2026-03-13/);
  });

  it('prints JSON with the merged user rows and a user version', async () => {
    const r = await runCli(['prices', '--json', '--prices', userPrices]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      version: string;
      hash: string;
      webSearchUsdPerRequest: number;
      models: Array<{ id: string; origin: string }>;
    };
    expect(doc.version).toMatch(/\+user-[0-9a-f]{8}$/);
    expect(doc.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(doc.webSearchUsdPerRequest).toBe(0.01);
    expect(doc.models[0]).toMatchObject({ id: 'my-model', origin: 'user' });
    expect(doc.models.filter((m) => m.origin === 'bundled').length).toBeGreaterThan(20);
  });

  it('exits 2 with one sentence for a bad price file', async () => {
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ models: [{ id: 'x', rates: { input: 'cheap' } }] }));
    const r = await runCli(['prices', '--prices', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `creditmeter: In the price file ${bad}, models[0].rates.input must be a non-negative number (USD per million tokens).\n`,
    );
  });
});

describe('creditmeter reprice', () => {
  it('prices requests stored as unpriced once a price file knows the model, and --all recomputes', async () => {
    const dbPath = path.join(dir, 'store', 'usage.db');
    mkdirSync(path.dirname(dbPath), { recursive: true });
    const db = openDatabase(dbPath);
    insertRows(db, [
      { key: 'a', ts: '2026-06-01T00:00:00Z', model: 'mine', input: 1_000_000, output: 1_000_000, cost: null },
      { key: 'b', ts: '2026-06-01T00:00:00Z', model: 'other-unknown', input: 5, cost: null },
      { key: 'c', ts: '2026-06-01T00:00:00Z', model: 'claude-opus-4-7', input: 1_000_000, cost: 99 },
    ]);
    db.close();

    const stored = (): Array<{ key: string; cost: number | null; v: string | null }> => {
      const check = openDatabase(dbPath);
      try {
        return check.prepare('SELECT key, cost, price_version AS v FROM requests ORDER BY key').all() as Array<{
          key: string;
          cost: number | null;
          v: string | null;
        }>;
      } finally {
        check.close();
      }
    };
    const first = await runCli(['reprice', '--db', dbPath, '--prices', userPrices]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Warning: 1 requests are still unpriced, no price for: other-unknown (1)');
    // A file given to this run alone is undone by the next command without it: said, with the way to keep it.
    expect(first.stdout.replace(/\n/g, ' ')).toContain(
      `Every command prices the store with its own table: give --prices to each, or keep the file for all with: creditmeter config set prices ${userPrices}`,
    );
    // 1M input at $1/M + 1M output at $4/M under the user file; opus at its $5/M list price.
    expect(stored().map((r) => [r.key, r.cost])).toEqual([
      ['a', 5],
      ['b', null],
      ['c', 5],
    ]);
    const all = await runCli(['reprice', '--all', '--db', dbPath]);
    expect(all.code).toBe(0);

    // Without the user file, "mine" is unknown again and opus stays at its list price.
    expect(stored()).toEqual([
      { key: 'a', cost: null, v: null },
      { key: 'b', cost: null, v: null },
      { key: 'c', cost: 5, v: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) },
    ]);
  });
});
