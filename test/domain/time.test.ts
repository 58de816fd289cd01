import { describe, expect, it } from 'vitest';
import { DateTime } from '../../src/domain/luxon.js';
import { dayRanges, type DayRange } from '../../src/domain/time.js';
import { Rng } from '../../src/demo/prng.js';

/** The days of `tz` over [fromMs, toMs) stepped with luxon, one day at a time (the general way). */
function reference(fromMs: number, toMs: number, tz: string): DayRange[] {
  const out: DayRange[] = [];
  let cur = DateTime.fromMillis(fromMs, { zone: tz }).startOf('day');
  while (cur.toMillis() < toMs) {
    const next = cur.plus({ days: 1 });
    out.push({ day: cur.toISODate() ?? '', startMs: cur.toMillis(), endMs: next.toMillis() });
    cur = next;
  }
  return out;
}

describe('dayRanges', () => {
  it('gives the days luxon steps through, in fixed offsets (counted) and in zones with daylight saving', () => {
    const rng = new Rng(7, 'day-ranges');
    const zones = ['UTC', 'utc', 'UTC+5:30', 'UTC-3', 'UTC+14', 'Etc/UTC', 'Europe/Paris', 'America/Los_Angeles'];
    const base = Date.UTC(2025, 0, 1);
    for (let i = 0; i < 300; i++) {
      const from = base + Math.floor((rng.u32() / 2 ** 32) * 700 * 86_400_000);
      const to = from + Math.floor((rng.u32() / 2 ** 32) * 120 * 86_400_000);
      const tz = zones[i % zones.length]!;
      expect(dayRanges(from, to, tz), `${tz} ${from} ${to}`).toEqual(reference(from, to, tz));
    }
  });

  it('keeps 23- and 25-hour days across daylight-saving changes', () => {
    const days = dayRanges(Date.UTC(2026, 2, 28), Date.UTC(2026, 2, 31), 'Europe/Paris');
    expect(days.map((d) => (d.endMs - d.startMs) / 3_600_000)).toEqual([24, 23, 24, 24]);
    expect(days.map((d) => d.day)).toEqual(['2026-03-28', '2026-03-29', '2026-03-30', '2026-03-31']);
  });
});
