import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSnapshotText } from '../../src/app/export.js';
import { openApp } from '../../src/app/context.js';
import { buildStatus } from '../../src/services/status.js';
import { aggregate } from '../../src/store/queries.js';
import { cycleAt } from '../../src/domain/cycle.js';
import { formatPercent, formatUsd, formatUsdPrecise } from '../../src/domain/format.js';
import type { StatusReport } from '../../src/domain/status-types.js';
import { AWKWARD_PROJECT, NOW_MS, openFixtureStore, type FixtureStore } from './fixture-store.js';
import { CHARTS, externalReferences, parseDocument, type Doc } from './html-checks.js';

describe.each(['UTC', 'Asia/Tokyo'])('Markdown and HTML exports on a fixture store (%s)', (tz) => {
  let f: FixtureStore;
  let status: StatusReport;
  beforeAll(async () => {
    f = await openFixtureStore(tz);
    status = buildStatus(f.ctx.db, f.ctx.config.plan, f.ctx.prices.version, NOW_MS);
  });
  afterAll(() => f.cleanup());
  const models = () => {
    const c = cycleAt(NOW_MS, 15, tz);
    return aggregate(f.ctx.db, 'model', { fromMs: c.startMs, toMs: NOW_MS }, tz);
  };

  describe('Markdown', () => {
    let md = '';
    beforeAll(() => {
      md = buildSnapshotText(f.ctx, { format: 'md', nowMs: NOW_MS }).text;
    });

    it('has the credit, forecast, models, projects and sessions sections', () => {
      // The cycle's first and last days, as status names them (the stored end is the next start).
      expect(md.split('\n')[0]).toBe('# creditmeter snapshot: cycle 2026-08-15 to 2026-09-14');
      for (const h of ['## Credit', '## Forecast', '## Models', '## Top projects', '## Top sessions', '## Coverage'])
        expect(md).toContain(h);
      // Run-out times are percentiles of time: the row says which end its P10 is.
      expect(md).toContain('| Credit runs out (P10 earliest, P90 latest) |');
    });

    it('shows the numbers status computes', () => {
      expect(md).toContain(
        `${formatUsd(status.credit.used)} of ${formatUsd(status.cycle.credit)} (${formatPercent(status.credit.usedFraction)})`,
      );
      const f10 = status.forecast.cycleEndSpend;
      expect(md).toContain(
        `| Cycle-end spend | ${formatUsd(f10.p10)} | ${formatUsd(f10.p50)} | ${formatUsd(f10.p90)} |`,
      );
      expect(md).toContain(formatUsd(status.interactive.cost));
      // The fixture's one unpriced model, counted in words.
      expect(status.unpriced).toHaveLength(1);
      expect(md).toContain(' · 1 model without a price: their requests are counted apart, never as $0');
    });

    it('lists every model of the report with its cost', () => {
      for (const m of models()) {
        const line = md.split('\n').find((l) => l.startsWith(`| ${m.key.replace(/([_*[\]])/g, '\\$1')} |`));
        expect(line, m.key).toBeDefined();
        expect(line).toContain(formatUsdPrecise(m.cost));
      }
    });

    it('escapes the awkward project name inside its table row', () => {
      expect(md).toContain('/work/beta, "quoted" \\<b\\>\\&co\\|pipe');
    });
  });

  describe('HTML', () => {
    let html = '';
    let doc: Doc;
    beforeAll(() => {
      html = buildSnapshotText(f.ctx, { format: 'html', nowMs: NOW_MS }).text;
      doc = parseDocument(html);
    });

    it('draws every chart as inline SVG', () => {
      for (const chart of CHARTS) expect(doc.querySelector(`svg[data-chart="${chart}"]`), chart).not.toBeNull();
      expect(doc.querySelector('svg[data-chart="cumulative"] polyline.actual')).not.toBeNull();
      expect(doc.querySelector('svg[data-chart="cumulative"] polygon.band')).not.toBeNull();
      expect(doc.querySelector('svg[data-chart="cumulative"] .credit-line')).not.toBeNull();
      expect(doc.querySelectorAll('svg[data-chart="daily"] rect.cls-programmatic').length).toBeGreaterThanOrEqual(8);
      expect(doc.querySelectorAll('svg[data-chart="daily"] rect.cls-interactive').length).toBeGreaterThanOrEqual(8);
      expect(doc.querySelectorAll('svg[data-chart="models"] rect.cls-model')).toHaveLength(models().length);
    });

    it('references nothing outside the file', () => {
      expect(externalReferences(doc, html)).toEqual([]);
    });

    it('shows the status numbers in the gauge and the credit block', () => {
      const gauge = doc.querySelector('svg[data-chart="gauge"]')?.textContent ?? '';
      expect(gauge).toContain(formatPercent(status.credit.usedFraction));
      const credit = doc.querySelector('#credit')?.textContent ?? '';
      expect(credit).toContain(formatUsd(status.credit.used));
      expect(credit).toContain(formatUsd(status.forecast.cycleEndSpend.p50));
    });

    it('has one bar per model, longest for the most costly', () => {
      const widths = Array.from(doc.querySelectorAll('svg[data-chart="models"] rect.cls-model')).map((r) =>
        Number(r.getAttribute('width')),
      );
      expect(widths[0]).toBe(Math.max(...widths));
      const titles = Array.from(doc.querySelectorAll('svg[data-chart="models"] rect.cls-model title')).map(
        (t) => t.textContent ?? '',
      );
      expect(titles.map((t) => t.split(':')[0])).toEqual(models().map((m) => m.key));
    });

    it('shows the awkward project name as text', () => {
      expect(doc.querySelector('#projects')?.textContent).toContain(AWKWARD_PROJECT);
      expect(doc.querySelectorAll('b')).toHaveLength(0);
    });
  });
});

