import { describe, expect, it } from 'vitest';
import { DateTime } from '../../src/domain/luxon.js';
import { dayRanges, endOfDay, periodRanges, type DayRange } from '../../src/domain/time.js';
import { Rng } from '../../src/demo/prng.js';
import { buildDayPool, DEFAULT_POOL } from '../../src/domain/forecast-history.js';
import { parseTzif } from '../../src/domain/tzif.js';
import { RulesZone } from '../../src/domain/luxon.js';
import { existsSync, readFileSync } from 'node:fs';

/** The days of `tz` over [fromMs, toMs) stepped with luxon, one day at a time (the general way). */
function reference(fromMs: number, toMs: number, tz: string): DayRange[] {
  const out: DayRange[] = [];
  let cur = DateTime.fromMillis(fromMs, { zone: tz }).startOf('day');
  while (cur.toMillis() < toMs) {
    // Each next day from its own start: a day on from 01:00 (a skipped midnight) is not one.
    const next = cur.plus({ days: 1 }).startOf('day');
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

  it('gives the days luxon steps through in zones that change at midnight, skip a day or shift by half an hour', () => {
    // Santiago, Havana, Beirut, Asuncion, Cairo and São Paulo (until 2019) move their clocks at
    // midnight, so some days start at 01:00; Apia skipped 30 December 2011; Lord Howe moves by 30
    // minutes; Casablanca leaves daylight saving for Ramadan. Offsets from Intl, and from the zone's
    // TZif file as the app reads them (both kinds of zone luxon is given).
    const names = [
      'America/Santiago',
      'America/Havana',
      'Asia/Beirut',
      'America/Asuncion',
      'Africa/Cairo',
      'America/Sao_Paulo',
      'Pacific/Apia',
      'Australia/Lord_Howe',
      'Africa/Casablanca',
      'America/New_York',
      'Asia/Kolkata',
      'Europe/Dublin',
    ];
    const zones: (string | RulesZone)[] = [...names];
    for (const name of names) {
      const file = `/usr/share/zoneinfo/${name}`;
      if (existsSync(file)) zones.push(new RulesZone(name, parseTzif(readFileSync(file))!));
    }
    const rng = new Rng(11, 'day-ranges-midnight');
    const base = Date.UTC(2005, 0, 1);
    for (let i = 0; i < 600; i++) {
      const from = base + Math.floor((rng.u32() / 2 ** 32) * 25 * 365 * 86_400_000);
      const to = from + Math.floor((rng.u32() / 2 ** 32) * 400 * 86_400_000);
      const zone = zones[i % zones.length]!;
      const tz = zone as string; // luxon takes a Zone wherever it takes a zone's name
      const name = typeof zone === 'string' ? zone : `${zone.name} (TZif)`;
      expect(dayRanges(from, to, tz), `${name} ${from} ${to}`).toEqual(reference(from, to, tz));
    }
    const apia = dayRanges(Date.UTC(2011, 11, 28), Date.UTC(2012, 0, 1), 'Pacific/Apia').map((d) => d.day);
    expect(apia).toEqual(['2011-12-27', '2011-12-28', '2011-12-29', '2011-12-31', '2012-01-01']);
  });

  it('starts every day at its midnight after a day whose midnight was skipped', () => {
    // Santiago moved its clocks from 00:00 to 01:00 on 6 September 2026: that day starts at 01:00,
    // the next ones at 00:00 again, and a request is keyed by its local date on every one of them.
    const tz = 'America/Santiago';
    const days = dayRanges(Date.UTC(2026, 8, 4), Date.UTC(2026, 9, 3), tz);
    const local = (ms: number): string => DateTime.fromMillis(ms, { zone: tz }).toFormat('yyyy-LL-dd HH:mm');
    expect(local(days.find((d) => d.day === '2026-09-06')!.startMs)).toBe('2026-09-06 01:00');
    for (const d of days.filter((x) => x.day !== '2026-09-06')) expect(local(d.startMs)).toBe(`${d.day} 00:00`);
    for (const [at, day] of [
      [Date.UTC(2026, 9, 1, 3, 30), '2026-10-01'],
      [Date.UTC(2026, 8, 14, 3, 30), '2026-09-14'],
    ] as const)
      expect(days.find((d) => d.startMs <= at && at < d.endMs)?.day).toBe(day);
    expect(endOfDay('2026-09-06', tz)).toBe(DateTime.fromISO('2026-09-07T00:00', { zone: tz }).toMillis());
    expect(endOfDay('2026-09-05', tz)).toBe(DateTime.fromISO('2026-09-06T01:00', { zone: tz }).toMillis());
    const weeks = periodRanges(Date.UTC(2026, 8, 1), Date.UTC(2026, 9, 1), tz, 'week');
    for (const w of weeks.slice(1)) expect(local(w.startMs)).toBe(`${w.day} 00:00`);
    // The forecast's days look back whole days from a today that began at 01:00 (8 September 2024).
    const now = DateTime.fromISO('2024-09-08T12:00', { zone: tz }).toMillis();
    const pool = buildDayPool([], now, Date.UTC(2024, 0, 1), tz, { ...DEFAULT_POOL, lookbackDays: 3 });
    expect(pool.map((d) => d.day)).toEqual(['2024-09-05', '2024-09-06', '2024-09-07']);
  });

  it('keeps 23- and 25-hour days across daylight-saving changes', () => {
    const days = dayRanges(Date.UTC(2026, 2, 28), Date.UTC(2026, 2, 31), 'Europe/Paris');
    expect(days.map((d) => (d.endMs - d.startMs) / 3_600_000)).toEqual([24, 23, 24, 24]);
    expect(days.map((d) => d.day)).toEqual(['2026-03-28', '2026-03-29', '2026-03-30', '2026-03-31']);
  });
});
