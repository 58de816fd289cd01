/**
 * A request's time reads the same on every machine: ISO 8601 only, a time without a zone is UTC,
 * and nothing is guessed from other text or from dates that do not exist.
 */
import { describe, expect, it } from 'vitest';
import { parseIsoTimestamp } from '../../src/domain/timestamp.js';
import { parseLine } from '../../src/domain/parse-line.js';
import { mulberry32 } from '../../src/domain/random.js';

describe('parseIsoTimestamp', () => {
  it('reads what toISOString writes as Date.parse does, on 200,000 random instants', () => {
    const rng = mulberry32(3);
    for (let k = 0; k < 200_000; k++) {
      // Years 1 to 9999, and the decades around now.
      const span = k % 2 === 0 ? 9998 : 100;
      const ms =
        Date.UTC(k % 2 === 0 ? 2000 : 1970, 0, 1) +
        Math.floor((rng() - (k % 2 === 0 ? 0.2 : 0)) * span * 365.25 * 86_400_000);
      const s = new Date(ms).toISOString();
      if (parseIsoTimestamp(s) !== ms) throw new Error(`${s}: ${parseIsoTimestamp(s)} instead of ${ms}`);
    }
  });

  it('takes the other ISO 8601 forms, a time without a zone as UTC', () => {
    const at = Date.UTC(2026, 11, 5, 10, 0, 0);
    const cases: [string, number][] = [
      ['2026-12-05T10:00:00.000Z', at],
      ['2026-12-05T10:00:00Z', at],
      ['2026-12-05T10:00Z', at],
      ['2026-12-05T10:00:00', at],
      ['2026-12-05 10:00:00', at],
      ['2026-12-05t10:00:00z', at],
      ['2026-12-05T10:00:00.123456Z', at + 123],
      ['2026-12-05T10:00:00.1Z', at + 100],
      ['2026-12-05T10:00:00.1234567890Z', at + 123],
      ['2026-12-05T24:00:00Z', Date.UTC(2026, 11, 6)],
      ['2026-12-05T24:00:00.000Z', Date.UTC(2026, 11, 6)],
      ['2026-12-05T24:00:00.000+01:00', Date.UTC(2026, 11, 5, 23)],
      ['2026-12-31T24:00Z', Date.UTC(2027, 0, 1)],
      ['2026-12-05T10:00:00,5Z', at + 500],
      ['2026-12-05', Date.UTC(2026, 11, 5)],
      ['2026-12-05T19:00:00+09:00', at],
      ['2026-12-05T19:00:00+0900', at],
      ['2026-12-05T05:30:00-04:30', at],
      ['2024-02-29T00:00:00.000Z', Date.UTC(2024, 1, 29)],
      ['2000-02-29T23:59:59.999Z', Date.UTC(2000, 1, 29, 23, 59, 59, 999)],
      // Expanded and small years, as toISOString writes them (implausible, not unreadable).
      ['+002026-12-05T10:00:00.000Z', at],
      ['+275760-09-13T00:00:00.000Z', 8.64e15],
      ['-000001-01-01T00:00:00.000Z', new Date('-000001-01-01T00:00:00.000Z').getTime()],
      ['0099-12-05T10:00:00.000Z', new Date('0099-12-05T10:00:00.000Z').getTime()],
      ['1970-01-02T00:00:00.000Z', 86_400_000],
    ];
    for (const [s, ms] of cases) expect(parseIsoTimestamp(s), s).toBe(ms);
  });

  it('is no time for other text or a date or time that does not exist', () => {
    for (const s of [
      'Sat, 05 Dec 2026 10:00:00 GMT',
      '12/05/2026',
      '2026-12-05T10:00:00 Z',
      '2026-02-30T10:00:00.000Z',
      '2025-02-29T10:00:00.000Z',
      '1900-02-29T10:00:00.000Z',
      '2026-13-05T10:00:00.000Z',
      '2026-00-05T10:00:00.000Z',
      '2026-12-00T10:00:00.000Z',
      '2026-12-05T24:00:01Z',
      '2026-12-05T24:00:00.001Z',
      '2026-12-05T24:30Z',
      '2026-12-05T10:60:00.000Z',
      '2026-12-05T10:00:60.000Z',
      '2026-12-05T10:00:00+24:00',
      '2026-12-05T10:00:00+09:60',
      '2026-12-05T10:00:00.000Zjunk',
      '2026-12-05T1a:00:00.000Z',
      '2026-12-05X10:00:00.000Z',
      '',
      '1796464800000',
    ])
      expect(parseIsoTimestamp(s), s).toBeNaN();
  });

  it("gives a transcript line the same time whatever the reading machine's zone", () => {
    const line = JSON.stringify({
      type: 'assistant',
      timestamp: '2026-10-05T10:00:00',
      requestId: 'r',
      message: { id: 'm', model: 'claude-sonnet-4-5', usage: { input_tokens: 1, output_tokens: 1 } },
    });
    const before = process.env.TZ;
    const seen: number[] = [];
    const guessed: number[] = [];
    try {
      // (Node applies a new TZ at once.)
      for (const tz of ['UTC', 'Asia/Tokyo', 'America/Los_Angeles']) {
        process.env.TZ = tz;
        const parsed = parseLine(line);
        if (parsed.kind === 'request') seen.push(parsed.record.ts);
        guessed.push(Date.parse('2026-10-05T10:00:00'));
      }
    } finally {
      if (before === undefined) delete process.env.TZ;
      else process.env.TZ = before;
    }
    // Date.parse reads it in each zone; the line's time is 10:00 UTC in all three.
    expect(new Set(guessed).size).toBe(3);
    expect(seen).toEqual([0, 1, 2].map(() => Date.UTC(2026, 9, 5, 10)));
  });
});
