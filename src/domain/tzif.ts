/**
 * A time zone's rules from its TZif file (RFC 8536, the system's zoneinfo database): UTC offsets
 * and abbreviations at any instant, without Intl. Intl's first time-zone formatter loads ICU's
 * date-time data, about 22 ms of every command that prints or buckets in a named zone (the
 * system's own zone included, on a machine that is not on UTC); reading a 1-4 KB file costs well
 * under a millisecond. Files with leap seconds ("right/" zones) are not taken.
 */

/** One zone's rules: its transitions, and the POSIX rule that goes on after the last one. */
export interface TzRules {
  /** Transition instants (epoch seconds), ascending. */
  times: Float64Array;
  /** The offset (seconds east of UTC) from each transition on. */
  offsets: Int32Array;
  /** The abbreviation from each transition on. */
  abbrs: string[];
  /** Before the first transition (time type 0). */
  firstOffset: number;
  firstAbbr: string;
  /** After the last transition: the file's footer rule, or null (the last transition's type holds). */
  rule: PosixRule | null;
}

/** A POSIX TZ rule (the TZif footer), such as EST5EDT,M3.2.0,M11.1.0. */
export interface PosixRule {
  stdAbbr: string;
  /** Seconds east of UTC. */
  stdOffset: number;
  /** Null: standard time all year. */
  dst: { abbr: string; offset: number; start: RuleDate; end: RuleDate } | null;
}

/** When a change happens in a year: the day, and the local time (seconds, may be negative or past 24 h). */
interface RuleDate {
  kind: 'J' | 'n' | 'M';
  /** J: 1-365 (February 29 never counted); n: 0-365; M: month 1-12. */
  a: number;
  /** M: week 1-5 (5: the last). */
  week: number;
  /** M: weekday 0-6 (Sunday 0). */
  weekday: number;
  time: number;
}

const DAY = 86_400;

/** Parses a TZif file; null when it is not one, holds leap seconds, or is inconsistent. */
export function parseTzif(b: Uint8Array): TzRules | null {
  if (b.length < 44 || b[0] !== 0x54 || b[1] !== 0x5a || b[2] !== 0x69 || b[3] !== 0x66) return null;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const counts = (at: number): number[] => [0, 1, 2, 3, 4, 5].map((k) => view.getUint32(at + 20 + k * 4));
  let [isut, isstd, leap, timecnt, typecnt, charcnt] = counts(0) as [number, number, number, number, number, number];
  let at = 44;
  let wide = false;
  if (b[4]! >= 0x32) {
    // Version 2 and later repeat the data with 64-bit times after the version 1 block, then the footer.
    at += timecnt * 5 + typecnt * 6 + charcnt + leap * 8 + isstd + isut;
    if (at + 44 > b.length) return null;
    [isut, isstd, leap, timecnt, typecnt, charcnt] = counts(at) as [number, number, number, number, number, number];
    at += 44;
    wide = true;
  }
  const timeBytes = wide ? 8 : 4;
  const end = at + timecnt * (timeBytes + 1) + typecnt * 6 + charcnt + leap * (timeBytes + 4) + isstd + isut;
  if (leap > 0 || typecnt === 0 || end > b.length) return null;
  const times = new Float64Array(timecnt);
  for (let k = 0; k < timecnt; k++) {
    const p = at + k * timeBytes;
    times[k] = wide ? view.getInt32(p) * 2 ** 32 + view.getUint32(p + 4) : view.getInt32(p);
    if (k > 0 && times[k]! <= times[k - 1]!) return null;
  }
  at += timecnt * timeBytes;
  const typeOf = b.subarray(at, at + timecnt);
  at += timecnt;
  const typeOffsets: number[] = [];
  const typeAbbrs: string[] = [];
  const chars = at + typecnt * 6;
  for (let k = 0; k < typecnt; k++) {
    const p = at + k * 6;
    const idx = b[p + 5]!;
    if (idx >= charcnt) return null;
    let stop = chars + idx;
    while (stop < chars + charcnt && b[stop] !== 0) stop++;
    typeOffsets.push(view.getInt32(p));
    typeAbbrs.push(String.fromCharCode(...b.subarray(chars + idx, stop)));
  }
  const offsets = new Int32Array(timecnt);
  const abbrs: string[] = [];
  for (let k = 0; k < timecnt; k++) {
    const t = typeOf[k]!;
    if (t >= typecnt) return null;
    offsets[k] = typeOffsets[t]!;
    abbrs.push(typeAbbrs[t]!);
  }
  let rule: PosixRule | null = null;
  if (wide && b[end] === 0x0a) {
    const close = b.indexOf(0x0a, end + 1);
    if (close < 0) return null;
    const text = String.fromCharCode(...b.subarray(end + 1, close));
    if (text !== '') {
      rule = parsePosixTz(text);
      if (rule === null) return null;
    }
  }
  return { times, offsets, abbrs, firstOffset: typeOffsets[0]!, firstAbbr: typeAbbrs[0]!, rule };
}

/** The offset (seconds east of UTC) and abbreviation in effect at `ms` (epoch milliseconds). */
export function tzAt(rules: TzRules, ms: number): { offset: number; abbr: string } {
  const t = Math.floor(ms / 1000);
  const { times } = rules;
  const n = times.length;
  if (n === 0 || t >= times[n - 1]!) {
    if (rules.rule !== null) return ruleAt(rules.rule, t);
    if (n === 0) return { offset: rules.firstOffset, abbr: rules.firstAbbr };
  }
  if (t < times[0]!) return { offset: rules.firstOffset, abbr: rules.firstAbbr };
  // The last transition at or before t.
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (times[mid]! <= t) lo = mid;
    else hi = mid - 1;
  }
  return { offset: rules.offsets[lo]!, abbr: rules.abbrs[lo]! };
}

