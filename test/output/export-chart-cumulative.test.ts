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
});
