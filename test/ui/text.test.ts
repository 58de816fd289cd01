/** Text rules of the dashboard: per-request costs, counted nouns, paths, wrapping, request times, busy retries. */
import { describe, expect, it } from 'vitest';
import { counted, homeShort, requestCost, withoutLastGrapheme, wrapLines } from '../../src/ui/text.js';
import { requestTime } from '../../src/ui/format-time.js';
import { busyDelayMs, isBusyError, retryWhileBusy } from '../../src/state/busy.js';
import { CLEAR_SCREEN, createFrameGate, frameFits } from '../../src/ui/frame-gate.js';

describe('a filter losing its last character to Backspace', () => {
  it('loses a whole character as the eye sees one, never half of it', () => {
    expect(withoutLastGrapheme('son')).toBe('so');
    expect(withoutLastGrapheme('')).toBe('');
    expect(withoutLastGrapheme('漢字')).toBe('漢');
    expect(withoutLastGrapheme('ab😀')).toBe('ab');
    expect(withoutLastGrapheme('x👨‍👩‍👧')).toBe('x');
    expect(withoutLastGrapheme('x🇩🇪')).toBe('x');
    expect(withoutLastGrapheme('xe\u030a\u0301')).toBe('x');
    // Each of its results is text that a terminal can show: no lone half of a surrogate pair.
    for (const t of ['😀😀', '🇩🇪🇫🇷', 'a\ud83d']) expect(withoutLastGrapheme(t)).not.toMatch(/[\ud800-\udbff]$/);
  });
});

describe('request costs and counts', () => {
  it('writes zero as $0.00 and keeps two significant digits under a cent', () => {
    expect(requestCost(0)).toBe('$0.00');
    expect(requestCost(0.0000034)).toBe('$0.0000034');
    expect(requestCost(0.000008)).toBe('$0.0000080');
    expect(requestCost(0.0012)).toBe('$0.0012');
    expect(requestCost(0.01)).toBe('$0.01');
    expect(requestCost(1234.5)).toBe('$1,234.50');
    expect(requestCost(1e-9)).toBe('<$0.0000001');
    for (const v of [0.00004, 0.0000001, 0.009]) expect(requestCost(v)).not.toMatch(/^\$0\.0+$/);
  });

  it('counts in the singular for one', () => {
    expect(counted(1, 'request')).toBe('1 request');
    expect(counted(0, 'request')).toBe('0 requests');
    expect(counted(1204, 'request')).toBe('1,204 requests');
  });
});