/** Parses a POSIX TZ value as TZif footers write it; null when it is not one. */
export function parsePosixTz(text: string): PosixRule | null {
  let i = 0;
  const abbr = (): string | null => {
    if (text[i] === '<') {
      const close = text.indexOf('>', i);
      if (close < 0) return null;
      const name = text.slice(i + 1, close);
      i = close + 1;
      return name.length >= 3 ? name : null;
    }
    const start = i;
    while (i < text.length && /[A-Za-z]/.test(text[i]!)) i++;
    return i - start >= 3 ? text.slice(start, i) : null;
  };
  // [+-]hh[:mm[:ss]], in seconds; hours up to 167 (RFC 8536 allows them in rule times).
  const clock = (): number | null => {
    const m = /^([+-]?)(\d{1,3})(?::(\d{1,2}))?(?::(\d{1,2}))?/.exec(text.slice(i));
    if (m === null) return null;
    i += m[0].length;
    const s = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
    return m[1] === '-' ? -s : s;
  };
  const date = (): RuleDate | null => {
    let d: RuleDate;
    const rest = text.slice(i);
    let m: RegExpExecArray | null;
    if ((m = /^M(\d{1,2})\.(\d)\.(\d)/.exec(rest)) !== null) {
      d = { kind: 'M', a: Number(m[1]), week: Number(m[2]), weekday: Number(m[3]), time: 7200 };
      if (d.a < 1 || d.a > 12 || d.week < 1 || d.week > 5 || d.weekday > 6) return null;
    } else if ((m = /^J(\d{1,3})/.exec(rest)) !== null) {
      d = { kind: 'J', a: Number(m[1]), week: 0, weekday: 0, time: 7200 };
      if (d.a < 1 || d.a > 365) return null;
    } else if ((m = /^(\d{1,3})/.exec(rest)) !== null) {
      d = { kind: 'n', a: Number(m[1]), week: 0, weekday: 0, time: 7200 };
      if (d.a > 365) return null;
    } else return null;
    i += m[0].length;
    if (text[i] === '/') {
      i++;
      const time = clock();
      if (time === null) return null;
      d.time = time;
    }
    return d;
  };
  const stdAbbr = abbr();
  if (stdAbbr === null) return null;
  const std = clock();
  if (std === null) return null;
  // POSIX offsets count west of Greenwich.
  const rule: PosixRule = { stdAbbr, stdOffset: -std, dst: null };
  if (i === text.length) return rule;
  const dstAbbr = abbr();
  if (dstAbbr === null) return null;
  let dstOffset = rule.stdOffset + 3600;
  if (i < text.length && text[i] !== ',') {
    const o = clock();
    if (o === null) return null;
    dstOffset = -o;
  }
  // A zone with daylight time and no rule takes the POSIX default (the United States' rules).
  let start: RuleDate = { kind: 'M', a: 3, week: 2, weekday: 0, time: 7200 };
  let end: RuleDate = { kind: 'M', a: 11, week: 1, weekday: 0, time: 7200 };
  if (text[i] === ',') {
    i++;
    const s = date();
    if (s === null || text[i] !== ',') return null;
    i++;
    const e = date();
    if (e === null) return null;
    start = s;
    end = e;
  }
  if (i !== text.length) return null;
  rule.dst = { abbr: dstAbbr, offset: dstOffset, start, end };
  return rule;
}

/** The epoch day (days since 1970-01-01) of a rule date in `year`. */
function ruleDay(d: RuleDate, year: number): number {
  const jan1 = Date.UTC(year, 0, 1) / (DAY * 1000);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (d.kind === 'J') return jan1 + d.a - 1 + (leap && d.a >= 60 ? 1 : 0);
  if (d.kind === 'n') return jan1 + d.a;
  const first = Date.UTC(year, d.a - 1, 1) / (DAY * 1000);
  const days = new Date(Date.UTC(year, d.a, 0)).getUTCDate();
  // 1970-01-01 was a Thursday (4).
  const firstWeekday = (((first + 4) % 7) + 7) % 7;
  let day = 1 + ((d.weekday - firstWeekday + 7) % 7) + (d.week - 1) * 7;
  while (day > days) day -= 7;
  return first + day - 1;
}

/** The offset and abbreviation a POSIX rule gives at `t` (epoch seconds). */
export function ruleAt(rule: PosixRule, t: number): { offset: number; abbr: string } {
  const std = { offset: rule.stdOffset, abbr: rule.stdAbbr };
  const dst = rule.dst;
  if (dst === null) return std;
  const on = { offset: dst.offset, abbr: dst.abbr };
  const year = new Date(t * 1000).getUTCFullYear();
  // The changes of the year before, this one and the next: the last one at or before t decides.
  // A change into daylight time is read in standard time, and out of it in daylight time; at one
  // instant, a change in wins over a change out (a rule with daylight time all year).
  let best = -Infinity;
  let state = std;
  for (let y = year - 1; y <= year + 1; y++) {
    const into = ruleDay(dst.start, y) * DAY + dst.start.time - rule.stdOffset;
    const out = ruleDay(dst.end, y) * DAY + dst.end.time - dst.offset;
    if (out <= t && out > best) {
      best = out;
      state = std;
    }
    if (into <= t && into >= best) {
      best = into;
      state = on;
    }
  }
  return state;
}