describe('Markdown and HTML exports of a past cycle', () => {
  let f: FixtureStore;
  beforeAll(async () => {
    f = await openFixtureStore('UTC');
  });
  afterAll(() => f.cleanup());

  it("gives how it ended, not today's burn rates or a forecast", () => {
    const current = cycleAt(NOW_MS, 15, 'UTC');
    const previous = { startMs: cycleAt(current.startMs - 1, 15, 'UTC').startMs, endMs: current.startMs };
    const md = buildSnapshotText(f.ctx, { format: 'md', nowMs: NOW_MS, cycle: previous }).text;
    const forecast = md.slice(md.indexOf('## Forecast'), md.indexOf('\n## ', md.indexOf('## Forecast') + 1));
    expect(forecast).toContain('Not applicable: the cycle has ended. Final spend $');
    expect(forecast).not.toMatch(/last hour|P50/);
    const currentMd = buildSnapshotText(f.ctx, { format: 'md', nowMs: NOW_MS }).text;
    expect(currentMd).toMatch(/Burn rate: \$[\d.,]+\/h last hour/);
    const credit = (html: string): string =>
      html.slice(
        html.indexOf('<section id="credit">'),
        html.indexOf('</section>', html.indexOf('<section id="credit">')),
      );
    const pastHtml = credit(buildSnapshotText(f.ctx, { format: 'html', nowMs: NOW_MS, cycle: previous }).text);
    expect(pastHtml).toContain('not applicable: the cycle has ended');
    expect(pastHtml).not.toMatch(/last hour|P10 \/ P50/);
    expect(credit(buildSnapshotText(f.ctx, { format: 'html', nowMs: NOW_MS }).text)).toMatch(/\/h last hour/);
    // The gauge and the chart's title speak of the final spend, not of a forecast.
    const whole = buildSnapshotText(f.ctx, { format: 'html', nowMs: NOW_MS, cycle: previous }).text;
    expect(whole).toMatch(/final spend \$/);
    expect(whole).not.toMatch(/P50 cycle end|forecast band/);
  });
});

describe('exports of an empty store', () => {
  it('render every format, with every chart, and say there are no requests', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cm-empty-'));
    mkdirSync(join(dir, 'claude', 'projects'), { recursive: true });
    writeFileSync(join(dir, 'config.json'), '{}');
    const ctx = openApp({
      config: join(dir, 'config.json'),
      db: join(dir, 'usage.db'),
      claudeDir: [join(dir, 'claude')],
      tz: 'Pacific/Kiritimati',
    });
    try {
      const html = buildSnapshotText(ctx, { format: 'html', nowMs: NOW_MS }).text;
      const doc = parseDocument(html);
      for (const chart of CHARTS) expect(doc.querySelector(`svg[data-chart="${chart}"]`), chart).not.toBeNull();
      expect(doc.querySelector('svg[data-chart="models"]')?.textContent).toContain('No requests');
      expect(html).not.toMatch(/NaN|Infinity|undefined/);
      const md = buildSnapshotText(ctx, { format: 'md', nowMs: NOW_MS }).text;
      expect(md).toContain('No requests.');
      expect(md).not.toMatch(/NaN|Infinity|undefined/);
      const json = JSON.parse(buildSnapshotText(ctx, { format: 'json', nowMs: NOW_MS }).text) as {
        totals: { requests: number };
        provenance: { coverage: { oldestRequest: string | null } };
      };
      expect(json.totals.requests).toBe(0);
      expect(json.provenance.coverage.oldestRequest).toBeNull();
      expect(buildSnapshotText(ctx, { format: 'csv', nowMs: NOW_MS }).text.split('\r\n')).toHaveLength(2);
    } finally {
      ctx.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
