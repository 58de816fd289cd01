import { mkdirSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSnapshotText } from '../../src/app/export.js';
import { buildStatus } from '../../src/services/status.js';
import { priceTableHash } from '../../src/app/prices.js';
import { aggregate, totals } from '../../src/store/queries.js';
import { coverage } from '../../src/store/coverage.js';
import { cycleAt } from '../../src/domain/cycle.js';
import { roundUsd } from '../../src/domain/format.js';
import type { AggregateRow } from '../../src/domain/types.js';
import type { Provenance, SnapshotView } from '../../src/output/export-types.js';
import type { StatusReport } from '../../src/domain/status-types.js';
import { NOW_MS, openFixtureStore, type FixtureStore } from './fixture-store.js';
import { isolateHome, runCli } from '../helpers/run-cli.js';

interface JsonSnapshot {
  schema: string;
  provenance: Provenance;
  view: SnapshotView;
  status: StatusReport;
  totals: AggregateRow;
  byModel: AggregateRow[];
  byDay: AggregateRow[];
  byProject: AggregateRow[];
  byEntrypoint: AggregateRow[];
  bySession: AggregateRow[];
  dailySpend: Array<{ day: string; programmatic: number; interactive: number; unknown: number }>;
}

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
const rounded = (rows: AggregateRow[]): AggregateRow[] => rows.map((r) => ({ ...r, cost: roundUsd(r.cost) }));

describe.each(['UTC', 'Pacific/Kiritimati'])('JSON export on a fixture store (%s)', (tz) => {
  let f: FixtureStore;
  let json: JsonSnapshot;
  beforeAll(async () => {
    f = await openFixtureStore(tz);
    json = JSON.parse(buildSnapshotText(f.ctx, { format: 'json', nowMs: NOW_MS }).text) as JsonSnapshot;
  });
  afterAll(() => f.cleanup());

  const cycleFilter = (): { fromMs: number; toMs: number } => ({
    fromMs: cycleAt(NOW_MS, 15, tz).startMs,
    toMs: NOW_MS,
  });

  it('carries the status object exactly as status computes it', () => {
    expect(json.status).toEqual(buildStatus(f.ctx.db, f.ctx.config.plan, f.ctx.prices.version, NOW_MS));
    expect(json.status.programmatic.cost).toBeGreaterThan(0);
  });

  it('has the per-model, per-day, per-project, per-entrypoint and per-session rows of the report', () => {
    const db = f.ctx.db;
    expect(json.byModel).toEqual(rounded(aggregate(db, 'model', cycleFilter(), tz)));
    expect(json.byDay).toEqual(rounded(aggregate(db, 'day', cycleFilter(), tz)));
    expect(json.byProject).toEqual(rounded(aggregate(db, 'project', cycleFilter(), tz)));
    expect(json.byEntrypoint).toEqual(rounded(aggregate(db, 'entrypoint', cycleFilter(), tz)));
    expect(json.bySession).toEqual(rounded(aggregate(db, 'session', cycleFilter(), tz)));
    expect(json.totals).toEqual(rounded([totals(db, cycleFilter())])[0]);
    expect(json.byModel.map((r) => r.key)).toContain('claude-future-9');
  });

  it('agrees with status: the rows hold the cycle up to now, every class', () => {
    const s = json.status;
    expect(json.totals.requests).toBe(s.programmatic.requests + s.interactive.requests + s.unknown.requests);
    expect(json.totals.cost).toBeCloseTo(s.programmatic.cost + s.interactive.cost + s.unknown.cost, 5);
    const programmaticDays = json.dailySpend.reduce((sum, d) => sum + d.programmatic, 0);
    expect(programmaticDays).toBeCloseTo(s.programmatic.cost, 5);
    expect(json.dailySpend.length).toBeGreaterThanOrEqual(28);
  });

  it('fills the provenance', () => {
    const p = json.provenance;
    const cov = coverage(f.ctx.db);
    expect(p.creditmeterVersion).toBe(pkg.version);
    expect(Math.abs(Date.parse(p.generatedAt) - Date.now())).toBeLessThan(60_000);
    expect(p.timezone).toBe(tz);
    expect(p.roots).toEqual([f.root]);
    expect(p.priceTable).toEqual({ version: f.ctx.prices.version, hash: priceTableHash(f.ctx.prices) });
    expect(p.priceTable.hash.length).toBeGreaterThanOrEqual(8);
    const c = p.coverage;
    expect(c.files).toBe(4);
    expect(c.lines).toBe(cov.lines);
    expect(c.lines).toBeGreaterThan(80);
    expect(c.requests).toBe(cov.requests);
    expect(c.duplicatesReplaced).toBeGreaterThanOrEqual(1);
    expect(c.skippedLines['malformed-json']).toBe(1);
    // Reasons that did not occur are listed with 0, not left out.
    expect(c.skippedLines['not-an-object']).toBe(0);
    expect(c.skippedLines['line-too-long']).toBe(0);
    expect(c.unpriced).toEqual([{ model: 'claude-future-9', requests: 1, tokens: 40 + 500 + 20_000 + 3_000 }]);
    expect(c.oldestRequest).toBe('2026-08-08T15:00:00.000Z');
    expect(Date.parse(c.newestRequest ?? '')).toBeGreaterThan(NOW_MS);
    expect(c.oldestTranscriptOnDisk).not.toBeNull();
    // Of the whole store (a snapshot is of one cycle): said so, with what to do.
    expect(c.warnings).toContain(
      'The store holds 1 request (in any cycle) of a model without a price (claude-future-9), left out of every cost: add the model to a price file (--prices), and the next run prices them.',
    );
    expect(c.warnings.some((w) => w.includes('30 days'))).toBe(false);
  });

  it('says what view it is', () => {
    expect(json.schema).toBe('creditmeter.snapshot/1');
    expect(json.view).toMatchObject({ classFilter: 'all', grouping: 'model', textFilter: null });
    expect(json.view.drill).toEqual(NO_DRILL);
    expect(Date.parse(json.view.to)).toBe(NOW_MS);
  });
});

