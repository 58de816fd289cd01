/**
 * A small hand-made Claude config root (programmatic, interactive and unknown sessions over three
 * weeks, a streaming duplicate, a malformed line, an unpriced model, awkward project names), read
 * into a temp SQLite store through the real ingest pipeline.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp, type AppContext } from '../../src/app/context.js';
import { catchUp } from '../../src/ingest/pipeline.js';

export const NOW_ISO = '2026-08-25T12:00:00Z';
export const NOW_MS = Date.parse(NOW_ISO);
/** A project path that needs quoting in CSV and escaping in HTML and Markdown. */
export const AWKWARD_PROJECT = '/work/beta, "quoted" <b>&co|pipe';

interface Req {
  session: string;
  cwd: string;
  entrypoint: string | null;
  model: string;
  ts: number;
  id: string;
  output: number;
  input?: number;
}

function assistantLine(r: Req): string {
  const line: Record<string, unknown> = {
    parentUuid: null,
    isSidechain: false,
    type: 'assistant',
    uuid: `u-${r.id}`,
    timestamp: new Date(r.ts).toISOString(),
    sessionId: r.session,
    cwd: r.cwd,
    version: '2.1.120',
    gitBranch: 'main',
    requestId: `req_${r.id}`,
    message: {
      id: `msg_${r.id}`,
      type: 'message',
      role: 'assistant',
      model: r.model,
      content: [{ type: 'text', text: 'ok' }],
      usage: {
        input_tokens: r.input ?? 40,
        output_tokens: r.output,
        cache_read_input_tokens: 20_000,
        cache_creation_input_tokens: 3_000,
        cache_creation: { ephemeral_5m_input_tokens: 2_000, ephemeral_1h_input_tokens: 1_000 },
        server_tool_use: { web_search_requests: 0, web_fetch_requests: 0 },
        service_tier: 'standard',
      },
    },
  };
  if (r.entrypoint !== null) line.entrypoint = r.entrypoint;
  return JSON.stringify(line);
}

const DAY = 86_400_000;
const START = Date.parse('2026-08-08T15:00:00Z');

/** Writes the transcript tree under `root` (20 days ending after NOW, so clipping at `now` matters). */
export function writeTree(root: string): void {
  const files = new Map<string, string[]>();
  const add = (rel: string, line: string): void => {
    const list = files.get(rel) ?? [];
    list.push(line);
    files.set(rel, list);
  };
  const A = 'aaaaaaaa-0000-4000-8000-000000000001';
  const B = 'bbbbbbbb-0000-4000-8000-000000000002';
  const C = 'cccccccc-0000-4000-8000-000000000003';
  const D = 'dddddddd-0000-4000-8000-000000000004';
  for (let d = 0; d < 20; d++) {
    const t = START + d * DAY;
    add(
      `-work-alpha/${A}.jsonl`,
      assistantLine({
        session: A,
        cwd: '/work/alpha',
        entrypoint: 'sdk-cli',
        model: 'claude-sonnet-4-5-20250929',
        ts: t,
        id: `a${d}x`,
        output: 900 + d * 37,
      }),
    );
    add(
      `-work-alpha/${A}.jsonl`,
      assistantLine({
        session: A,
        cwd: '/work/alpha',
        entrypoint: 'sdk-cli',
        model: 'claude-haiku-4-5-20251001',
        ts: t + 3_600_000,
        id: `a${d}y`,
        output: 400 + d * 11,
      }),
    );
    if (d % 7 < 5) {
      add(
        `-work-beta/${B}.jsonl`,
        assistantLine({
          session: B,
          cwd: AWKWARD_PROJECT,
          entrypoint: 'sdk-ts',
          model: 'claude-opus-4-7',
          ts: t + 7_200_000,
          id: `b${d}`,
          output: 1500 + d * 53,
          input: 300,
        }),
      );
    }
    add(
      `-work-alpha/${C}.jsonl`,
      assistantLine({
        session: C,
        cwd: '/work/alpha',
        entrypoint: 'cli',
        model: 'claude-opus-4-6',
        ts: t + 5_400_000,
        id: `c${d}`,
        output: 2000,
      }),
    );
    add(
      `-work-gamma/${D}.jsonl`,
      assistantLine({
        session: D,
        cwd: '/work/gamma',
        entrypoint: null,
        model: 'claude-sonnet-4-6',
        ts: t + 9_000_000,
        id: `d${d}`,
        output: 700,
      }),
    );
  }
  // A streaming copy with a placeholder output count, then the final copy: one request.
  const dup = {
    session: A,
    cwd: '/work/alpha',
    entrypoint: 'sdk-cli',
    model: 'claude-sonnet-4-5-20250929',
    ts: START + 12 * DAY + 600_000,
    id: 'dup1',
  };
  add(`-work-alpha/${A}.jsonl`, assistantLine({ ...dup, output: 3 }));
  add(`-work-alpha/${A}.jsonl`, assistantLine({ ...dup, output: 1234 }));
  add(`-work-alpha/${A}.jsonl`, '{"type":"assistant","message":{"usage":{"input_tokens":1,"output_tokens":');
  add(
    `-work-alpha/${A}.jsonl`,
    assistantLine({
      session: A,
      cwd: '/work/alpha',
      entrypoint: 'sdk-cli',
      model: 'claude-future-9',
      ts: START + 14 * DAY,
      id: 'fut1',
      output: 500,
    }),
  );
  // A burst of parallel requests sharing one timestamp (subagents started together).
  for (let i = 0; i < 7; i++) {
    add(
      `-work-alpha/${A}.jsonl`,
      assistantLine({
        session: A,
        cwd: '/work/alpha',
        entrypoint: 'sdk-cli',
        model: 'claude-haiku-4-5-20251001',
        ts: START + 13 * DAY,
        id: `burst${i}`,
        output: 100 + i,
      }),
    );
  }
  for (const [rel, lines] of files) {
    const path = join(root, 'projects', rel);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, `${lines.join('\n')}\n`);
  }
}

export interface FixtureStore {
  dir: string;
  root: string;
  exportDir: string;
  ctx: AppContext;
  cleanup(): void;
}

/** Builds the tree in a temp dir and opens a context on a fresh store filled by `catchUp`. */
export async function openFixtureStore(
  tz: string,
  extraFlags: Record<string, string> = {},
  beforeIngest: (root: string) => void = () => undefined,
): Promise<FixtureStore> {
  const dir = mkdtempSync(join(tmpdir(), 'cm-export-'));
  const root = join(dir, 'claude');
  const exportDir = join(dir, 'exports');
  writeTree(root);
  beforeIngest(root);
  const config = join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({ exportDir }));
  const ctx = openApp({
    config,
    db: join(dir, 'usage.db'),
    claudeDir: [root],
    tz,
    plan: 'custom',
    credit: '2',
    cycleStartDay: '15',
    ...extraFlags,
  });
  await catchUp(ctx);
  return {
    dir,
    root,
    exportDir,
    ctx,
    cleanup: () => {
      ctx.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
