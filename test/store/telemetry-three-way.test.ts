/**
 * A store that reads its own transcripts and receives telemetry (`serve` tails ~/.claude too) gets
 * one request three ways: its transcript line, a pushed copy of it from another store, and Claude
 * Code's event. In every order, with retries and after a rebuild, it is one request: the
 * transcript's split and class, Claude Code's attribution.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openApp } from '../../src/app/context.js';
import { catchUp } from '../../src/ingest/pipeline.js';
import type { TelemetryEvent } from '../../src/domain/telemetry.js';
import {
  assistantLine,
  keyless,
  permutations,
  pushed as sharedPushed,
  sent as sharedSent,
  telemetryWriter,
  transcriptStore,
  TS,
} from './telemetry-events.js';

const SESS = '00000010-1111-4222-8333-000000000010';

/** The shared request, in this test's session (its transcript file is named by it). */
const sent = (over: Partial<TelemetryEvent> = {}): TelemetryEvent =>
  sharedSent({ sessionId: SESS, entrypoint: 'sdk-cli', ...over });
const pushed = (over: Partial<TelemetryEvent> = {}): TelemetryEvent => sharedPushed({ sessionId: SESS, ...over });

function transcriptLine(withId: boolean): string {
  const usage = { input: 10, output: 500, cacheRead: 1000, cacheWrite5m: 0, cacheWrite1h: 20000 };
  return assistantLine({
    sessionId: SESS,
    messageId: 'msg_1',
    uuid: 'u-1',
    ts: TS,
    usage,
    ...(withId ? { requestId: 'req_1' } : {}),
  });
}

const setup = () => transcriptStore('three');
const writer = telemetryWriter;
function rows(ctx: ReturnType<typeof openApp>) {
  return ctx.db
    .prepare(
      `SELECT key, origin, class, cost, output_tokens o, cache_write_5m_tokens w5, cache_write_1h_tokens w1, user_name, host FROM requests ORDER BY key`,
    )
    .all() as Record<string, unknown>[];
}

type Item = { name: string; ev?: TelemetryEvent; transcript?: boolean };

async function run(items: Item[], tWithId: boolean) {
  const { dir, flags } = setup();
  let ctx = openApp(flags);
  const w = writer(ctx);
  for (const it of items) {
    if (it.transcript) {
      writeFileSync(join(dir, 'projects', 'p', `${SESS}.jsonl`), transcriptLine(tWithId));
      await catchUp(ctx);
    } else w.write([it.ev!], TS);
  }
  // retries
  if (!process.env.NORETRY) for (const it of items) if (it.ev) w.write([it.ev], TS);
  const live = rows(ctx);
  ctx.close();
  ctx = openApp({ ...flags, rebuild: true });
  await catchUp(ctx);
  const rebuilt = rows(ctx);
  ctx.close();
  return { live, rebuilt };
}

describe('a request from its transcript, a pushed copy and Claude Code’s event', () => {
  const cases: [string, boolean, TelemetryEvent, TelemetryEvent][] = [
    ['all three with the request id', true, pushed(), sent()],
    ['the event without the request id', true, pushed(), keyless(sent(), `s:${SESS}:p-1:7`)],
    ['the pushed copy without it', true, keyless(pushed(), `s:${SESS}:transcript:msg_1`), sent()],
    [
      'none of them with it',
      false,
      keyless(pushed(), `s:${SESS}:transcript:msg_1`),
      keyless(sent(), `s:${SESS}:p-1:7`),
    ],
  ];
  for (const [name, tId, p, s] of cases) {
    it(`${name}: one request in every order, live and after a rebuild`, async () => {
      for (const order of permutations<Item>([
        { name: 'T', transcript: true },
        { name: 'P', ev: p },
        { name: 'S', ev: s },
      ])) {
        const named = order.map((i) => i.name).join('');
        const { live, rebuilt } = await run(order, tId);
        for (const [when, rs] of [
          ['live', live],
          ['rebuilt', rebuilt],
        ] as const) {
          expect(rs, `${named} ${when}`).toHaveLength(1);
          expect(rs[0], `${named} ${when}`).toMatchObject({
            origin: 'transcript',
            class: 'programmatic',
            o: 500,
            w5: 0,
            w1: 20_000,
            user_name: 'ci@example.com',
            host: 'runner-1',
          });
        }
      }
    }, 60_000);
  }
});
