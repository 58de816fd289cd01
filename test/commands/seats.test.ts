/**
 * Team plans whose seats each have their own credit: `status --json` lists the seats nearest
 * exhaustion first, and `--fail-at` applies to the seat `--user` names.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openApp } from '../../src/app/context.js';
import { priceRequest } from '../../src/domain/pricing.js';
import type { StatusReport } from '../../src/domain/status-types.js';
import type { TelemetryEvent } from '../../src/domain/telemetry.js';
import { TelemetryWriter } from '../../src/store/telemetry-writer.js';
import { textWidth } from '../../src/domain/terminal-text.js';
import { isolateHome, runCli } from '../helpers/run-cli.js';

const NOW = Date.UTC(2026, 10, 20, 12);
let dir = '';
let common: string[] = [];

function event(i: number, user: string | null, output: number): TelemetryEvent {
  return {
    key: `req_${user}_${i}`,
    requestId: `req_${user}_${i}`,
    sessionId: `s-${user}`,
    promptId: null,
    messageId: null,
    model: 'claude-sonnet-4-5-20250929',
    ts: NOW - (i + 1) * 3600_000,
    entrypoint: 'sdk-cli',
    ccVersion: '2.1.210',
    usage: { input: 0, output, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0, webSearch: 0, webFetch: 0 },
    splitKnown: false,
    speed: null,
    inferenceGeo: null,
    classHint: null,
    project: null,
    gitBranch: null,
    user,
    repo: null,
    workflow: null,
    runId: null,
    host: null,
    agentName: null,
    skill: null,
    ccCost: null,
  };
}

beforeAll(() => {
  dir = join(isolateHome(), 'seats');
  mkdirSync(join(dir, 'root', 'projects'), { recursive: true });
  const config = join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({ plan: 'team', seats: 3, seatCredit: 'per-seat' }));
  common = ['--db', join(dir, 'store.db'), '--claude-dir', join(dir, 'root'), '--config', config, '--tz', 'UTC'];
  const ctx = openApp({ db: join(dir, 'store.db'), claudeDir: [join(dir, 'root')], config, tz: 'UTC' });
  const writer = writerOn(ctx);
  // $15 per million output tokens: alice $18 (90% of a $20 seat), bob $3, one request without a user $1.5.
  writer.write(
    [0, 1].map((i) => event(i, 'alice@example.com', 600_000)),
    NOW,
  );
  writer.write([event(0, 'bob@example.com', 200_000)], NOW);
  writer.write([event(0, null, 100_000)], NOW);
  ctx.close();
});

/** The telemetry writer the receiver uses, on `ctx`'s store with its price table. */
function writerOn(ctx: ReturnType<typeof openApp>): TelemetryWriter {
  return new TelemetryWriter(ctx.db, {
    classes: ctx.config.classes,
    priceVersion: ctx.prices.version,
    price: (input) => priceRequest(ctx.prices, input),
  });
}

/** A store of its own under `dir/name` (the team config), with a telemetry writer on it. */
function ownStore(name: string) {
  const own = join(dir, name);
  mkdirSync(join(own, 'projects'), { recursive: true });
  const config = join(dir, 'config.json');
  const ctx = openApp({ db: join(own, 'store.db'), claudeDir: [own], config, tz: 'UTC' });
  const writer = writerOn(ctx);
  return { own, config, ctx, writer };
}

