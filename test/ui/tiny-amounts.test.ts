/** The dashboard's and the exports' amounts under half a cent: never `$0.00` for one that is not zero. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { openDatabase, type Db } from '../../src/store/database.js';
import { buildStatus } from '../../src/services/status.js';
import type { PlanSettings } from '../../src/domain/status-types.js';
import type { RequestClass } from '../../src/domain/types.js';
import { gaugeText } from '../../src/ui/components/CreditGauge.js';
import { apartText } from '../../src/ui/components/ModelBars.js';
import { burnText } from '../../src/ui/components/Burn.js';
import { forecastText } from '../../src/ui/components/ForecastBand.js';

let db: Db;
let n = 0;
const ms = (iso: string): number => DateTime.fromISO(iso, { zone: 'UTC' }).toMillis();
function add(iso: string, cost: number, cls: RequestClass): void {
  db.prepare(
    `INSERT INTO requests (key, class, model, ts, input_tokens, output_tokens, cache_read_tokens, cache_write_5m_tokens,
      cache_write_1h_tokens, web_search_requests, web_fetch_requests, cost, source) VALUES (?, ?, 'claude-haiku-4-5', ?, 1, 1, 0, 0, 0, 0, 0, ?, 'line')`,
  ).run(`k${n++}`, cls, ms(iso), cost);
}
const plan: PlanSettings = {
  plan: 'pro',
  seats: 1,
  credit: 20,
  cycleStartDay: 1,
  tz: 'UTC',
  usageCredits: false,
  overageCap: null,
  countUnknown: false,
  assumed: false,
};

beforeEach(() => {
  db = openDatabase(':memory:');
  for (let d = 2; d <= 9; d++) add(`2026-09-0${d}T10:00`, 0.0004, 'programmatic');
  add('2026-09-09T11:30', 0.003, 'interactive');
  add('2026-09-09T11:40', 0.002, 'unknown');
});
afterEach(() => db.close());

describe('amounts under half a cent on the dashboard', () => {
  it('are written in two significant digits in the gauge, the classes apart, the burn and the forecast', () => {
    const s = buildStatus(db, plan, 'v1', ms('2026-09-09T12:00'));
    expect(gaugeText(s, false)).toContain('$0.0032 of $20.00 used');
    expect(apartText(s, 200)).toContain('Interactive $0.0030');
    expect(apartText(s, 200)).toContain('unknown $0.0020');
    expect(burnText(s.burnRate)).toMatch(/\$0\.0000\d+\/h 24 h/);
    expect(forecastText(s, '')).toMatch(/P50 \$0\.0\d+/);
  });
});
