import { describe, expect, it } from 'vitest';
import type { StatusReport } from '../../src/domain/status-types.js';
import { cumulativeChart } from '../../src/output/export-chart-cumulative.js';
import { parseDocument, type El } from './html-checks.js';
import { sampleSnapshot } from './sample-snapshot.js';

/**
 * The tester's page: a $20 credit that ran out at Dec 6 18:08, a few hours before now, with a P90
 * of $244 at the cycle end; $3.50 a day of spend.
 */
function ranOutToday(): { status: StatusReport; daily: Array<{ day: string; cost: number }> } {
  const s = sampleSnapshot().status;
  const out = '2026-12-06T18:08:00.000Z';
  const status: StatusReport = {
    ...s,
    now: '2026-12-06T21:00:00.000Z',
    cycle: {
      ...s.cycle,
      start: '2026-12-01T00:00:00.000Z',
      end: '2027-01-01T00:00:00.000Z',
      timezone: 'UTC',
      credit: 20,
    },
    credit: { ...s.credit, used: 21, exhaustedAt: out, overage: 1 },
    forecast: {
      ...s.forecast,
      cycleEndSpend: { p10: 120, p50: 170, p90: 244 },
      exhaustionAt: { p10: out, p50: out, p90: out },
    },
  };
  const daily = Array.from({ length: 31 }, (_, i) => ({
    day: `2026-12-${String(i + 1).padStart(2, '0')}`,
    cost: i < 6 ? 3.5 : 0,
  }));
  return { status, daily };
}

const num = (el: El, name: string): number => Number(el.getAttribute(name));

/** The drawn lines of a chart as segments: data, forecast, now, credit and run-out lines (not the grid). */
function segments(svg: El): Array<[number, number, number, number]> {
  const out: Array<[number, number, number, number]> = [];
  for (const l of Array.from(svg.querySelectorAll('line'))) {
    if (/\b(grid|tick|axis-line)\b/.test(l.getAttribute('class') ?? '')) continue;
    out.push([num(l, 'x1'), num(l, 'y1'), num(l, 'x2'), num(l, 'y2')]);
  }
  for (const p of Array.from(svg.querySelectorAll('polyline'))) {
    const pts = (p.getAttribute('points') ?? '').split(' ').map((xy) => xy.split(',').map(Number));
    for (let i = 1; i < pts.length; i++) {
      const [a, b] = [pts[i - 1] ?? [], pts[i] ?? []];
      out.push([a[0] ?? 0, a[1] ?? 0, b[0] ?? 0, b[1] ?? 0]);
    }
  }
  return out;
}

/**
 * The area each label inside the plot covers, from its anchor and an 11 px font: 0.58 em a
 * character (Chromium draws them at about 0.53), cap height above the baseline, descenders below.
 */
function labelBoxes(svg: El): Array<{ text: string; x1: number; x2: number; y1: number; y2: number }> {
  return Array.from(svg.querySelectorAll('text'))
    .filter((t) => /label-|\bplate\b/.test(t.getAttribute('class') ?? '') || t.textContent === 'now')
    .map((t) => {
      const text = t.textContent ?? '';
      const w = text.length * 11 * 0.58;
      const anchor = t.getAttribute('text-anchor');
      const x = num(t, 'x');
      const x1 = anchor === 'end' ? x - w : anchor === 'middle' ? x - w / 2 : x;
      return { text, x1, x2: x1 + w, y1: num(t, 'y') - 8, y2: num(t, 'y') + 2.5 };
    });
}

