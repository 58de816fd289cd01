import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  readStdin,
  statusLine,
  statuslineMain,
  transcriptToTail,
  STATUSLINE_NO_STORE,
} from '../../src/commands/statusline.js';
import { buildStatus } from '../../src/services/status.js';
import { globalOptionAsValue, parseGlobalFlags } from '../../src/cli/global-flags.js';
import { TAIL_MAX_BYTES } from '../../src/commands/statusline-draw.js';
import { pendingBytes, statuslineCachePath, worthTailing } from '../../src/app/statusline.js';
import { catchUp } from '../../src/ingest/pipeline.js';
import { readOfficial } from '../../src/app/official.js';
import { briefTime, figuresOfStatus, formatStatusLine } from '../../src/output/export-statusline.js';
import type { StatusReport } from '../../src/domain/status-types.js';
import { NOW_MS, openFixtureStore, type FixtureStore } from './fixture-store.js';
import { sampleSnapshot } from './sample-snapshot.js';
import { isolateHome, runCli } from '../helpers/run-cli.js';

const ESC = '\u001b[';

/** A stdin stand-in: a pipe (not a TTY) that delivers `text` and closes, or stays open when `text` is null. */
function pipe(text: string | null): NodeJS.ReadStream {
  const s = new PassThrough() as unknown as NodeJS.ReadStream;
  if (text !== null) (s as unknown as PassThrough).end(text);
  return s;
}

