import { afterAll, describe, expect, it } from 'vitest';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePosixTz, parseTzif, ruleAt, tzAt } from '../../src/domain/tzif.js';
import { isValidZone, zoneRules } from '../../src/domain/zone.js';
import { DateTime, RulesZone } from '../../src/domain/luxon.js';
import { readZoneFile, useSystemZoneFiles, zoneFromEnvOrLink } from '../../src/app/system-zone.js';

const tmp = mkdtempSync(join(tmpdir(), 'cm-tzif-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const ZONEINFO = '/usr/share/zoneinfo';
const H = 3600;

/** Intl's offset (seconds east of UTC) of `zone` at `ms`: what luxon's own IANAZone computes. */
function intlOffset(dtf: Intl.DateTimeFormat, ms: number): number {
  const p = Object.fromEntries(dtf.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour! % 24, +p.minute!, +p.second!);
  return (asUtc - Math.floor(ms / 1000) * 1000) / 1000;
}

function formatter(zone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
}

/** A TZif file: version 1 (32-bit times) or 2 (both blocks, then the footer). */
function tzif(
  version: 1 | 2,
  transitions: Array<[number, number]>,
  types: Array<[number, number, string]>,
  footer = '',
): Uint8Array {
  const abbrs = types.map((t) => t[2]).join('\0') + '\0';
  const block = (wide: boolean): Buffer => {
    const header = Buffer.alloc(44);
    header.write('TZif', 0, 'latin1');
    header[4] = version === 1 ? 0 : 0x32;
    [0, 0, 0, transitions.length, types.length, abbrs.length].forEach((n, k) => header.writeUInt32BE(n, 20 + k * 4));
    const times = Buffer.alloc(transitions.length * (wide ? 8 : 4));
    transitions.forEach(([t], k) => (wide ? times.writeBigInt64BE(BigInt(t), k * 8) : times.writeInt32BE(t, k * 4)));
    const idx = Buffer.from(transitions.map(([, i]) => i));
    const info = Buffer.alloc(types.length * 6);
    let at = 0;
    types.forEach(([off, dst, name], k) => {
      info.writeInt32BE(off, k * 6);
      info[k * 6 + 4] = dst;
      info[k * 6 + 5] = at;
      at += name.length + 1;
    });
    return Buffer.concat([header, times, idx, info, Buffer.from(abbrs, 'latin1')]);
  };
  if (version === 1) return block(false);
  return Buffer.concat([block(false), block(true), Buffer.from(`\n${footer}\n`, 'latin1')]);
}

describe('POSIX TZ rules (TZif footers)', () => {
  const at = (rule: string, iso: string): number => ruleAt(parsePosixTz(rule)!, Date.parse(iso) / 1000).offset / H;

  it('changes at the local wall-clock times the rule names', () => {
    const ny = 'EST5EDT,M3.2.0,M11.1.0';
    expect(at(ny, '2026-03-08T06:59:59Z')).toBe(-5);
    expect(at(ny, '2026-03-08T07:00:00Z')).toBe(-4);
    expect(at(ny, '2026-11-01T05:59:59Z')).toBe(-4);
    expect(at(ny, '2026-11-01T06:00:00Z')).toBe(-5);
    // The fifth week means the last one; a time after the slash; quoted names; minutes.
    const berlin = 'CET-1CEST,M3.5.0,M10.5.0/3';
    expect(at(berlin, '2026-03-29T00:59:59Z')).toBe(1);
    expect(at(berlin, '2026-03-29T01:00:00Z')).toBe(2);
    expect(at(berlin, '2026-10-25T00:59:59Z')).toBe(2);
    expect(at(berlin, '2026-10-25T01:00:00Z')).toBe(1);
    expect(at('<+0530>-5:30', '2026-06-01T00:00:00Z')).toBe(5.5);
    expect(parsePosixTz('<+0530>-5:30')!.stdAbbr).toBe('+0530');
  });

  it('handles southern rules, half-hour daylight time, negative and long times, daylight time all year', () => {
    const sydney = 'AEST-10AEDT,M10.1.0,M4.1.0/3';
    expect(at(sydney, '2026-01-15T00:00:00Z')).toBe(11);
    expect(at(sydney, '2026-07-15T00:00:00Z')).toBe(10);
    expect(at(sydney, '2026-12-31T23:59:59Z')).toBe(11);
    expect(at('<+1030>-10:30<+11>-11,M10.1.0,M4.1.0', '2026-01-15T00:00:00Z')).toBe(11);
    expect(at('<+1030>-10:30<+11>-11,M10.1.0,M4.1.0', '2026-07-15T00:00:00Z')).toBe(10.5);
    // Nuuk since 2023: the changes at -2:00 and -1:00 local time.
    const nuuk = '<-02>2<-01>,M3.5.0/-1,M10.5.0/0';
    expect(at(nuuk, '2026-03-28T23:59:59Z')).toBe(-2);
    expect(at(nuuk, '2026-03-29T01:00:00Z')).toBe(-1);
    // Daylight time all year (a change out and a change in at one instant).
    for (const iso of ['2026-01-01T04:59:59Z', '2026-01-01T05:00:00Z', '2026-07-01T00:00:00Z', '2026-12-31T23:00:00Z'])
      expect(at('EST5EDT,0/0,J365/25', iso)).toBe(-4);
    // Julian days never count February 29; zero-based days do.
    expect(at('XST3XDT,J60/0,J300/0', '2028-03-01T02:59:59Z')).toBe(-3);
    expect(at('XST3XDT,J60/0,J300/0', '2028-03-01T03:00:00Z')).toBe(-2);
    expect(at('XST3XDT,59/0,300/0', '2028-02-29T03:00:00Z')).toBe(-2);
    // Standard time only.
    expect(at('<-03>3', '2026-06-01T00:00:00Z')).toBe(-3);
  });

  it('refuses what is not a rule', () => {
    for (const bad of ['', 'E5', 'EST', 'EST5EDT,M13.1.0,M11.1.0', 'EST5EDT,M3.2.0', 'EST5EDT,M3.2.0,M11.1.0x', '<+05'])
      expect(parsePosixTz(bad)).toBeNull();
  });
});

describe('TZif files', () => {
  it('reads version 1 and version 2 files, before, between and after their transitions', () => {
    const types: Array<[number, number, string]> = [
      [-5 * H, 0, 'EST'],
      [-4 * H, 1, 'EDT'],
    ];
    const v1 = parseTzif(
      tzif(
        1,
        [
          [1_000_000, 1],
          [2_000_000, 0],
        ],
        types,
      ),
    )!;
    expect(tzAt(v1, 0).offset).toBe(-5 * H);
    expect(tzAt(v1, 1_500_000_000)).toEqual({ offset: -4 * H, abbr: 'EDT' });
    expect(tzAt(v1, 2_000_000_000).abbr).toBe('EST');
    const v2 = parseTzif(
      tzif(
        2,
        [
          [1_000_000, 1],
          [2_000_000, 0],
        ],
        types,
        'EST5EDT,M3.2.0,M11.1.0',
      ),
    )!;
    expect(tzAt(v2, 1_500_000_000).abbr).toBe('EDT');
    // Past the last transition the footer rule holds.
    expect(tzAt(v2, Date.parse('2026-07-01T00:00:00Z')).abbr).toBe('EDT');
    expect(tzAt(v2, Date.parse('2026-12-01T00:00:00Z')).abbr).toBe('EST');
  });

  it('refuses what is not a TZif file, or one it cannot use', () => {
    const good = tzif(
      2,
      [[1_000_000, 1]],
      [
        [0, 0, 'A'],
        [H, 1, 'B'],
      ],
      'AAA0',
    );
    expect(parseTzif(good)).not.toBeNull();
    expect(parseTzif(Buffer.from('not a zone file at all, not even close to one'))).toBeNull();
    for (let cut = 0; cut < good.length - 1; cut += 7) expect(parseTzif(good.subarray(0, cut))).toBeNull();
    expect(parseTzif(tzif(2, [[1_000_000, 5]], [[0, 0, 'A']]))).toBeNull(); // a type that does not exist
    expect(
      parseTzif(
        tzif(
          2,
          [
            [5, 0],
            [1, 0],
          ],
          [[0, 0, 'A']],
        ),
      ),
    ).toBeNull(); // transitions out of order
    expect(parseTzif(tzif(2, [[1_000_000, 0]], [[0, 0, 'A']], 'not a rule'))).toBeNull();
  });

  const zones = [
    'America/New_York',
    'Europe/Dublin',
    'Australia/Lord_Howe',
    'Pacific/Chatham',
    'Africa/Casablanca',
    'America/Santiago',
    'Asia/Kathmandu',
    'America/Nuuk',
  ].filter((z) => existsSync(join(ZONEINFO, z)));

  it.skipIf(zones.length === 0)('agrees with Intl on the system zone files, 2000 to 2060', () => {
    for (const zone of zones) {
      const rules = parseTzif(readFileSync(join(ZONEINFO, zone)));
      expect(rules, zone).not.toBeNull();
      const dtf = formatter(zone);
      const wrong: string[] = [];
      for (let ms = Date.UTC(2000, 0, 1); ms < Date.UTC(2060, 0, 1); ms += 29 * 3600e3 + 7 * 60e3 + 11e3) {
        if (tzAt(rules!, ms).offset !== intlOffset(dtf, ms)) wrong.push(new Date(ms).toISOString());
      }
      expect(wrong, zone).toEqual([]);
    }
  });
});

describe('named zones in luxon', () => {
  it('take their offsets from the zone file once the files are in use, with the same dates as Intl', () => {
    const dir = join(tmp, 'zoneinfo');
    mkdirSync(join(dir, 'Test'), { recursive: true });
    // A zone only these files know: Intl has never heard of it.
    writeFileSync(join(dir, 'Test', 'Plus0930'), tzif(2, [], [[9.5 * H, 0, 'TPT']], '<TPT>-9:30'));
    const before = process.env.TZDIR;
    process.env.TZDIR = dir;
    try {
      useSystemZoneFiles();
      expect(isValidZone('Test/Plus0930')).toBe(true);
      const t = DateTime.fromMillis(Date.parse('2026-03-01T00:00:00Z'), { zone: 'Test/Plus0930' });
      expect(t.zone).toBeInstanceOf(RulesZone);
      expect(t.toISO()).toBe('2026-03-01T09:30:00.000+09:30');
      expect(t.toFormat('ZZZZ ZZ Z')).toBe('TPT +09:30 +9:30');
      if (existsSync(join(ZONEINFO, 'America/New_York')))
        expect(DateTime.fromISO('2026-07-01T12:00:00', { zone: 'America/New_York' }).toFormat('ZZZZ / ZZZZZ')).toBe(
          'EDT / Eastern Daylight Time',
        );
      expect(t.startOf('day').toISO()).toBe('2026-03-01T00:00:00.000+09:30');
      if (existsSync(join(ZONEINFO, 'America/New_York'))) {
        const ny = 'America/New_York';
        expect(zoneRules(ny)).not.toBeNull();
        const dtf = formatter(ny);
        for (const iso of [
          '2026-03-08T06:30:00Z',
          '2026-03-08T07:30:00Z',
          '2026-11-01T05:30:00Z',
          '2026-11-01T06:30:00Z',
        ]) {
          const d = DateTime.fromISO(iso, { zone: ny });
          expect(d.zone).toBeInstanceOf(RulesZone);
          expect(d.offset * 60).toBe(intlOffset(dtf, Date.parse(iso)));
        }
        // A day that is 23 hours long, as Intl has it.
        const day = DateTime.fromISO('2026-03-08T12:00:00', { zone: ny }).startOf('day');
        expect(day.plus({ days: 1 }).toMillis() - day.toMillis()).toBe(23 * 3600e3);
      }
    } finally {
      if (before === undefined) delete process.env.TZDIR;
      else process.env.TZDIR = before;
    }
  });

  it('reads only plain zone names, and only files', () => {
    for (const name of ['../../etc/passwd', '/etc/passwd', 'America/../../etc/passwd', '', 'America', 'posixrules'])
      expect(readZoneFile(name), name).toBeNull();
    expect(isValidZone('Not/AZone')).toBe(false);
  });

  it.skipIf(!existsSync(join(ZONEINFO, 'Europe/Berlin')))(
    'finds the system zone from a link, or from a copied file that /etc/timezone names',
    () => {
      const before = process.env.TZ;
      delete process.env.TZ;
      try {
        const dir = mkdtempSync(join(tmp, 'etc-'));
        const paths = { localtime: join(dir, 'localtime'), timezone: join(dir, 'timezone') };
        symlinkSync(join(ZONEINFO, 'Europe/Berlin'), paths.localtime);
        expect(zoneFromEnvOrLink(paths)).toBe('Europe/Berlin');
        rmSync(paths.localtime);
        copyFileSync(join(ZONEINFO, 'Europe/Berlin'), paths.localtime);
        expect(zoneFromEnvOrLink(paths)).toBeNull(); // no name beside it: Intl decides
        writeFileSync(paths.timezone, 'Europe/Berlin\n');
        expect(zoneFromEnvOrLink(paths)).toBe('Europe/Berlin');
        // A name whose file differs from the copy is not believed.
        writeFileSync(paths.timezone, 'Europe/Paris\n');
        expect(zoneFromEnvOrLink(paths)).toBeNull();
        writeFileSync(paths.timezone, '../../etc/passwd\n');
        expect(zoneFromEnvOrLink(paths)).toBeNull();
        writeFileSync(paths.timezone, 'Etc/UTC\n');
        copyFileSync(join(ZONEINFO, 'Etc/UTC'), paths.localtime);
        expect(zoneFromEnvOrLink(paths)).toBe('UTC');
      } finally {
        if (before !== undefined) process.env.TZ = before;
      }
    },
  );
});