/** Label texts some line is drawn across (sampled every 0.25 units along each line). */
function struckLabels(svg: string): string[] {
  const el = parseDocument(`<!DOCTYPE html><html><body>${svg}</body></html>`).querySelector('svg');
  if (el === null) throw new Error('no svg');
  const hit = new Set<string>();
  for (const box of labelBoxes(el)) {
    for (const [x1, y1, x2, y2] of segments(el)) {
      const steps = Math.ceil(Math.hypot(x2 - x1, y2 - y1) * 4);
      for (let i = 0; i <= steps; i++) {
        const x = x1 + ((x2 - x1) * i) / Math.max(1, steps);
        const y = y1 + ((y2 - y1) * i) / Math.max(1, steps);
        if (x > box.x1 && x < box.x2 && y > box.y1 && y < box.y2) hit.add(`${box.text} (line ${x1},${y1} ${x2},${y2})`);
      }
    }
  }
  return [...hit];
}

/** The largest value on the y axis: the labels left of the plot read $0 ... $top. */
function axisTop(svg: string): string | undefined {
  return [...svg.matchAll(/class="axis" text-anchor="end">([^<]+)</g)].map((m) => m[1]).at(-1);
}

describe('the cumulative chart of the HTML export', () => {
  it('marks a run-out before now as what happened, and one after now as the P50 forecast', () => {
    const s = sampleSnapshot();
    // The credit ran out on Sep 16; the snapshot is of Sep 21.
    const past = cumulativeChart(s.status, s.creditDaily);
    expect(past).toContain('ran out Sep 16 08:00');
    expect(past).not.toContain('P50 runs out');
    const early = { ...s.status, now: '2026-09-10T12:00:00.000+02:00' };
    const ahead = cumulativeChart(early, s.creditDaily);
    expect(ahead).toContain('P50 runs out Sep 16 08:00');
  });

  it('draws the overage cap where usage credits stop billing, only when there is one', () => {
    const s = sampleSnapshot();
    expect(cumulativeChart(s.status, s.creditDaily)).not.toContain('overage cap');
    const capped = { ...s.status, credit: { ...s.status.credit, overageCap: 50 } };
    const svg = cumulativeChart(capped, s.creditDaily);
    // Credit $100 + cap $50: the line sits at $150, inside the axis, which reaches above it.
    expect(svg).toContain('credit + overage cap $150');
    expect(svg.match(/class="credit-line"/g)).toHaveLength(2);
    // A cap of 0 bills nothing beyond the credit: the credit line says it all.
    const zero = { ...s.status, credit: { ...s.status.credit, overageCap: 0 } };
    expect(cumulativeChart(zero, s.creditDaily).match(/class="credit-line"/g)).toHaveLength(1);
    // A cycle whose spend stays under the credit shows no cap line.
    const under = {
      ...capped,
      credit: { ...capped.credit, used: 40 },
      forecast: { ...capped.forecast, cycleEndSpend: { p10: 50, p50: 60, p90: 70 } },
    };
    expect(cumulativeChart(under, s.creditDaily)).not.toContain('overage cap');
  });

  it('draws no line across a label: not the spend line, not the now line, not the credit line', () => {
    const t = ranOutToday();
    const s = sampleSnapshot();
    const st = s.status;
    const cases: Array<[string, StatusReport, ReadonlyArray<{ day: string; cost: number }>]> = [
      ['ran out hours before now, small credit', t.status, t.daily],
      ['ran out days before now', st, s.creditDaily],
      [
        'ran out on the first morning',
        {
          ...t.status,
          credit: { ...t.status.credit, exhaustedAt: '2026-12-01T03:00:00.000Z' },
          forecast: {
            ...t.status.forecast,
            exhaustionAt: {
              p10: '2026-12-01T03:00:00.000Z',
              p50: '2026-12-01T03:00:00.000Z',
              p90: '2026-12-01T03:00:00.000Z',
            },
          },
        },
        t.daily,
      ],
      // Now a day into the cycle: the now line passes where the credit label used to be.
      [
        'now early, P50 runs out later',
        {
          ...st,
          now: '2026-09-02T06:00:00.000+02:00',
          credit: { ...st.credit, used: 4, exhaustedAt: null },
          forecast: {
            ...st.forecast,
            exhaustionAt: { p10: '2026-09-20T08:00:00.000+02:00', p50: '2026-09-24T08:00:00.000+02:00', p90: null },
          },
        },
        s.creditDaily,
      ],
      // The credit line just under the top of the axis, where the now label sits.
      [
        'credit near the top',
        {
          ...st,
          now: '2026-09-10T12:00:00.000+02:00',
          cycle: { ...st.cycle, credit: 98 },
          credit: { ...st.credit, used: 50, exhaustedAt: null },
          forecast: {
            ...st.forecast,
            cycleEndSpend: { p10: 60, p50: 75, p90: 90 },
            exhaustionAt: { p10: null, p50: null, p90: null },
          },
        },
        s.creditDaily,
      ],
      ['with the overage cap', { ...st, credit: { ...st.credit, overageCap: 50 } }, s.creditDaily],
      // The P50 ends just over the credit and runs out on the last day: the run-out line stands
      // at the right end, where the P50 label sat.
      [
        'P50 runs out on the last day',
        {
          ...st,
          now: '2026-09-19T12:00:00.000+02:00',
          cycle: { ...st.cycle, credit: 100 },
          credit: { ...st.credit, used: 69, exhaustedAt: null },
          forecast: {
            ...st.forecast,
            cycleEndSpend: { p10: 75, p50: 101, p90: 157 },
            exhaustionAt: { p10: '2026-09-24T15:00:00.000+02:00', p50: '2026-09-30T03:14:00.000+02:00', p90: null },
          },
        },
        s.creditDaily,
      ],
    ];
    for (const [name, status, daily] of cases) {
      const svg = cumulativeChart(status, daily);
      expect(svg, name).toContain('credit $');
      expect(struckLabels(svg), name).toEqual([]);
    }
  });

  it('keeps the labels inside the plot, clear of the y axis and of each other', () => {
    const t = ranOutToday();
    const early = { ...t.status, credit: { ...t.status.credit, exhaustedAt: '2026-12-01T03:00:00.000Z' } };
    const out = '2026-12-01T03:00:00.000Z';
    for (const status of [
      t.status,
      { ...early, forecast: { ...early.forecast, exhaustionAt: { p10: out, p50: out, p90: out } } },
    ]) {
      const svg = cumulativeChart(status, t.daily);
      const el = parseDocument(`<!DOCTYPE html><html><body>${svg}</body></html>`).querySelector('svg');
      const left = Math.min(...Array.from(el?.querySelectorAll('line.grid') ?? []).map((g) => num(g, 'x1')));
      const boxes = el === null ? [] : labelBoxes(el);
      expect(boxes.length).toBe(4);
      for (const b of boxes) expect(b.x1, b.text).toBeGreaterThanOrEqual(left);
      for (const a of boxes)
        for (const b of boxes)
          if (a !== b)
            expect(a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2, `${a.text} / ${b.text}`).toBe(false);
    }
  });

  it('tops the y axis just above the largest value drawn, not at double it', () => {
    const t = ranOutToday();
    // P90 $244 is the largest: $250, where the old rule (5% headroom, then 1-2-2.5-5) gave $500.
    expect(axisTop(cumulativeChart(t.status, t.daily))).toBe('$250');
    const s = sampleSnapshot();
    // P90 $200 of the sample: the axis may not cut it off, and needs no more than one step above.
    expect(axisTop(cumulativeChart(s.status, s.creditDaily))).toBe('$250');
    // Spend and forecast far under the credit: the credit line is the largest thing drawn.
    const under = {
      ...s.status,
      credit: { ...s.status.credit, used: 10, exhaustedAt: null },
      forecast: { ...s.status.forecast, cycleEndSpend: { p10: 12, p50: 15, p90: 20 } },
    };
    expect(axisTop(cumulativeChart(under, s.creditDaily))).toBe('$120');
  });
});
