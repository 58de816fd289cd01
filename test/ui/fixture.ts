/**
 * A hand-made Claude config root for the dashboard tests: a few sessions of programmatic
 * (`sdk-cli`) and interactive (`cli`) requests, written as real transcript lines into a temp dir
 * and read into a temp SQLite file through the real ingest pipeline.
 */
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp, type AppContext } from '../../src/app/context.js';
import { catchUp } from '../../src/ingest/pipeline.js';
import { createDashboardStore, type DashboardStore } from '../../src/state/app-store.js';
import { createDbSource } from '../../src/state/data-source.js';

/** 2026-11-20 12:00 UTC: the middle of the cycle that starts on Nov 1 (cycle day 1, UTC). */
export const NOW_MS = Date.parse('2026-11-20T12:00:00Z');
const HOUR = 3_600_000;

export interface FixtureRequest {
  model: string;
  entrypoint: string;
  /** Hours before NOW_MS. */
  hoursAgo: number;
  input?: number;
  output?: number;
  cacheRead?: number;
}

export interface FixtureSession {
  id: string;
  project: string;
  requests: FixtureRequest[];
}

let counter = 0;

/** One assistant line, as Claude Code 2.1.x writes it. */
export function assistantLine(
  session: FixtureSession,
  r: FixtureRequest,
  atMs: number = NOW_MS - r.hoursAgo * HOUR,
): string {
  counter += 1;
  const id = `msg_fx_${session.id}_${counter}`;
  return JSON.stringify({
    parentUuid: null,
    isSidechain: false,
    type: 'assistant',
    uuid: `uuid-${session.id}-${counter}`,
    timestamp: new Date(atMs).toISOString(),
    sessionId: session.id,
    cwd: session.project,
    version: '2.1.90',
    gitBranch: 'main',
    userType: 'external',
    entrypoint: r.entrypoint,
    requestId: `req_fx_${session.id}_${counter}`,
    message: {
      model: r.model,
      id,
      type: 'message',
      role: 'assistant',
      content: [{ type: 'text', text: 'ok' }],
      usage: {
        input_tokens: r.input ?? 1000,
        output_tokens: r.output ?? 2000,
        cache_read_input_tokens: r.cacheRead ?? 0,
        cache_creation_input_tokens: 0,
        cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
      },
    },
  });
}

/** The default tree: opus and sonnet programmatic work in two projects, one interactive session. */
export function defaultSessions(): FixtureSession[] {
  const opus = 'claude-opus-4-7';
  const sonnet = 'claude-sonnet-4-6';
  const many = (model: string, n: number, from: number, output: number): FixtureRequest[] =>
    Array.from({ length: n }, (_, i) => ({ model, entrypoint: 'sdk-cli', hoursAgo: from + i * 7, output }));
  return [
    {
      id: 'sess-alpha',
      project: '/work/alpha',
      requests: [...many(opus, 12, 2, 40_000), ...many(sonnet, 6, 5, 20_000)],
    },
    { id: 'sess-beta', project: '/work/beta', requests: many(opus, 8, 30, 30_000) },
    { id: 'sess-gamma', project: '/work/beta', requests: many(sonnet, 10, 50, 10_000) },
    {
      id: 'sess-human',
      project: '/work/alpha',
      requests: Array.from({ length: 5 }, (_, i) => ({
        model: opus,
        entrypoint: 'cli',
        hoursAgo: 3 + i,
        output: 5000,
      })),
    },
  ];
}

/** Writes the sessions as transcript files under `root/projects`, times relative to `nowMs`. */
export function writeTree(
  root: string,
  sessions: FixtureSession[],
  nowMs: number = NOW_MS,
): (sessionId: string) => string {
  const fileOf = (sessionId: string): string => join(root, 'projects', '-work-fixture', `${sessionId}.jsonl`);
  mkdirSync(join(root, 'projects', '-work-fixture'), { recursive: true });
  for (const s of sessions)
    writeFileSync(fileOf(s.id), s.requests.map((r) => `${assistantLine(s, r, nowMs - r.hoursAgo * HOUR)}\n`).join(''));
  return fileOf;
}

export interface Fixture {
  dir: string;
  root: string;
  ctx: AppContext;
  /** Path of a session's transcript file. */
  fileOf(sessionId: string): string;
  /** Appends one request line to a session's file (a real append). */
  append(session: FixtureSession, r: FixtureRequest, atMs?: number): void;
  /** Appends a programmatic request of mid-September (two cycles back) and reads it into the store. */
  addSeptember(): Promise<void>;
  close(): void;
}

/** Writes the tree, opens a fresh store over it (UTC, plan max5x, cycle day 1) and catches up. */
export async function buildFixture(
  sessions: FixtureSession[] = defaultSessions(),
  flags: Record<string, string> = {},
): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'creditmeter-ui-'));
  const root = join(dir, 'claude');
  const fileOf = writeTree(root, sessions);
  process.env.CREDITMETER_CONFIG = join(dir, 'no-config.json');
  const ctx = openApp({
    claudeDir: [root],
    db: join(dir, 'usage.db'),
    tz: 'UTC',
    plan: 'max5x',
    cycleStartDay: '1',
    ...flags,
  });
  await catchUp(ctx);
  return {
    dir,
    root,
    ctx,
    fileOf,
    append(session, r, atMs) {
      appendFileSync(fileOf(session.id), `${assistantLine(session, r, atMs)}\n`);
    },
    async addSeptember() {
      const old = { id: 'sess-september', project: '/work/alpha', requests: [] };
      const r = { model: 'claude-sonnet-4-6', entrypoint: 'sdk-cli', hoursAgo: 0 };
      writeFileSync(fileOf(old.id), `${assistantLine(old, r, Date.parse('2026-09-15T12:00:00Z'))}\n`);
      await catchUp(ctx);
    },
    close() {
      ctx.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The dashboard's store over a fixture's database, its clock stopped at NOW_MS. */
export function fixtureStore(fx: Fixture): DashboardStore {
  return createDashboardStore({
    source: createDbSource(fx.ctx.db, fx.ctx.config.plan, fx.ctx.prices.version),
    now: () => NOW_MS,
  });
}
