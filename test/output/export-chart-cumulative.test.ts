import { describe, expect, it } from 'vitest';
import { cumulativeChart } from '../../src/output/export-chart-cumulative.js';
import { sampleSnapshot } from './sample-snapshot.js';

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
});
