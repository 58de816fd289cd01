import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { localTimeFormatter } from '../../src/output/export-csv.js';

describe('CSV local times', () => {
  it('match luxon across daylight-saving changes and half-hour zones', () => {
    for (const tz of [
      'America/New_York',
      'Europe/Berlin',
      'America/St_Johns',
      'Australia/Lord_Howe',
      'Asia/Kathmandu',
      'UTC',
    ]) {
      const fmt = localTimeFormatter(tz);
      for (
        let ms = Date.parse('2026-03-07T00:00:00Z');
        ms < Date.parse('2026-04-06T00:00:00Z');
        ms += 7 * 60_000 + 13_000
      ) {
        expect(fmt(ms), `${tz} ${new Date(ms).toISOString()}`).toBe(
          DateTime.fromMillis(ms, { zone: tz }).toFormat('yyyy-LL-dd HH:mm:ss'),
        );
      }
    }
  });
});
