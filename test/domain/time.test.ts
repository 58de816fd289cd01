import { describe, expect, it } from 'vitest';
import { Settings } from 'luxon';
import { DateTime } from '../../src/domain/luxon.js';
import {
  dayClock,
  dayRanges,
  endOfDay,
  instantOfWall,
  wallOfDay,
  localDayKey,
  localDayStart,
  periodRanges,
  startOfDay,
  type DayRange,
} from '../../src/domain/time.js';
import { cycleAt } from '../../src/domain/cycle.js';
import { parseNow } from '../../src/cli/parse-now.js';
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

describe('the wall clock of a day', () => {
  const HOUR = 3_600_000;
  const at = (iso: string, tz: string): number => DateTime.fromISO(iso, { zone: tz }).toMillis();
  const clockOf = (day: string, tz: string) => {
    const r = dayRanges(at(`${day}T12:00`, tz), at(`${day}T12:00`, tz) + 1, tz)[0]!;
    return dayClock(r.startMs, r.endMs, tz);
  };
  it('reads and places wall times on days of 24, 23 and 25 hours', () => {
    for (const [day, tz] of [
      ['2026-03-07', 'America/Los_Angeles'],
      ['2026-03-08', 'America/Los_Angeles'],
      ['2026-11-01', 'America/Los_Angeles'],
      ['2026-10-04', 'Australia/Lord_Howe'],
      ['2026-04-05', 'Australia/Lord_Howe'],
      ['2026-09-06', 'America/Santiago'],
      ['2026-04-04', 'America/Santiago'],
      ['2026-03-08', 'America/Havana'],
      ['2026-06-01', 'UTC'],
    ] as const) {
      const clock = clockOf(day, tz);
      for (const wall of ['00:10', '01:30', '03:30', '12:30', '23:45']) {
        // (No 00:10 on a day whose midnight the clocks skipped.)
        if (wall === '00:10' && clock.startWall > 0) continue;
        const ms = at(`${day}T${wall}`, tz);
        const [h, m] = wall.split(':').map(Number) as [number, number];
        expect(wallOfDay(clock, ms), `${tz} ${day} ${wall}`).toBe(h * HOUR + m * 60_000);
        // (01:30 comes twice on 1 November: see below.)
        if (clock.jumpMs >= 0) expect(instantOfWall(clock, h * HOUR + m * 60_000), `${tz} ${day} ${wall}`).toBe(ms);
      }
    }
  });
  it('places a wall time the clocks jumped over at the jump, and one they went back over at its first instant', () => {
    const tz = 'America/Los_Angeles';
    const spring = clockOf('2026-03-08', tz);
    expect(spring.jumpMs).toBe(HOUR);
    expect(instantOfWall(spring, 2.5 * HOUR)).toBe(at('2026-03-08T03:00', tz));
    const fall = clockOf('2026-11-01', tz);
    expect(fall.jumpMs).toBe(-HOUR);
    // 01:30 in summer time, an hour before 01:30 in winter time; both read 01:30.
    expect(instantOfWall(fall, 1.5 * HOUR)).toBe(fall.startMs + 1.5 * HOUR);
    expect(wallOfDay(fall, fall.startMs + 1.5 * HOUR)).toBe(1.5 * HOUR);
    expect(wallOfDay(fall, fall.startMs + 2.5 * HOUR)).toBe(1.5 * HOUR);
    expect(instantOfWall(fall, 12.5 * HOUR)).toBe(at('2026-11-01T12:30', tz));
    // A midnight the clocks skipped (Santiago): the day starts at 01:00, and 00:30 is its first moment.
    const santiago = clockOf('2026-09-06', 'America/Santiago');
    expect(santiago.startWall).toBe(HOUR);
    expect(instantOfWall(santiago, 0.5 * HOUR)).toBe(santiago.startMs);
    expect(wallOfDay(santiago, santiago.startMs)).toBe(HOUR);
  });
});

