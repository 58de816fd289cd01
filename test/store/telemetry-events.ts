/**
 * One request as a team store gets it twice: Claude Code's own event (`sent`) and the transcript
 * copy `push` sends (`pushed`), both alike but for what each kind carries; and the helpers the
 * telemetry store tests share.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TelemetryEvent } from '../../src/domain/telemetry.js';
import type { openApp } from '../../src/app/context.js';
import { priceRequest } from '../../src/domain/pricing.js';
import { TelemetryWriter } from '../../src/store/telemetry-writer.js';
import { isolateHome } from '../helpers/run-cli.js';

export const TS = Date.UTC(2026, 10, 20, 12);
export const MODEL = 'claude-sonnet-4-5-20250929';

/** Claude Code's own event: one cache-write figure (taken as 5-minute writes), attribution, no class. */
export function sent(over: Partial<TelemetryEvent> = {}): TelemetryEvent {
  return {
    key: 'req_1',
    requestId: 'req_1',
    sessionId: 'sess-1',
    promptId: 'p-1',
    messageId: null,
    model: MODEL,
    ts: TS + 2_000,
    entrypoint: null,
    ccVersion: '2.1.210',
    usage: {
      input: 10,
      output: 500,
      cacheRead: 1_000,
      cacheWrite5m: 20_000,
      cacheWrite1h: 0,
      webSearch: 0,
      webFetch: 0,
    },
    splitKnown: false,
    speed: null,
    inferenceGeo: null,
    classHint: null,
    project: null,
    gitBranch: null,
    user: 'ci@example.com',
    repo: 'acme/api',
    workflow: 'nightly',
    runId: '42',
    host: 'runner-1',
    agentName: null,
    skill: null,
    ccCost: 0.1,
    ...over,
  };
}

/** The same request as `push` sends it from a transcript: 1-hour writes, message id, class. */
export function pushed(over: Partial<TelemetryEvent> = {}): TelemetryEvent {
  return {
    ...sent(),
    promptId: null,
    messageId: 'msg_1',
    ts: TS,
    entrypoint: 'sdk-cli',
    usage: {
      input: 10,
      output: 500,
      cacheRead: 1_000,
      cacheWrite5m: 0,
      cacheWrite1h: 20_000,
      webSearch: 1,
      webFetch: 0,
    },
    splitKnown: true,
    inferenceGeo: 'us',
    classHint: 'programmatic',
    project: 'api',
    user: null,
    repo: null,
    workflow: null,
    runId: null,
    host: 'laptop',
    ccCost: null,
    ...over,
  };
}

/** Without a request id: each kind keys it its own way (session + prompt + sequence). */
export const keyless = (e: TelemetryEvent, key: string): TelemetryEvent => ({ ...e, key, requestId: null });

/** Every order of `xs`. */
export function permutations<T>(xs: readonly T[]): T[][] {
  if (xs.length <= 1) return [[...xs]];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest]));
}

let stores = 0;
/** A Claude root with an empty project folder `p` and a config of its own: the flags that open its store. */
export function transcriptStore(prefix: string) {
  const dir = join(isolateHome(), `${prefix}-${++stores}`);
  mkdirSync(join(dir, 'projects', 'p'), { recursive: true });
  const cfg = join(dir, 'config.json');
  writeFileSync(cfg, '{}');
  const flags = { db: join(dir, 'store.db'), claudeDir: [dir], config: cfg, tz: 'UTC' };
  return { dir, flags };
}

/** The telemetry writer the receiver uses, on `ctx`'s store with its price table. */
export function telemetryWriter(ctx: ReturnType<typeof openApp>): TelemetryWriter {
  return new TelemetryWriter(ctx.db, {
    classes: ctx.config.classes,
    priceVersion: ctx.prices.version,
    price: (i) => priceRequest(ctx.prices, i),
  });
}

/** A transcript's assistant line of one request (Claude Code 2.1, an SDK run), ending with its newline. */
export function assistantLine(o: {
  sessionId: string;
  messageId: string;
  uuid: string;
  ts: number;
  usage: { input: number; output: number; cacheRead: number; cacheWrite5m: number; cacheWrite1h: number };
  requestId?: string;
}): string {
  const u = o.usage;
  return (
    JSON.stringify({
      parentUuid: null,
      isSidechain: false,
      cwd: '/home/u/proj',
      sessionId: o.sessionId,
      version: '2.1.210',
      entrypoint: 'sdk-cli',
      message: {
        model: MODEL,
        type: 'message',
        role: 'assistant',
        content: [{ type: 'text', text: 'x' }],
        id: o.messageId,
        usage: {
          input_tokens: u.input,
          output_tokens: u.output,
          cache_read_input_tokens: u.cacheRead,
          cache_creation_input_tokens: u.cacheWrite5m + u.cacheWrite1h,
          cache_creation: { ephemeral_5m_input_tokens: u.cacheWrite5m, ephemeral_1h_input_tokens: u.cacheWrite1h },
        },
      },
      type: 'assistant',
      uuid: o.uuid,
      timestamp: new Date(o.ts).toISOString(),
      ...(o.requestId === undefined ? {} : { requestId: o.requestId }),
    }) + '\n'
  );
}