describe('paths and wrapping', () => {
  it('writes the home folder as ~ and leaves other paths alone', () => {
    expect(homeShort('/home/ann/.local/share/x.json', '/home/ann')).toBe('~/.local/share/x.json');
    expect(homeShort('/home/ann', '/home/ann')).toBe('~');
    expect(homeShort('/home/anna/x', '/home/ann')).toBe('/home/anna/x');
    expect(homeShort('/tmp/x', '/home/ann')).toBe('/tmp/x');
  });

  it('wraps at spaces or slashes and never drops a character', () => {
    const text = 'Exported to ~/.local/share/creditmeter/exports/creditmeter-2026-11-01-20261120-120000.json';
    for (const width of [20, 33, 60, 100]) {
      const lines = wrapLines(text, width);
      expect(lines.every((l) => l.length <= width)).toBe(true);
      expect(lines.join('').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
    }
    expect(wrapLines(text, 60)[0]).toBe('Exported to ~/.local/share/creditmeter/exports/');
    expect(wrapLines('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    // Between words where a line stays two-thirds full: a short path is never cut at its slash.
    const hint =
      '1 with a path other than /v1/logs (404, first /); set OTEL_EXPORTER_OTLP_ENDPOINT to the address alone, the exporter adds /v1/logs';
    for (let width = 40; width <= 140; width++)
      for (const line of wrapLines(hint, width)) expect(line, String(width)).not.toMatch(/\/v1\/$|^logs/);
  });
});

describe('request times', () => {
  const now = Date.parse('2026-11-20T12:00:00Z');
  it('shows the time today and the date otherwise, in the given zone', () => {
    expect(requestTime(Date.parse('2026-11-20T09:30:05Z'), now, 'UTC')).toBe('09:30:05');
    expect(requestTime(Date.parse('2026-11-12T14:03:00Z'), now, 'UTC')).toBe('Nov 12 14:03');
    // 23:30 UTC on the 19th is already the 20th in Tokyo, and still the 19th in Honolulu.
    const late = Date.parse('2026-11-19T23:30:00Z');
    expect(requestTime(late, now, 'Asia/Tokyo')).toBe('08:30:00');
    expect(requestTime(late, now, 'Pacific/Honolulu')).toBe('Nov 19 13:30');
  });
});

describe('busy database', () => {
  it('knows SQLite busy and locked errors by code, and backs off up to a cap', () => {
    expect(isBusyError(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }))).toBe(true);
    expect(isBusyError(Object.assign(new Error('x'), { code: 'SQLITE_BUSY_SNAPSHOT' }))).toBe(true);
    expect(isBusyError(Object.assign(new Error('x'), { code: 'SQLITE_LOCKED' }))).toBe(true);
    expect(isBusyError(Object.assign(new Error('x'), { code: 'SQLITE_CORRUPT' }))).toBe(false);
    expect(isBusyError(new Error('database is locked'))).toBe(false);
    expect([0, 1, 2, 3, 4, 5, 30].map(busyDelayMs)).toEqual([250, 500, 1000, 2000, 4000, 4000, 4000]);
  });

  it('retries while busy, reports each wait, and lets other errors through', async () => {
    let calls = 0;
    const notices: string[] = [];
    const waits: number[] = [];
    const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    const out = await retryWhileBusy(
      () => {
        calls += 1;
        if (calls < 3) throw busy;
        return 'done';
      },
      { what: 'reading the logs', onBusy: (n) => notices.push(n), wait: async (ms) => void waits.push(ms) },
    );
    expect(out).toBe('done');
    expect(waits).toEqual([250, 500]);
    expect(notices[0]).toMatch(/^Database busy .*: reading the logs again in 250 ms\.$/);
    await expect(
      retryWhileBusy(() => Promise.reject(new Error('disk I/O error')), { what: 'x', onBusy: () => {} }),
    ).rejects.toThrow('disk I/O');
    let stop = false;
    const stopped = await retryWhileBusy(
      () => {
        throw busy;
      },
      { what: 'x', onBusy: () => {}, stopped: () => stop, wait: async () => void (stop = true) },
    );
    expect(stopped).toBeNull();
  });
});

describe('frame gate', () => {
  it('measures frames without their escape codes', () => {
    expect(frameFits('\u001b[2K\u001b[1A\u001b[32mabc\u001b[39m\n', { columns: 3, rows: 2 })).toBe(true);
    expect(frameFits('abcd\n', { columns: 3, rows: 2 })).toBe(false);
    expect(frameFits('a\nb\nc\n', { columns: 3, rows: 3 })).toBe(false);
  });

  it('clears the screen before frames after a resize until one fits the new size', () => {
    let size = { columns: 10, rows: 5 };
    const gate = createFrameGate(() => size);
    expect(gate('ab\ncd\n')).toBe('ab\ncd\n');
    size = { columns: 4, rows: 5 };
    expect(gate('\u001b[2K')).toBe('\u001b[2K');
    // The frame laid out for the old width does not fit: cleared, and the next one is cleared too.
    expect(gate('abcdefgh\n')).toBe(`${CLEAR_SCREEN}abcdefgh\n`);
    expect(gate('abcd\nefgh\n')).toBe(`${CLEAR_SCREEN}abcd\nefgh\n`);
    // It fitted: Ink's own line erasing is right again.
    expect(gate('abcd\n')).toBe('abcd\n');
  });
});
