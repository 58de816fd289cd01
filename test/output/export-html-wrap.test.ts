import { describe, expect, it } from 'vitest';
import { escapeControls } from '../../src/domain/escape-controls.js';
import { renderHtml } from '../../src/output/export-html.js';
import type { Snapshot } from '../../src/output/export-types.js';
import { parseDocument, type El } from './html-checks.js';
import { sampleSnapshot } from './sample-snapshot.js';

/** A day or a date-time as the page writes them: 2026-12-06, 2026-12-06 18:08. */
const STAMP = /\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2})?/g;

/** The snapshot of the tester's page: the credit runs out at three different date-times. */
function threeRunOuts(): Snapshot {
  const s = sampleSnapshot();
  const st = s.status;
  return {
    ...s,
    view: { ...s.view, grouping: 'day' },
    groups: { ...s.groups, day: s.groups.day ?? [] },
    status: {
      ...st,
      now: '2026-09-03T12:00:00.000+02:00',
      credit: { ...st.credit, used: 20, exhaustedAt: null },
      forecast: {
        ...st.forecast,
        exhaustionAt: {
          p10: '2026-09-06T18:08:00.000+02:00',
          p50: '2026-09-16T08:00:00.000+02:00',
          p90: '2026-09-28T23:59:00.000+02:00',
        },
      },
    },
  };
}

/** Dates and date-times in `el`'s text that a line may break inside: those not within a `.nw` element. */
function breakableStamps(el: El): string[] {
  const left: string[] = [...((el.textContent ?? '').match(STAMP) ?? [])];
  for (const kept of Array.from(el.querySelectorAll('.nw')))
    for (const m of (kept.textContent ?? '').match(STAMP) ?? []) {
      const i = left.indexOf(m);
      if (i >= 0) left.splice(i, 1);
    }
  return left;
}

describe('HTML export: a date-time never wraps inside itself', () => {
  const html = renderHtml(threeRunOuts());
  const doc = parseDocument(html);
  const dd = (label: string): El | undefined =>
    Array.from(doc.querySelectorAll('dt'))
      .map((dt, i) => ({ dt, dd: doc.querySelectorAll('dd')[i] }))
      .find((p) => p.dt.textContent === label)?.dd;

  it('keeps each run-out date-time whole and lets the line break between them', () => {
    const runsOut = dd('Runs out P10 (earliest) / P50 / P90 (latest)');
    expect(runsOut?.textContent).toBe('2026-09-06 18:08 / 2026-09-16 08:00 / 2026-09-28 23:59');
    const whole = Array.from(runsOut?.querySelectorAll('.nw') ?? []).map((n) => n.textContent);
    expect(whole).toEqual(['2026-09-06 18:08', '2026-09-16 08:00', '2026-09-28 23:59']);
  });

  it('keeps every date in the header, the credit, the provenance and a by-day table whole', () => {
    for (const sel of ['header', '#credit dl', '#provenance dl', '#by-day table']) {
      const el = doc.querySelector(sel);
      expect(el, sel).not.toBeNull();
      if (el === null) continue;
      expect((el.textContent ?? '').match(STAMP)?.length ?? 0, sel).toBeGreaterThan(0);
      expect(breakableStamps(el), sel).toEqual([]);
    }
  });

  it('styles the kept text as not wrapping, even in a table key cell that may otherwise break a long word', () => {
    const css = doc.querySelector('style')?.textContent ?? '';
    const rules = [...css.matchAll(/([^{}]*)\{([^}]*)\}/g)].filter(([, sel]) => /(^|[\s,])\.nw\b/.test(sel ?? ''));
    const body = rules.map(([, , b]) => b).join(';');
    expect(body).toMatch(/white-space:\s*nowrap/);
    // td.key may break a long word (overflow-wrap), which white-space: nowrap alone does not undo.
    expect(body).toMatch(/overflow-wrap:\s*normal/);
  });
});

describe('HTML export: a narrow window', () => {
  const s = sampleSnapshot();
  const html = renderHtml(s);
  const doc = parseDocument(html);

  it('breaks a table key only after its separators, and the text stays the name', () => {
    const cells = Array.from(doc.querySelectorAll('#models td.key'));
    expect(cells.length).toBeGreaterThan(0);
    // (Shown as the reports show it: a control character in a name reads `\u{1b}`.)
    expect(cells.map((c) => c.textContent)).toEqual(
      s.groups.model.slice(0, cells.length).map((r) => escapeControls(r.key)),
    );
    const name = s.groups.model.map((r) => r.key).find((k) => /^[a-z0-9]+(-[a-z0-9]+)+$/.test(k))!;
    expect(html).toContain(`<td class="key">${name.replace(/-/g, '-<wbr>')}</td>`);
    const css = doc.querySelector('style')?.textContent ?? '';
    expect(css).toMatch(/td\.key \{ overflow-wrap: break-word; \}/);
    expect(css).not.toMatch(/anywhere/);
  });

  it('keeps the charts wide enough to read, the section scrolling, below 600 px', () => {
    const css = doc.querySelector('style')?.textContent ?? '';
    const narrow = css.slice(css.indexOf('@media (max-width: 600px)'));
    expect(narrow).toMatch(/svg\.chart:not\(\.chart-gauge\) \{ min-width: 600px; \}/);
    expect(css).toMatch(/section \{[^}]*overflow-x: auto/);
  });
});

describe('an empty view', () => {
  it('says once that the models section has no requests', () => {
    const s = sampleSnapshot();
    const html = renderHtml({ ...s, groups: { ...s.groups, model: [] } });
    const models = /<section id="models">[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
    expect(models.match(/No requests in this view\./g)).toHaveLength(1);
  });
});
