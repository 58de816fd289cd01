/**
 * `status` and `report` with nothing new skip their catch-up on the snapshot of the last
 * nothing-new one, and print exactly what a full run prints; anything new is still read first.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { appendFileSync, cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as pipeline from '../../src/ingest/pipeline.js';
import { isolateHome, runCli } from '../helpers/run-cli.js';
import { fixtureCase, tempDir } from '../ingest/helpers.js';
import { assistantLine } from '../ingest/lines.js';

const tmp = tempDir('cm-status-unchanged-');
let root: string;
let db: string;
let flags: string[];
const SESSION = '00000012-1111-4222-8333-000000000012';
const NOW = ['--now', '2025-10-20T12:00:00Z', '--tz', 'UTC'];

beforeAll(() => {
  isolateHome();
  root = join(tmp.dir, 'claude');
  cpSync(fixtureCase('pricing-features'), root, { recursive: true });
  db = join(tmp.dir, 'usage.db');
  const config = join(tmp.dir, 'config.json');
  writeFileSync(config, '{}');
  flags = ['--claude-dir', root, '--db', db, '--config', config];
});
afterAll(() => tmp.cleanup());

describe('status and report with nothing new', () => {
  const spy = vi.spyOn(pipeline, 'catchUp');
  afterAll(() => spy.mockRestore());

  it('print what a full run prints, skipping the catch-up once a run found nothing new', async () => {
    spy.mockClear();
    const first = await runCli(['status', '--json', ...NOW, ...flags]); // reads the transcript
    expect(first.code).toBe(0);
    expect(existsSync(`${db}-ingest.snapshot`)).toBe(false);
    const second = await runCli(['status', '--json', ...NOW, ...flags]); // nothing new: keeps the snapshot
    expect(spy).toHaveBeenCalledTimes(2);
    expect(existsSync(`${db}-ingest.snapshot`)).toBe(true);
    expect(existsSync(`${db}-buckets.json`)).toBe(true);
    const third = await runCli(['status', '--json', ...NOW, ...flags]);
    const report = await runCli(['report', '--by', 'model', ...flags]);
    expect(spy).toHaveBeenCalledTimes(2);
    expect(second.stdout).toBe(first.stdout);
    expect(third.stdout).toBe(first.stdout);
    expect(third.stderr).toBe('');
    expect(report.code).toBe(0);

    // Without the kept files the runs catch up again and print the same.
    rmSync(`${db}-ingest.snapshot`);
    rmSync(`${db}-buckets.json`);
    expect((await runCli(['report', '--by', 'model', ...flags])).stdout).toBe(report.stdout);
    expect(spy).toHaveBeenCalledTimes(3);
    // That report found nothing new and kept the snapshot for the status after it.
    expect((await runCli(['status', '--json', ...NOW, ...flags])).stdout).toBe(first.stdout);
    expect(spy).toHaveBeenCalledTimes(3);
  });

  it("reuse the forecast's paths of the last run, and answer the same without them or with a damaged file", async () => {
    const paths = `${db}-paths.bin`;
    rmSync(paths, { force: true });
    const fresh = await runCli(['status', '--json', ...NOW, ...flags]);
    expect(fresh.code).toBe(0);
    expect(JSON.parse(fresh.stdout).forecast.basis.method).toBe('resample');
    expect(existsSync(paths)).toBe(true);
    const kept = readFileSync(paths);
    const again = await runCli(['status', '--json', ...NOW, ...flags]);
    expect(again.stdout).toBe(fresh.stdout);
    // Served from the file: nothing new to write.
    expect(readFileSync(paths).equals(kept)).toBe(true);
    // Another instant draws other paths, kept beside the first.
    const later = await runCli(['status', '--json', '--now', '2025-10-21T09:00:00Z', '--tz', 'UTC', ...flags]);
    expect(later.code).toBe(0);
    expect(readFileSync(paths).length).toBeGreaterThan(kept.length);
    for (const damage of [Buffer.from('not a memo'), kept.subarray(0, kept.length - 9), Buffer.alloc(0)]) {
      writeFileSync(paths, damage);
      const run = await runCli(['status', '--json', ...NOW, ...flags]);
      expect(run.stdout).toBe(fresh.stdout);
      expect(run.stderr).toBe('');
    }
  });

  it('read a transcript that grew before they answer', async () => {
    await runCli(['status', '--json', ...NOW, ...flags]);
    const before = JSON.parse((await runCli(['status', '--json', ...NOW, ...flags])).stdout) as {
      programmatic: { requests: number };
      interactive: { requests: number };
      unknown: { requests: number };
    };
    appendFileSync(
      join(root, 'projects', '-home-u-proj', `${SESSION}.jsonl`),
      assistantLine({ session: SESSION, id: 'msg_unchanged_1', output: 5, minute: 30 }),
    );
    const after = JSON.parse((await runCli(['status', '--json', ...NOW, ...flags])).stdout) as typeof before;
    const count = (r: typeof before): number => r.programmatic.requests + r.interactive.requests + r.unknown.requests;
    expect(count(after)).toBe(count(before) + 1);
    expect((await runCli(['report', '--by', 'model', '--json', ...flags])).stdout).toMatch(/"requests"/);
  });

  it('catch up as before with --rebuild', async () => {
    await runCli(['status', '--json', ...NOW, ...flags]);
    spy.mockClear();
    const rebuilt = await runCli(['status', '--json', '--rebuild', ...NOW, ...flags]);
    expect(rebuilt.code).toBe(0);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('answer from the rows a new class mapping moved, not from the kept sums of the old one', async () => {
    const before = await runCli(['status', '--json', ...NOW, ...flags]);
    await runCli(['status', '--json', ...NOW, ...flags]);
    expect(existsSync(`${db}-buckets.json`)).toBe(true);
    const old = JSON.parse(before.stdout) as { programmatic: { cost: number }; interactive: { cost: number } };
    expect(old.programmatic.cost).toBeGreaterThan(0);
    const remap = join(tmp.dir, 'remap.json');
    writeFileSync(remap, JSON.stringify({ classes: { 'sdk-cli': 'interactive' } }));
    const withRemap = flags.map((f, i) => (flags[i - 1] === '--config' ? remap : f));
    const moved = await runCli(['status', '--json', ...NOW, ...withRemap]);
    expect(moved.code).toBe(0);
    const now = JSON.parse(moved.stdout) as typeof old & { credit: { used: number } };
    expect(now.programmatic.cost).toBe(0);
    expect(now.credit.used).toBe(0);
    expect(now.interactive.cost).toBeCloseTo(old.interactive.cost + old.programmatic.cost, 6);
    // And as a store that only ever knew that mapping says it, run after run; back again as before.
    expect((await runCli(['status', '--json', ...NOW, ...withRemap])).stdout).toBe(moved.stdout);
    expect((await runCli(['status', '--json', ...NOW, ...flags])).stdout).toBe(before.stdout);
  });
});
