/** Telemetry records refused by the receiver are said by `status`, in text and JSON, with their reasons. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openApp } from '../../src/app/context.js';
import type { StatusReport } from '../../src/domain/status-types.js';
import { refusedText } from '../../src/domain/telemetry.js';
import { addTelemetryCount } from '../../src/store/telemetry-writer.js';
import { isolateHome, runCli } from '../helpers/run-cli.js';

/** A store with no transcripts, the CLI's flags for it, and a way to open it as the app does. */
function emptyStore(name: string): { args: string[]; open: () => ReturnType<typeof openApp> } {
  const dir = join(isolateHome(), name);
  mkdirSync(join(dir, 'root', 'projects'), { recursive: true });
  const db = join(dir, 'store.db');
  const root = join(dir, 'root');
  return {
    args: ['--db', db, '--claude-dir', root, '--config', '/dev/null', '--tz', 'UTC'],
    open: () => openApp({ db, claudeDir: [root], config: '/dev/null' }),
  };
}

describe('refused telemetry', () => {
  it('reads each reason in words, most first', () => {
    expect(refusedText({ 'missing-model': 2, 'bad-usage': 9, 'missing-key': 6, 'new-reason': 1 })).toBe(
      '9 with token counts that are no counts, or over 100 million (bad-usage), 6 with no request_id, session.id or prompt.id (missing-key), 2 with no model (missing-model), 1 new-reason',
    );
  });

  it('is said by status and status --json, and not at all when nothing was refused', async () => {
    const { args, open } = emptyStore('refused');
    const at = (day: number, hour: number, minute: number): number => Date.UTC(2026, 11, day, hour, minute);
    const ctx = open();
    addTelemetryCount(ctx.db, 'received', 40);
    addTelemetryCount(ctx.db, 'http:401', 2, at(6, 9, 0));
    addTelemetryCount(ctx.db, 'http:401', 1, at(7, 5, 10));
    ctx.close();
    const clean = await runCli(['status', '--json', ...args]);
    expect((JSON.parse(clean.stdout) as StatusReport).telemetryRefused).toBeUndefined();
    // Whole requests refused (a wrong token) are said apart: no record of theirs was read.
    expect((JSON.parse(clean.stdout) as StatusReport).requestsRefused).toEqual({ '401': 3 });
    // With when the last one came: whether a sender is still set up wrong.
    expect((JSON.parse(clean.stdout) as StatusReport).requestsRefusedLast).toBe('2026-12-07T05:10:00.000Z');
    const cleanText = (await runCli(['status', ...args])).stdout;
    expect(cleanText).not.toMatch(/^Refused .*telemetry record/m);
    expect(cleanText).toMatch(/^Refused +3 requests to serve since this store began \(the last Dec 7 05:10\):/m);
    const again = open();
    addTelemetryCount(again.db, 'rejected:bad-usage', 9, at(7, 4, 0));
    addTelemetryCount(again.db, 'rejected:missing-model', 2, at(5, 23, 59));
    again.close();
    const json = JSON.parse((await runCli(['status', '--json', ...args])).stdout) as StatusReport;
    expect(json.telemetryRefused).toEqual({ 'bad-usage': 9, 'missing-model': 2 });
    expect(json.telemetryRefusedLast).toBe('2026-12-07T04:00:00.000Z');
    // The counts carry over a rebuild, as the events would (here no event was stored at all).
    const rebuilt = JSON.parse((await runCli(['status', '--json', '--rebuild', ...args])).stdout) as StatusReport;
    expect(rebuilt.telemetryRefused).toEqual({ 'bad-usage': 9, 'missing-model': 2 });
    const text = (await runCli(['status', ...args])).stdout;
    expect(text.replace(/\n\s+/g, ' ')).toMatch(
      /^Refused +11 telemetry records since this store began \(the last Dec 7 04:00\), not in any total: 9 with token counts that are no counts, or over 100 million \(bad-usage\), 2 with no model \(missing-model\)$/m,
    );
  });

  it('says the year of a last refusal from another year', async () => {
    const { args, open } = emptyStore('refused-old');
    const ctx = open();
    addTelemetryCount(ctx.db, 'http:401', 2, Date.UTC(2025, 11, 6, 9, 0));
    ctx.close();
    const text = (await runCli(['status', '--now', '2026-01-10T12:00:00Z', ...args])).stdout;
    expect(text).toMatch(/^Refused +2 requests to serve since this store began \(the last Dec 6 2025\):/m);
  });
});