describe('formatStatusLine', () => {
  const report = (patch: Partial<StatusReport['credit']>, p50: string | null = null): StatusReport => {
    const s = sampleSnapshot().status;
    return {
      ...s,
      credit: { ...s.credit, ...patch },
      forecast: { ...s.forecast, exhaustionAt: { p10: p50, p50, p90: p50 } },
    };
  };

  it('prints the session, today, the credit used, and no run-out when the credit lasts the cycle', () => {
    const line = formatStatusLine(
      figuresOfStatus(report({ used: 37.12, usedFraction: 0.3712, exhaustedAt: null, overage: 0 }), {
        today: 4.1,
        session: 1.2,
      }),
      { color: false },
    );
    expect(line).toBe('session $1.20 · today $4.10 · credit $37.12/$100 37% · 3 unpriced');
    expect(line.length).toBeLessThanOrEqual(80);
    const noSession = formatStatusLine(
      figuresOfStatus(report({ used: 37.12, usedFraction: 0.3712, exhaustedAt: null, overage: 0 })),
      { color: false },
    );
    expect(noSession).toBe('today $0.00 · credit $37.12/$100 37% · 3 unpriced');
  });

  it('names the run-out moment briefly and colours by severity', () => {
    const line = formatStatusLine(
      figuresOfStatus(
        report({ used: 95, usedFraction: 0.95, exhaustedAt: null, overage: 0 }, '2026-09-23T09:30:00.000+02:00'),
      ),
      { color: true },
    );
    expect(line).toContain(`${ESC}31m95%`);
    expect(line.replace(/\u001b\[\d+m/g, '')).toBe(
      'today $0.00 · credit $95.00/$100 95% · runs out Wed 09:30 · 3 unpriced',
    );
  });

  it('says when the credit ran out and the overage billed', () => {
    const line = formatStatusLine(figuresOfStatus(report({})), { color: false });
    // In full, 85 columns: without cents from $10 and without today, within 80.
    expect(line).toBe('credit $120/$100 120% · ran out Wed 08:00 · overage $20 · 3 unpriced');
  });

  it('names the unpriced requests only when there are some', () => {
    const figures = figuresOfStatus(report({ used: 37.12, usedFraction: 0.3712, exhaustedAt: null, overage: 0 }));
    expect(formatStatusLine({ ...figures, unpricedRequests: 0 }, { color: false })).not.toContain('unpriced');
    expect(
      formatStatusLine({ ...figures, unpricedRequests: 1234 }, { color: false }).endsWith(' · 1,234 unpriced'),
    ).toBe(true);
    expect(formatStatusLine(figures, { color: true })).toContain(`${ESC}33m3 unpriced`);
  });

  it('keeps within 80 columns: whole dollars from $10, then without today, then without the session', () => {
    const at = (patch: Partial<StatusReport['credit']>, session: number, credit = 200) => {
      const r = report(patch, '2026-09-22T09:06:00.000+02:00');
      const figures = figuresOfStatus({ ...r, cycle: { ...r.cycle, credit } }, { today: 27, session });
      return formatStatusLine({ ...figures, unpricedRequests: 1 }, { color: true }).replace(/\u001b\[\d+m/g, '');
    };
    const heavy = at({ used: 189, usedFraction: 0.945, exhaustedAt: null, overage: 0 }, 189);
    expect(heavy).toBe('session $189 · credit $189/$200 95% · runs out Tue 09:06 · 1 unpriced');
    // A large credit with usage credits on, run out: the credit's figures and the overage stay.
    const big = at(
      { used: 23_456.78, usedFraction: 1.17, exhaustedAt: '2026-09-21T08:00:00.000+02:00', overage: 3456.78 },
      12_345.67,
      20_000,
    );
    expect(big.length).toBeLessThanOrEqual(80);
    expect(big).toMatch(/credit \$23,457\/\$20,000 117% · ran out .* · overage \$3,457 · 1 unpriced$/);
  });

  it('shortens times by distance', () => {
    const now = '2026-09-21T12:00:00.000+02:00';
    expect(briefTime('2026-09-21T18:05:00.000+02:00', now, 'Europe/Berlin')).toBe('18:05');
    expect(briefTime('2026-09-23T09:30:00.000+02:00', now, 'Europe/Berlin')).toBe('Wed 09:30');
    expect(briefTime('2026-10-08T09:30:00.000+02:00', now, 'Europe/Berlin')).toBe('Oct 8');
  });
});

describe('hook input', () => {
  it('reads a closed pipe, and gives up on a pipe nobody closes', async () => {
    expect(await readStdin(pipe('{"a":1}'), 500)).toBe('{"a":1}');
    const started = Date.now();
    expect(await readStdin(pipe(null), 50)).toBeNull();
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('waits for input that comes late, and takes a whole object from a pipe left open', async () => {
    // A busy machine: the hook's JSON arrives 300 ms after the start, in two writes.
    const late = new PassThrough();
    setTimeout(() => late.write('{"session_id":"s1",'), 300);
    setTimeout(() => late.end('"cost":{"total_cost_usd":0.75}}'), 350);
    expect(await readStdin(late as unknown as NodeJS.ReadStream, 5000)).toBe(
      '{"session_id":"s1","cost":{"total_cost_usd":0.75}}',
    );
    // A writer that never closes the pipe: the object is read once whole, not at the time limit.
    const open = new PassThrough();
    open.write('{"a":{"b":1}}\n');
    const started = Date.now();
    expect(await readStdin(open as unknown as NodeJS.ReadStream, 5000)).toBe('{"a":{"b":1}}\n');
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('takes only an existing .jsonl transcript_path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cm-hook-'));
    const file = join(dir, 's.jsonl');
    appendFileSync(file, '{}\n');
    expect(transcriptToTail(JSON.stringify({ session_id: 'x', transcript_path: file, cwd: dir }))).toBe(file);
    expect(transcriptToTail(JSON.stringify({ transcript_path: join(dir, 'gone.jsonl') }))).toBeNull();
    expect(transcriptToTail(JSON.stringify({ transcript_path: '/etc/passwd' }))).toBeNull();
    expect(transcriptToTail('not json')).toBeNull();
    expect(transcriptToTail(JSON.stringify([1, 2]))).toBeNull();
    // A byte-order mark before the JSON (a wrapper that writes one) is passed over, as in transcripts.
    expect(transcriptToTail(`\ufeff${JSON.stringify({ session_id: 'x', transcript_path: file })}`)).toBe(file);
    rmSync(dir, { recursive: true });
  });

  it('parses the global flags the way the program does', () => {
    expect(
      parseGlobalFlags([
        '--db',
        'a.db',
        '--claude-dir',
        'x',
        '--claude-dir',
        'y',
        '--plan=max5x',
        '--cycle-start-day',
        '3',
        '--whatever',
      ]),
    ).toEqual({
      db: 'a.db',
      claudeDir: ['x', 'y'],
      plan: 'max5x',
      cycleStartDay: '3',
    });
  });
});

/** One billable programmatic line of the session aaaaaaaa (any model, `output` tokens). */
function assistant(id: string, model: string, ts: number, output: number): string {
  return JSON.stringify({
    type: 'assistant',
    uuid: `u-${id}`,
    timestamp: new Date(ts).toISOString(),
    sessionId: 'aaaaaaaa-0000-4000-8000-000000000001',
    cwd: '/work/alpha',
    entrypoint: 'sdk-cli',
    requestId: `req_${id}`,
    message: {
      id: `msg_${id}`,
      model,
      usage: { input_tokens: 1000, output_tokens: output, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
    },
  });
}

describe('statusLine on a store', () => {
  let f: FixtureStore;
  let flags: {
    config: string;
    db: string;
    claudeDir: string[];
    tz: string;
    plan: string;
    credit: string;
    cycleStartDay: string;
  };
  beforeAll(async () => {
    f = await openFixtureStore('America/Los_Angeles');
    flags = {
      config: join(f.dir, 'config.json'),
      db: join(f.dir, 'usage.db'),
      claudeDir: [f.root],
      tz: 'America/Los_Angeles',
      plan: 'custom',
      credit: '2',
      cycleStartDay: '15',
    };
  });
  afterAll(() => f.cleanup());
  const env = { NO_COLOR: '1' };

  it('shows the figures status computes', async () => {
    const line = await statusLine(flags, pipe(''), env, NOW_MS);
    const status = buildStatus(f.ctx.db, f.ctx.config.plan, f.ctx.prices.version, NOW_MS);
    expect(line).toContain(
      formatStatusLine(figuresOfStatus(status), { color: false }).split(' · ').slice(1).join(' · '),
    );
    // claude-future-9 has no price: its request is named, not silently left out.
    expect(line).toMatch(
      /^today \$[\d.]+ · credit \$1\.\d\d\/\$2 \d+% · runs out (\d\d:\d\d|\w{3} \d\d:\d\d|\w{3} \d+) · 1 unpriced$/,
    );
    expect(statSync(statuslineCachePath(flags.db)!).mode & 0o777).toBe(0o600);
  });

  it('draws anew when the classes it counts change, though the store did not', async () => {
    const moved = join(f.dir, 'classes-moved.json');
    writeFileSync(moved, JSON.stringify({ classes: { 'sdk-cli': 'interactive', 'sdk-ts': 'interactive' } }));
    const credit = (line: string): string => /credit (\$[\d.]+)/.exec(line)![1]!;
    const before = await statusLine(flags, pipe(''), env, NOW_MS);
    const after = await statusLine({ ...flags, config: moved }, pipe(''), env, NOW_MS);
    expect(credit(before)).not.toBe('$0.00');
    expect(credit(after)).toBe('$0.00');
    // Its forecast too: nothing counted, nothing runs out (the kept forecast was of the old classes).
    expect(before).toMatch(/runs out/);
    expect(after).not.toMatch(/runs out/);
    expect(await statusLine(flags, pipe(''), env, NOW_MS)).toBe(before);
  });

  it('draws anew when the roots it reads change, though the store did not', async () => {
    // A second root holding the session's transcript: read only once it is a root.
    const second = join(f.dir, 'second-root');
    const transcript = join(second, 'projects', '-work-gamma', 'bbbbbbbb-0000-4000-8000-000000000002.jsonl');
    mkdirSync(join(second, 'projects', '-work-gamma'), { recursive: true });
    writeFileSync(transcript, `${assistant('second-root', 'claude-opus-4-7', NOW_MS - 60_000, 20_000)}\n`);
    const hook = JSON.stringify({ transcript_path: transcript, session_id: 'bbbbbbbb' });
    const credit = (line: string): number => Number(/credit \$([\d.]+)/.exec(line)![1]);
    const one = await statusLine(flags, pipe(hook), env, NOW_MS);
    const both = await statusLine({ ...flags, claudeDir: [f.root, second] }, pipe(hook), env, NOW_MS);
    expect(credit(both)).toBeGreaterThan(credit(one) + 0.4);
  });

  it('tails the session transcript named on stdin and moves the figures by the new spend', async () => {
    const before = buildStatus(f.ctx.db, f.ctx.config.plan, f.ctx.prices.version, NOW_MS + 60_000).credit.used;
    const transcript = join(f.root, 'projects', '-work-alpha', 'aaaaaaaa-0000-4000-8000-000000000001.jsonl');
    const line = JSON.stringify({
      type: 'assistant',
      uuid: 'u-new',
      timestamp: new Date(NOW_MS - 30_000).toISOString(),
      sessionId: 'aaaaaaaa-0000-4000-8000-000000000001',
      cwd: '/work/alpha',
      entrypoint: 'sdk-cli',
      requestId: 'req_new',
      message: {
        id: 'msg_new',
        model: 'claude-opus-4-7',
        usage: {
          input_tokens: 1000,
          output_tokens: 20_000,
          cache_read_input_tokens: 0,
          cache_creation_input_tokens: 0,
        },
      },
    });
    appendFileSync(transcript, `${line}\n`);
    const out = await statusLine(
      flags,
      pipe(JSON.stringify({ transcript_path: transcript, session_id: 'aaaaaaaa' })),
      env,
      NOW_MS + 60_000,
    );
    const after = buildStatus(f.ctx.db, f.ctx.config.plan, f.ctx.prices.version, NOW_MS + 60_000);
    expect(after.credit.used).toBeGreaterThan(before + 0.4);
    expect(out).toContain(` · credit $${after.credit.used.toFixed(2)}/$2 `);
  });

  it('tails a transcript named through a symbolic link to its root, as the file the catch-up stored', async () => {
    const link = join(f.dir, 'root-link');
    symlinkSync(f.root, link);
    const name = join('projects', '-work-alpha', 'aaaaaaaa-0000-4000-8000-000000000001.jsonl');
    const files = (): number => f.ctx.db.prepare('SELECT COUNT(*) FROM files').pluck().get() as number;
    const filesBefore = files();
    const before = buildStatus(f.ctx.db, f.ctx.config.plan, f.ctx.prices.version, NOW_MS + 70_000).credit.used;
    appendFileSync(join(f.root, name), `${assistant('linked1', 'claude-opus-4-7', NOW_MS + 40_000, 20_000)}\n`);
    const out = await statusLine(
      flags,
      pipe(JSON.stringify({ transcript_path: join(link, name), session_id: 'aaaaaaaa' })),
      env,
      NOW_MS + 70_000,
    );
    const after = buildStatus(f.ctx.db, f.ctx.config.plan, f.ctx.prices.version, NOW_MS + 70_000).credit.used;
    expect(after).toBeGreaterThan(before + 0.4);
    expect(out).toContain(` · credit $${after.toFixed(2)}/$2 `);
    expect(files()).toBe(filesBefore);
  });

  it('counts unpriced requests fresh while the forecast comes from the cache', async () => {
    const transcript = join(f.root, 'projects', '-work-alpha', 'aaaaaaaa-0000-4000-8000-000000000001.jsonl');
    appendFileSync(transcript, `${assistant('unk1', 'claude-unheard-of-1', NOW_MS + 90_000, 100)}\n`);
    const out = await statusLine(flags, pipe(JSON.stringify({ transcript_path: transcript })), env, NOW_MS + 120_000);
    expect(out.endsWith(' · 2 unpriced')).toBe(true);
  });

  it('tails a long transcript when what is left to read is small, and leaves a large unread one to ingest', async () => {
    const dir = join(f.root, 'projects', '-work-long');
    mkdirSync(dir, { recursive: true });
    const transcript = join(dir, 'eeeeeeee-0000-4000-8000-000000000005.jsonl');
    const filler = JSON.stringify({ type: 'user', message: { role: 'user', content: 'x'.repeat(64 * 1024) } });
    writeFileSync(
      transcript,
      `${`${filler}\n`.repeat(Math.ceil(TAIL_MAX_BYTES / filler.length) + 4)}${assistant('long1', 'claude-opus-4-7', NOW_MS + 150_000, 20_000)}\n`,
    );
    expect(statSync(transcript).size).toBeGreaterThan(TAIL_MAX_BYTES);
    const at = NOW_MS + 180_000;
    const hook = pipe(JSON.stringify({ transcript_path: transcript }));
    const used = (): number => buildStatus(f.ctx.db, f.ctx.config.plan, f.ctx.prices.version, at).credit.used;

    // Unknown to the store: the whole file is unread, more than a prompt may wait for.
    expect(pendingBytes(f.ctx.db, transcript)).toBe(statSync(transcript).size);
    expect(worthTailing(f.ctx.db, transcript, TAIL_MAX_BYTES)).toBe(false);
    const before = used();
    await statusLine(flags, hook, env, at);
    expect(used()).toBe(before);

    // Once a catch-up has read it, an append is only a few bytes to read: the status line takes it.
    await catchUp(f.ctx);
    expect(pendingBytes(f.ctx.db, transcript)).toBe(0);
    expect(worthTailing(f.ctx.db, transcript, TAIL_MAX_BYTES)).toBe(false);
    const caughtUp = used();
    expect(caughtUp).toBeGreaterThan(before);
    const line = `${assistant('long2', 'claude-opus-4-7', NOW_MS + 160_000, 20_000)}\n`;
    appendFileSync(transcript, line);
    expect(pendingBytes(f.ctx.db, transcript)).toBe(Buffer.byteLength(line));
    expect(worthTailing(f.ctx.db, transcript, TAIL_MAX_BYTES)).toBe(true);
    expect(worthTailing(f.ctx.db, transcript, Buffer.byteLength(line) - 1)).toBe(false);
    const out = await statusLine(flags, pipe(JSON.stringify({ transcript_path: transcript })), env, at);
    expect(used()).toBeGreaterThan(caughtUp + 0.4);
    expect(pendingBytes(f.ctx.db, transcript)).toBe(0);
    expect(out).toContain(` · credit $${used().toFixed(2)}/$2 `);

    // Named through a symbolic link to the root: the stored offset is found, and the append read.
    const link = join(f.dir, 'root-link-long');
    symlinkSync(f.root, link);
    const tailed = used();
    appendFileSync(transcript, `${assistant('long3', 'claude-opus-4-7', NOW_MS + 170_000, 20_000)}\n`);
    const viaLink = join(link, 'projects', '-work-long', 'eeeeeeee-0000-4000-8000-000000000005.jsonl');
    await statusLine(flags, pipe(JSON.stringify({ transcript_path: viaLink })), env, at);
    expect(used()).toBeGreaterThan(tailed + 0.4);
  });

  it('colours unless NO_COLOR is set', async () => {
    expect(await statusLine(flags, pipe(''), {}, NOW_MS)).toContain(ESC);
    expect(await statusLine(flags, pipe(''), { NO_COLOR: '1' }, NOW_MS)).not.toContain(ESC);
  });

  it("shows this session's cost, records Claude Code's own figures, and redraws only when something changed", async () => {
    const transcript = join(f.root, 'projects', '-work-alpha', 'aaaaaaaa-0000-4000-8000-000000000001.jsonl');
    const hook = (cost: number): NodeJS.ReadStream =>
      pipe(
        JSON.stringify({
          session_id: 'aaaaaaaa-0000-4000-8000-000000000001',
          transcript_path: transcript,
          cost: { total_cost_usd: cost },
          rate_limits: {
            five_hour: { used_percentage: 42, resets_at: 1_790_000_000 },
            seven_day: { used_percentage: 18.5, resets_at: '2026-09-25T00:00:00Z' },
          },
        }),
      );
    const at = NOW_MS + 200_000;
    const first = await statusLine(flags, hook(3.5), env, at);
    const own = f.ctx.db
      .prepare("SELECT SUM(cost) AS c FROM requests WHERE session_id = 'aaaaaaaa-0000-4000-8000-000000000001'")
      .get() as { c: number };
    expect(first.startsWith(`session $${own.c.toFixed(2)} · today $`)).toBe(true);
    expect(first.length).toBeLessThanOrEqual(80);
    const official = readOfficial(flags.db);
    expect(official.fiveHour).toEqual({ usedPercentage: 42, resetsAt: 1_790_000_000_000, seenAt: at });
    expect(official.sevenDay?.resetsAt).toBe(Date.parse('2026-09-25T00:00:00Z'));
    expect(official.sessions['aaaaaaaa-0000-4000-8000-000000000001']).toEqual({ costUsd: 3.5, seenAt: at });
    expect(statSync(`${flags.db}-official.json`).mode & 0o777).toBe(0o600);
    // Nothing written since: the same line, from the line cache.
    expect(await statusLine(flags, hook(3.6), env, at + 1000)).toBe(first);
    expect(readOfficial(flags.db).sessions['aaaaaaaa-0000-4000-8000-000000000001']?.costUsd).toBe(3.6);
    // A new request in the session: drawn again, with the new spend.
    appendFileSync(transcript, `${assistant('sess2', 'claude-opus-4-7', at - 5_000, 20_000)}\n`);
    const next = await statusLine(flags, hook(4), env, at + 2000);
    expect(next).not.toBe(first);
    const own2 = f.ctx.db
      .prepare("SELECT SUM(cost) AS c FROM requests WHERE session_id = 'aaaaaaaa-0000-4000-8000-000000000001'")
      .get() as { c: number };
    expect(own2.c).toBeGreaterThan(own.c + 0.4);
    expect(next.startsWith(`session $${own2.c.toFixed(2)} · `)).toBe(true);
    // report --by session puts Claude Code's own figure beside creditmeter's.
    const report = ['report', '--by', 'session', '--db', flags.db, '--claude-dir', f.root, '--config', flags.config];
    const r = await runCli([...report, '--json']);
    const rows = (JSON.parse(r.stdout) as { rows: Array<{ key: string; cost: number; claudeCodeCost?: number }> }).rows;
    const row = rows.find((x) => x.key === 'aaaaaaaa-0000-4000-8000-000000000001');
    expect(row?.claudeCodeCost).toBe(4);
    expect(rows.filter((x) => x.claudeCodeCost !== undefined)).toHaveLength(1);
    const text = await runCli(report);
    expect(text.stdout).toContain("Claude Code's cost");
  });

  it("shows Claude Code's new session cost at once when there is no transcript to price it from", async () => {
    const hook = (cost: number): NodeJS.ReadStream =>
      pipe(
        JSON.stringify({
          session_id: 'eeeeeeee-0000-4000-8000-000000000005',
          transcript_path: join(f.dir, 'not-there.jsonl'),
          cost: { total_cost_usd: cost },
        }),
      );
    const at = NOW_MS + 400_000;
    const lines: string[] = [];
    for (const [i, cost] of [0.5, 0.9, 2].entries())
      lines.push(await statusLine(flags, hook(cost), env, at + i * 1000));
    expect(lines.map((l) => l.split(' · ')[0])).toEqual(['session $0.50', 'session $0.90', 'session $2.00']);
  });

  it('leaves out a session cost from Claude Code past plausible, and one an older build kept', async () => {
    const session = 'ffffffff-0000-4000-8000-000000000006';
    const hook = (cost: number): NodeJS.ReadStream =>
      pipe(JSON.stringify({ session_id: session, cost: { total_cost_usd: cost } }));
    const at = NOW_MS + 500_000;
    const line = await statusLine(flags, hook(1e300), env, at);
    expect(line).toMatch(/^today \$[\d.]+ · credit /);
    expect(readOfficial(flags.db).sessions[session]).toBeUndefined();
    // As an older build wrote it: read back without it.
    const file = `${flags.db}-official.json`;
    const kept = JSON.parse(readFileSync(file, 'utf8')) as { sessions: Record<string, unknown> };
    kept.sessions[session] = { costUsd: 1e300, seenAt: at };
    writeFileSync(file, JSON.stringify(kept));
    expect(readOfficial(flags.db).sessions[session]).toBeUndefined();
    expect(await statusLine(flags, hook(3), env, at + 1000)).toMatch(/^session \$3\.00 · /);
  });

  it('ignores garbage on stdin', async () => {
    expect(await statusLine(flags, pipe('\u0000garbage{'), env, NOW_MS)).toMatch(/^today \$[\d.]+ · credit /);
  });
});

describe('statusline without a store', () => {
  it('prints a hint and exits 0, through the short path and through the program', async () => {
    const home = isolateHome();
    const db = join(home, 'usage.db');
    const short = await runCliShort(['--db', db]);
    expect(short).toEqual({ code: 0, stdout: `${STATUSLINE_NO_STORE}\n` });
    const full = await runCli(['--db', db, 'statusline']);
    expect(full.code).toBe(0);
    expect(full.stdout).toBe(`${STATUSLINE_NO_STORE}\n`);
    expect(existsSync(db)).toBe(false);
    rmSync(home, { recursive: true, force: true });
  });

  it('names a chosen store whose folder does not exist, through both paths, exit 0', async () => {
    const home = isolateHome();
    const db = join(home, 'nope', 'usage.db');
    const want = `creditmeter: no folder ${join(home, 'nope')} for the database (from --db)\n`;
    expect(await runCliShort(['--db', db])).toEqual({ code: 0, stdout: want });
    expect(await runCli(['--db', db, 'statusline'])).toMatchObject({ code: 0, stdout: want });
    const fromEnv = await statusLine({}, pipe('{}'), { ...process.env, CREDITMETER_DB: db }, NOW_MS);
    expect(fromEnv).toBe(`creditmeter: no folder ${join(home, 'nope')} for the database (from $CREDITMETER_DB)`);
    expect(existsSync(join(home, 'nope'))).toBe(false);
    // A file where the folder should be is no folder either.
    writeFileSync(join(home, 'file'), 'x');
    expect((await runCliShort(['--db', join(home, 'file', 'usage.db')])).stdout).toBe(
      `creditmeter: no folder ${join(home, 'file')} for the database (from --db)\n`,
    );
    rmSync(home, { recursive: true, force: true });
  });

  it('names a global flag left without its value (the next word is a flag), within 100 characters, exit 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cm-sl-novalue-'));
    const r = await runCliShort(['--db', '--rebuild', '--claude-dir', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^creditmeter: option '--db <file>' has no value: '--rebuild' is an option/);
    expect(r.stdout.trimEnd().length).toBeLessThanOrEqual('creditmeter: '.length + 100);
    expect((await runCliShort(['--plan', '--tz', 'UTC'])).stdout).toBe(
      "creditmeter: option '--plan <plan>' has no value: '--tz' is an option\n",
    );
    // The = form is a value, whatever it starts with; a word that is no flag is a value too.
    expect(globalOptionAsValue(['--db=--rebuild', '--tz', 'UTC'])).toBeNull();
    expect(globalOptionAsValue(['--db', '-odd.db', '--', '--tz', '--db'])).toBeNull();
    rmSync(dir, { recursive: true });
  });

  it('turns a bad config into a short line, still exit 0', async () => {
    const line = await statusLine({ tz: 'Mars/Olympus' }, pipe(''), {}, NOW_MS);
    expect(line).toMatch(/^creditmeter: Unknown time zone/);
  });
});

async function runCliShort(args: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const code = await statuslineMain(['node', 'creditmeter', 'statusline', ...args], (text) => {
    stdout += text;
  });
  return { code, stdout };
}