describe('seatCredit per-seat', () => {
  it('lists each seat against one seat credit, nearest exhaustion first', async () => {
    const r = await runCli(['status', '--json', '--now', new Date(NOW).toISOString(), ...common]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as StatusReport;
    expect(report.cycle.credit).toBe(60);
    expect(report.credit.used).toBeCloseTo(22.5, 6);
    expect(report.seats?.map((s) => [s.user, s.credit, s.used, s.remaining])).toEqual([
      ['alice@example.com', 20, 18, 2],
      ['bob@example.com', 20, 3, 17],
      ['(none)', 20, 1.5, 18.5],
    ]);
    expect(report.seats?.[0]?.usedFraction).toBeCloseTo(0.9, 6);
  });

  it('puts the seat that runs out first first, though another has used more', async () => {
    const { own, config, ctx, writer } = ownStore('nearest');
    // Every day at 10:00 since Oct 1: heavy $0.90 (runs out about Nov 22), big $0.33 and $12 once on
    // Nov 15 (more used, 93%, but runs out about Nov 24).
    const daily = (user: string, output: number, day: number): TelemetryEvent => ({
      ...event(0, user, output),
      key: `req_${user}_d${day}`,
      requestId: `req_${user}_d${day}`,
      ts: Date.UTC(2026, 9, 1, 10) + day * 86_400_000,
    });
    const days = Array.from({ length: 51 }, (_, d) => d);
    writer.write(
      days.map((d) => daily('heavy@example.com', 60_000, d)),
      NOW,
    );
    writer.write(
      [...days.map((d) => daily('big@example.com', 22_000, d)), event(100, 'big@example.com', 800_000)],
      NOW,
    );
    ctx.close();
    const args = ['--db', join(own, 'store.db'), '--claude-dir', own, '--config', config, '--tz', 'UTC'];
    const r = await runCli(['status', '--json', '--now', new Date(NOW).toISOString(), ...args]);
    const seats = (JSON.parse(r.stdout) as StatusReport).seats ?? [];
    expect(seats.map((s) => s.user)).toEqual(['heavy@example.com', 'big@example.com']);
    expect(seats[1]!.usedFraction).toBeGreaterThan(seats[0]!.usedFraction);
    expect(seats[0]!.forecast.exhaustionAt! < seats[1]!.forecast.exhaustionAt!).toBe(true);
  });

  it('says when a seat past its credit ran out, not now', async () => {
    const { own, config, ctx, writer } = ownStore('ran-out');
    // $12 an hour, 5, 4, 3, 2 and 1 hours before now: the $20 seat ran out at the second, 4 h ago.
    writer.write(
      [0, 1, 2, 3, 4].map((i) => event(i, 'carol@example.com', 800_000)),
      NOW,
    );
    ctx.close();
    const args = ['--db', join(own, 'store.db'), '--claude-dir', own, '--config', config, '--tz', 'UTC'];
    for (const later of [0, 26]) {
      const now = ['--now', new Date(NOW + later * 3600_000).toISOString()];
      const r = await runCli(['status', '--json', ...now, ...args]);
      const seat = (JSON.parse(r.stdout) as StatusReport).seats?.[0];
      expect(seat?.used).toBeCloseTo(60, 6);
      expect(seat?.forecast.exhaustionAt).toBe('2026-11-20T08:00:00.000Z');
      const text = await runCli(['status', ...now, ...args]);
      expect(text.stdout).toMatch(/carol@example\.com +\$60\.00 of \$20\.00 \(300%\).*, ran out Nov 20 08:00/);
    }
  });

  it('says when more people spent than the plan has seats, and what (none) is when it is not named', async () => {
    const { own, config, ctx, writer } = ownStore('crowd');
    // Twelve people and the spend with no user, the least of all (so among the seats not named).
    writer.write(
      [
        ...Array.from({ length: 12 }, (_, i) => event(0, `dev${i}@example.com`, 100_000 * (i + 2))),
        event(0, null, 1_000),
      ],
      NOW,
    );
    ctx.close();
    const args = ['--db', join(own, 'store.db'), '--claude-dir', own, '--config', config, '--tz', 'UTC'];
    const text = await runCli(['status', '--now', new Date(NOW).toISOString(), ...args]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/\+3 more seats\n/);
    expect(text.stdout).toMatch(/\(none\) \(among them\) is the spend with no user/);
    expect(text.stdout).toMatch(
      /12 people spent this cycle on a plan of 3 seats: set yours with creditmeter config set seats 12 \(or --seats\)/,
    );
  });

  it('--fail-at applies to the seat --user names', async () => {
    const now = ['--now', new Date(NOW).toISOString()];
    const alice = await runCli(['status', '--fail-at', '85', '--user', 'alice@example.com', ...now, ...common]);
    expect(alice.code).toBe(3);
    expect(alice.stderr).toMatch(/seat of alice@example.com has used 90/);
    // An address is the same whatever its case.
    const upper = await runCli(['status', '--fail-at', '85', '--user', 'Alice@Example.com', ...now, ...common]);
    expect([upper.code, upper.stderr]).toEqual([3, alice.stderr]);
    const bob = await runCli(['status', '--fail-at', '85', '--user', 'bob@example.com', ...now, ...common]);
    expect(bob.code).toBe(0);
    expect(bob.stderr).toBe('');
    // A name with no spend passes (an idle seat), and says which seats have spent: a typo shows.
    const typo = await runCli(['status', '--fail-at', '85', '--user', 'alice@exmaple.com', ...now, ...common]);
    expect(typo.code).toBe(0);
    expect(typo.stderr).toMatch(
      /no programmatic spend by "alice@exmaple.com" in this cycle, so its seat has used nothing \(seats with spend: "alice@example.com", "bob@example.com"/,
    );
    // Without seats of their own, --user is a mistake: said, with nothing on stdout a script could take.
    const solo = await runCli(['status', '--json', '--plan', 'max5x', '--user', 'bob@example.com', ...now, ...common]);
    expect([solo.code, solo.stdout]).toEqual([2, '']);
    expect(solo.stderr).toMatch(/--user applies when seats have their own credit/);
    const text = await runCli(['status', ...now, ...common]);
    expect(text.stdout).toMatch(/Seats\s+alice@example.com/);
    // The header gives one seat's credit and the sum; the spend without a user is said to be one seat.
    expect(text.stdout).toMatch(/Team x3 seats, credit \$20\.00 per seat \(\$60\.00 in all\);/);
    expect(text.stdout).toMatch(
      /\(none\) is the spend with no user \(transcripts, telemetry without one\), gauged as one seat/,
    );
  });

  it("--fail-at projects a seat from its own first request: a newcomer's first request does not trip it", async () => {
    const { own, config, ctx, writer } = ownStore('newcomer');
    // dave: $0.60 a day for ten days ($6, 30% of a seat; held, 61% by the cycle end). newbie: one
    // request of $7 an hour ago (35%), the first the store has of that user.
    const at = (e: TelemetryEvent, ts: number): TelemetryEvent => ({ ...e, ts });
    writer.write(
      Array.from({ length: 10 }, (_, d) => at(event(d, 'dave@example.com', 40_000), NOW - (d + 1) * 86_400_000)),
      NOW,
    );
    writer.write([at(event(0, 'newbie@example.com', 466_667), NOW - 3600_000)], NOW);
    ctx.close();
    const args = ['--db', join(own, 'store.db'), '--claude-dir', own, '--config', config, '--tz', 'UTC'];
    const now = ['--now', new Date(NOW).toISOString()];
    const report = JSON.parse((await runCli(['status', '--json', ...now, ...args])).stdout) as StatusReport;
    expect(report.seats?.map((s) => s.user)).toEqual(['newbie@example.com', 'dave@example.com']);
    // The newcomer's own forecast is the wide one of a first request; it is not acted on.
    expect(report.seats?.[0]?.forecast.cycleEndSpend.p50).toBeGreaterThan(20);
    const newbie = await runCli(['status', '--fail-at', '50', '--user', 'newbie@example.com', ...now, ...args]);
    expect([newbie.code, newbie.stderr]).toEqual([0, '']);
    // Without --user every seat counts, not only the first listed: dave's settled P50 trips it.
    const any = await runCli(['status', '--fail-at', '50', ...now, ...args]);
    expect(any.code).toBe(3);
    expect(any.stderr).toMatch(/the P50 forecast for the seat of dave@example.com uses 6\d(\.\d)?% of its credit/);
  });

  it('lines seats up by the columns their names take, each on one line', async () => {
    const { own, config, ctx, writer } = ownStore('wide-names');
    writer.write([event(0, '田中太郎@example.jp', 300_000)], NOW);
    writer.write([event(0, 'new\nline@x.io', 200_000)], NOW);
    writer.write([event(0, 'bob@example.com', 100_000)], NOW);
    ctx.close();
    const args = ['--db', join(own, 'store.db'), '--claude-dir', own, '--config', config, '--tz', 'UTC'];
    const text = await runCli(['status', '--now', new Date(NOW).toISOString(), ...args]);
    const at = text.stdout.split('\n').findIndex((l) => l.startsWith('Seats'));
    const seats = text.stdout.split('\n').slice(at, at + 3);
    expect(seats.map((l) => l.slice(10, l.indexOf('  $')).trim())).toEqual([
      '田中太郎@example.jp',
      'new\\nline@x.io',
      'bob@example.com',
    ]);
    // Where each line's figures start, in terminal columns (a CJK character takes two).
    const figuresAt = seats.map((l) => textWidth(l.slice(0, l.indexOf('  $'))));
    expect(new Set(figuresAt).size).toBe(1);
  });

  it('--user without per-seat credit is a usage error', async () => {
    const pooled = join(dir, 'pooled.json');
    writeFileSync(pooled, JSON.stringify({ plan: 'team', seats: 3 }));
    const args = common.map((a) => (a.endsWith('config.json') ? pooled : a));
    const r = await runCli(['status', '--fail-at', '50', '--user', 'bob@example.com', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/per-seat/);
  });
});
