/**
 * Look-alike requests of one session (the same model and counts within 10 minutes) without a
 * request id: a store that reads the transcript and receives the events pairs each transcript copy
 * with one event, one to one. A third event beside two such copies is a request of its own, in
 * every order of arrival, after a retry, a re-read of the transcript and a rebuild.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openApp } from '../../src/app/context.js';
import { catchUp } from '../../src/ingest/pipeline.js';
import { priceRequest } from '../../src/domain/pricing.js';
import type { TelemetryEvent } from '../../src/domain/telemetry.js';
import { assistantLine, keyless, MODEL, sent, telemetryWriter, transcriptStore, TS } from './telemetry-events.js';

const SESS = '00000020-1111-4222-8333-000000000020';
const MIN = 60_000;
const USAGE = { input: 11, output: 22, cacheRead: 3333, cacheWrite5m: 444, cacheWrite1h: 0, webSearch: 0, webFetch: 0 };

/** Claude Code's event of the session's `n`th request (sent when it ended, a second after its line). */
const event = (n: number): TelemetryEvent =>
  keyless(
    sent({
      sessionId: SESS,
      entrypoint: 'sdk-cli',
      ts: TS + (n - 1) * 2 * MIN + 1000,
      usage: USAGE,
      splitKnown: false,
      inferenceGeo: null,
      user: `u${n}@example.com`,
    }),
    `s:${SESS}:q1:${n}`,
  );

/** The transcript line of the `n`th request: the same counts as every other one. */
const line = (n: number): string =>
  assistantLine({ sessionId: SESS, messageId: `msg_E${n}`, uuid: `u-${n}`, ts: TS + (n - 1) * 2 * MIN, usage: USAGE });

function setup() {
  const { dir, flags } = transcriptStore('lookalike');
  return { flags, file: join(dir, 'projects', 'p', `${SESS}.jsonl`) };
}
const writerOf = telemetryWriter;

function summary(ctx: ReturnType<typeof openApp>) {
  return ctx.db
    .prepare(
      "SELECT count(*) AS n, sum(origin = 'transcript') AS t, sum(origin = 'otel') AS o, round(sum(cost), 9) AS cost FROM requests",
    )
    .get() as { n: number; t: number; o: number; cost: number };
}

type Step = 'T1' | 'T2' | 'E1' | 'E2' | 'E3';

async function run(steps: Step[]) {
  const { flags, file } = setup();
  let ctx = openApp(flags);
  const w = writerOf(ctx);
  const seen = [];
  for (const s of steps) {
    if (s === 'T1' || s === 'T2') {
      appendFileSync(file, line(s === 'T1' ? 1 : 2));
      await catchUp(ctx);
    } else w.write([event(Number(s.slice(1)))], TS);
  }
  seen.push(summary(ctx));
  // The exporter sends the whole batch again.
  w.write([event(1), event(2), event(3)], TS);
  seen.push(summary(ctx));
  // The transcript is written anew with the same bytes (read again from its start).
  writeFileSync(file, line(1) + line(2));
  await catchUp(ctx);
  seen.push(summary(ctx));
  ctx.close();
  ctx = openApp({ ...flags, rebuild: true });
  await catchUp(ctx);
  seen.push(summary(ctx));
  ctx.close();
  return seen;
}

describe('look-alike requests without a request id, two in the transcript and three by telemetry', () => {
  const price = (() => {
    const { flags } = setup();
    const ctx = openApp(flags);
    const p = priceRequest(ctx.prices, { model: MODEL, ts: TS, usage: USAGE, speed: null, inferenceGeo: null })!;
    ctx.close();
    return p;
  })();
  const orders: Step[][] = [
    ['E1', 'E2', 'E3', 'T1', 'T2'],
    ['T1', 'T2', 'E1', 'E2', 'E3'],
    ['T1', 'E3', 'E2', 'T2', 'E1'],
    ['E3', 'T1', 'E1', 'T2', 'E2'],
    ['E2', 'T2', 'E3', 'E1', 'T1'],
  ];
  for (const order of orders)
    it(`${order.join(' ')}: three requests, after a retry, a re-read and a rebuild`, async () => {
      for (const s of await run(order)) {
        expect(s).toEqual({ n: 3, t: 2, o: 1, cost: Number((3 * price).toFixed(9)) });
      }
    }, 30_000);
});

describe('a store upgraded from before transcript copies were paired one to one', () => {
  it('gives the event an earlier version took into a paired copy its own row back', async () => {
    const { flags, file } = setup();
    let ctx = openApp(flags);
    writeFileSync(file, line(1) + line(2));
    await catchUp(ctx);
    writerOf(ctx).write([event(1), event(2), event(3)], TS);
    // As version 13 left it: the third event's row taken into the second copy, no pairs kept.
    ctx.db.exec(`DELETE FROM requests WHERE origin = 'otel'; DROP INDEX telemetry_events_paired;
      ALTER TABLE telemetry_events DROP COLUMN paired_row; PRAGMA user_version = 13`);
    expect(summary(ctx).n).toBe(2);
    ctx.close();
    ctx = openApp(flags);
    expect(summary(ctx)).toMatchObject({ n: 3, t: 2, o: 1 });
    ctx.close();
  });
});
