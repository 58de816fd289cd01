/**
 * The time of a request as Claude Code writes it: ISO 8601, in UTC (`2026-12-05T10:00:00.000Z`).
 * Read the same on every machine: a time with no zone is UTC (as a date alone is), never the
 * reading machine's zone; an offset (`+09:00`, `+0900`) is applied; a year may be expanded
 * (`+275760`), as JavaScript writes those; fractions of a second are read to the millisecond, and
 * 24:00 is the next day's midnight. Anything else (RFC 2822 text,
 * 30 February, hour 25) is not a time (NaN), where `Date.parse` would guess one.
 */

const ISO =
  /^([+-]\d{6}|\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?)?$/;

const digit = (s: string, i: number): number => s.charCodeAt(i) - 48;

/** Epoch milliseconds of an ISO 8601 time (see above); NaN when `s` is none. */
export function parseIsoTimestamp(s: string): number {
  // The form Claude Code writes (toISOString), read without a match object or strings.
  if (s.length === 24 && s.charCodeAt(23) === 90 && canonical(s)) {
    const t = utc(
      digit(s, 0) * 1000 + digit(s, 1) * 100 + digit(s, 2) * 10 + digit(s, 3),
      digit(s, 5) * 10 + digit(s, 6),
      digit(s, 8) * 10 + digit(s, 9),
      digit(s, 11) * 10 + digit(s, 12),
      digit(s, 14) * 10 + digit(s, 15),
      digit(s, 17) * 10 + digit(s, 18),
      digit(s, 20) * 100 + digit(s, 21) * 10 + digit(s, 22),
      0,
    );
    // (24:00 is read below.)
    if (!Number.isNaN(t)) return t;
  }
  const m = ISO.exec(s);
  if (m === null) return NaN;
  const offsetMin = m[9] === undefined ? 0 : (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11]));
  if (Number(m[10] ?? 0) > 23 || Number(m[11] ?? 0) > 59) return NaN;
  // 24:00 (with any zeros after) is the end of the day: the next day's midnight.
  if (m[4] === '24') {
    if (Number(m[5]) !== 0 || Number(m[6] ?? 0) !== 0 || /[1-9]/.test(m[7] ?? '')) return NaN;
    const midnight = utc(Number(m[1]), Number(m[2]), Number(m[3]), 0, 0, 0, 0, offsetMin);
    return midnight + 86_400_000;
  }
  return utc(
    Number(m[1]),
    Number(m[2]),
    Number(m[3]),
    Number(m[4] ?? 0),
    Number(m[5] ?? 0),
    Number(m[6] ?? 0),
    m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0')),
    offsetMin,
  );
}

/** `YYYY-MM-DDTHH:mm:ss.sssZ`: digits and separators where toISOString puts them. */
function canonical(s: string): boolean {
  for (let i = 0; i < 23; i++) {
    const c = s.charCodeAt(i);
    const want = i === 4 || i === 7 ? 45 : i === 10 ? 84 : i === 13 || i === 16 ? 58 : i === 19 ? 46 : -1;
    if (want === -1 ? c < 48 || c > 57 : c !== want) return false;
  }
  return true;
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The instant of a wall time at `offsetMin` minutes east of UTC; NaN for a date or time that does not exist. */
function utc(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  sec: number,
  ms: number,
  offsetMin: number,
): number {
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = mo === 2 && leap ? 29 : DAYS[mo - 1];
  if (days === undefined || d < 1 || d > days || h > 23 || mi > 59 || sec > 59) return NaN;
  // (Date.UTC takes years 0-99 as 1900-1999.)
  const at = y >= 100 ? Date.UTC(y, mo - 1, d, h, mi, sec, ms) : new Date(0).setUTCFullYear(y, mo - 1, d);
  const time = y >= 100 ? at : at + ((h * 60 + mi) * 60 + sec) * 1000 + ms;
  return time - offsetMin * 60_000;
}