describe('a midnight that comes twice', () => {
  // Havana left summer time at 01:00 on 1 November 2026 (back to 00:00), the Azores at 01:00 on 25
  // October 2026 (back to 00:00): that day's midnight comes twice, and the day starts at the first.
  const havana = 'America/Havana';
  const azores = 'Atlantic/Azores';
  /** Runs `fn` with luxon's clock in another season: luxon settles a doubled wall time by today's offset. */
  const inSeason = <T>(month: number, fn: () => T): T => {
    const before = Settings.now;
    Settings.now = () => Date.UTC(2026, month, 15);
    try {
      return fn();
    } finally {
      Settings.now = before;
    }
  };

  it('starts the day, the month and the cycle at the first, whatever season the command runs in', () => {
    for (const month of [0, 6, 11]) {
      inSeason(month, () => {
        expect(startOfDay('2026-11-01', havana)).toBe(Date.UTC(2026, 10, 1, 4));
        expect(endOfDay('2026-10-31', havana)).toBe(Date.UTC(2026, 10, 1, 4));
        expect(startOfDay('2026-10-25', azores)).toBe(Date.UTC(2026, 9, 25, 0));
        // From an instant after the clocks went back, as from one before.
        for (const at of [Date.UTC(2026, 10, 1, 4, 30), Date.UTC(2026, 10, 1, 12)]) {
          expect(localDayStart(at, havana)).toBe(Date.UTC(2026, 10, 1, 4));
          expect(dayRanges(at, at + 1, havana)[0]).toEqual({
            day: '2026-11-01',
            startMs: Date.UTC(2026, 10, 1, 4),
            endMs: Date.UTC(2026, 10, 2, 5),
          });
        }
        expect(localDayStart(Date.UTC(2026, 10, 2, 12), havana, -1)).toBe(Date.UTC(2026, 10, 1, 4));
        const month = periodRanges(Date.UTC(2026, 10, 20), Date.UTC(2026, 10, 21), havana, 'month');
        expect(month).toEqual([{ day: '2026-11', startMs: Date.UTC(2026, 10, 1, 4), endMs: Date.UTC(2026, 11, 1, 5) }]);
        const cycle = cycleAt(Date.UTC(2026, 10, 15), 1, havana);
        expect(cycle.startMs).toBe(Date.UTC(2026, 10, 1, 4));
        expect(cycleAt(Date.UTC(2026, 9, 15), 1, havana).endMs).toBe(cycle.startMs);
        expect(cycleAt(Date.UTC(2026, 9, 25, 0, 30), 25, azores).startMs).toBe(Date.UTC(2026, 9, 25, 0));
        // A wall time given to --now that comes twice is its first instant.
        expect(parseNow('2026-11-01T00:30', havana)).toBe(Date.UTC(2026, 10, 1, 4, 30));
        expect(parseNow('2026-11-01', havana)).toBe(Date.UTC(2026, 10, 1, 4));
      });
    }
  });

  it('starts every day at the first instant of its date, over 25 years of zones that change at midnight', () => {
    const zones = [
      'America/Havana',
      'Atlantic/Azores',
      'America/Santiago',
      'Asia/Beirut',
      'America/Asuncion',
      'Africa/Cairo',
      'America/Sao_Paulo',
      'Pacific/Apia',
      'Australia/Lord_Howe',
      'Europe/Paris',
      'UTC',
    ];
    const DAY = 86_400_000;
    for (const tz of zones) {
      const zone = DateTime.fromMillis(0, { zone: tz }).zone;
      for (let at = Date.UTC(2005, 0, 1); at < Date.UTC(2030, 0, 1); at += DAY) {
        // The days around each change of offset, and every 29th day besides.
        if (zone.offset(at - DAY) === zone.offset(at + DAY) && (at / DAY) % 29 !== 0) continue;
        const day = localDayKey(at, tz);
        const start = startOfDay(day, tz)!;
        // The day's own, and the instant before it another (earlier) day's.
        expect(localDayKey(start, tz), `${tz} ${day}`).toBe(day);
        expect(localDayKey(start - 1, tz) < day, `${tz} ${day}`).toBe(true);
        expect(localDayStart(at, tz), `${tz} ${day}`).toBe(start);
      }
    }
  });
});
