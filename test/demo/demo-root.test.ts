import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp } from '../../src/app/context.js';
import { ensureDemoRoot, FIXTURE_HISTORY, MANIFEST_FILE, type GenerationManifest } from '../../src/demo/index.js';
import { catchUp } from '../../src/ingest/pipeline.js';
import { totals } from '../../src/store/queries.js';

const NOW = Date.parse('2026-11-20T15:00:00Z');
const DAY = 86_400_000;
let dir: string;
let savedTmp: string | undefined;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cm-demo-'));
  savedTmp = process.env.TMPDIR;
  // The demo cache lives under the OS temp dir: point it at this test's folder.
  process.env.TMPDIR = dir;
});

afterAll(() => {
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
  rmSync(dir, { recursive: true, force: true });
});

describe('ensureDemoRoot', () => {
  it('generates about three months ending now once a day, then reuses it', async () => {
    const root = await ensureDemoRoot(NOW);
    expect(root.startsWith(dir)).toBe(true);
    // A folder of this user's: on a shared machine another user's demo folder is not in the way.
    expect(root.startsWith(join(dir, `creditmeter-demo-${process.getuid!()}`))).toBe(true);
    const manifestPath = join(root, MANIFEST_FILE);
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as GenerationManifest;
    expect(manifest.endMs).toBe(NOW);
    expect(manifest.lastRequestMs).toBeLessThan(NOW);
    expect(manifest.firstRequestMs).toBeGreaterThanOrEqual(NOW - 93 * DAY);
    expect(existsSync(join(root, 'history.jsonl'))).toBe(true);
    const written = statSync(manifestPath).mtimeMs;
    expect(await ensureDemoRoot(NOW + 3_600_000)).toBe(root);
    expect(statSync(manifestPath).mtimeMs).toBe(written);
  });

  it('moves to a new root on another day and drops the old one', async () => {
    const first = await ensureDemoRoot(NOW);
    const next = await ensureDemoRoot(NOW + DAY);
    expect(next).not.toBe(first);
    expect(existsSync(first)).toBe(false);
    expect(existsSync(join(next, MANIFEST_FILE))).toBe(true);
  });

  it('looks like a heavy automation user on a $100 credit', async () => {
    const root = await ensureDemoRoot(NOW);
    writeFileSync(join(dir, 'config.json'), '{}');
    const ctx = openApp({ claudeDir: [root], db: join(dir, 'demo.db'), config: join(dir, 'config.json'), tz: 'UTC' });
    try {
      await catchUp(ctx);
      const cycle = { fromMs: Date.parse('2026-11-01T00:00:00Z'), toMs: NOW };
      const programmatic = totals(ctx.db, { ...cycle, classes: ['programmatic'] });
      const interactive = totals(ctx.db, { ...cycle, classes: ['interactive'] });
      // Projected to the cycle end, the programmatic spend lands near the $100 credit.
      const projected = programmatic.cost * (30 / ((NOW - cycle.fromMs) / DAY));
      expect(projected).toBeGreaterThan(50);
      expect(projected).toBeLessThan(130);
      expect(programmatic.requests).toBeGreaterThan(interactive.requests);
      expect(interactive.cost).toBeGreaterThan(0);
    } finally {
      ctx.close();
    }
  });
});

describe('FIXTURE_HISTORY', () => {
  it('is a fixed six-month range ending 2026-11-01 with a fixed seed', () => {
    expect(new Date(FIXTURE_HISTORY.endMs).toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect((FIXTURE_HISTORY.endMs - FIXTURE_HISTORY.startMs) / DAY).toBeGreaterThanOrEqual(180);
    expect(Object.isFrozen(FIXTURE_HISTORY)).toBe(true);
  });
});