/** Every drill-down key of the JSON snapshot, none set. */
const NO_DRILL = {
  day: null,
  model: null,
  project: null,
  branch: null,
  sessionId: null,
  entrypoint: null,
  user: null,
  repo: null,
  workflow: null,
  runId: null,
  host: null,
  source: null,
};

describe('JSON export of a narrowed view', () => {
  let f: FixtureStore;
  beforeAll(async () => {
    f = await openFixtureStore('Europe/Berlin', {}, (root) => {
      // The oldest transcript on disk is 27 days old: close to Claude Code's 30-day cleanup.
      const old = (Date.now() - 27 * 86_400_000) / 1000;
      utimesSync(join(root, 'projects', '-work-gamma', 'dddddddd-0000-4000-8000-000000000004.jsonl'), old, old);
    });
  });
  afterAll(() => f.cleanup());

  it('applies class, drill-down and text filter to the rows, not to the status', () => {
    const full = JSON.parse(buildSnapshotText(f.ctx, { format: 'json', nowMs: NOW_MS }).text) as JsonSnapshot;
    const view = JSON.parse(
      buildSnapshotText(f.ctx, {
        format: 'json',
        nowMs: NOW_MS,
        classFilter: 'programmatic',
        drill: { project: '/work/alpha' },
        textFilter: 'haiku',
        grouping: 'day',
      }).text,
    ) as JsonSnapshot;
    expect(view.status).toEqual(full.status);
    expect(view.byModel.map((r) => r.key)).toEqual(['claude-haiku-4-5-20251001']);
    expect(view.byProject.map((r) => r.key)).toEqual(['/work/alpha']);
    expect(view.view).toMatchObject({ classFilter: 'programmatic', grouping: 'day', textFilter: 'haiku' });
    expect(view.view.drill).toEqual({ ...NO_DRILL, project: '/work/alpha' });
    expect(view.totals.cost).toBeLessThan(full.totals.cost);
  });

  it('warns when the oldest transcript on disk nears the 30-day cleanup', () => {
    const json = JSON.parse(buildSnapshotText(f.ctx, { format: 'json', nowMs: NOW_MS }).text) as JsonSnapshot;
    expect(json.provenance.coverage.warnings.some((w) => /27 days old.*30 days/.test(w))).toBe(true);
  });

  it('exports a previous cycle whole', () => {
    const plan = f.ctx.config.plan;
    const current = cycleAt(NOW_MS, plan.cycleStartDay, plan.tz);
    const previous = {
      startMs: cycleAt(current.startMs - 1, plan.cycleStartDay, plan.tz).startMs,
      endMs: current.startMs,
    };
    const json = JSON.parse(
      buildSnapshotText(f.ctx, { format: 'json', nowMs: NOW_MS, cycle: previous }).text,
    ) as JsonSnapshot;
    expect(json.status.cycle.start.slice(0, 10)).toBe('2026-07-15');
    expect(Date.parse(json.view.to)).toBe(previous.endMs);
    expect(json.totals.requests).toBe(
      json.status.programmatic.requests + json.status.interactive.requests + json.status.unknown.requests,
    );
    expect(json.totals.requests).toBeGreaterThan(0);
  });
});

describe('JSON export of an empty store', () => {
  let home: string;
  beforeAll(() => {
    home = isolateHome();
    mkdirSync(join(home, 'claude', 'projects'), { recursive: true });
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('still writes every documented provenance and coverage key (zeros, nulls, empty lists)', async () => {
    const r = await runCli([
      'export',
      '--format',
      'json',
      '--out',
      '-',
      '--db',
      join(home, 'usage.db'),
      '--claude-dir',
      join(home, 'claude'),
      '--tz',
      'UTC',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as JsonSnapshot;
    expect(Object.keys(json.provenance).sort()).toEqual([
      'coverage',
      'creditmeterVersion',
      'generatedAt',
      'priceTable',
      'roots',
      'telemetry',
      'timezone',
    ]);
    expect(json.provenance.telemetry).toEqual({
      counts: {},
      telemetryOnlyRequests: 0,
      ownCost: { requests: 0, creditmeterCost: 0, claudeCodeCost: 0, difference: 0 },
    });
    expect(json.provenance.coverage).toEqual({
      files: 0,
      missingFiles: 0,
      lines: 0,
      requests: 0,
      duplicatesReplaced: 0,
      duplicatesDropped: 0,
      noIdLines: 0,
      skippedLines: {
        'malformed-json': 0,
        'not-an-object': 0,
        'bad-usage': 0,
        'missing-model': 0,
        'missing-timestamp': 0,
        'bad-timestamp': 0,
        'implausible-timestamp': 0,
        'line-too-long': 0,
        'blank-line': 0,
      },
      unpriced: [],
      oldestRequest: null,
      newestRequest: null,
      oldestTranscriptOnDisk: null,
      warnings: [],
    });
    expect(json.view.drill).toEqual(NO_DRILL);
    expect(json.byModel).toEqual([]);
    expect(json.totals).toMatchObject({ requests: 0, cost: 0 });
  });
});
