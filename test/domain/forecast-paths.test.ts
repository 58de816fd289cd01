/**
 * The forecast's paths in WebAssembly end where the JavaScript loop's end, to the bit: its log is
 * Math.log's, the forecasts are equal on random histories, and the module is the assembly of its
 * text.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_FORECAST, forecastCycle, type ForecastInput } from '../../src/domain/forecast.js';
import { pathsKey, wasmLog, type PathsMemo, type PathsOutput } from '../../src/domain/forecast-paths.js';
import { mulberry32 } from '../../src/domain/random.js';
import { cycleAt } from '../../src/domain/cycle.js';
import type { SpendBucket } from '../../src/domain/forecast-history.js';
import { buildCli, cliPath, repo } from '../e2e/build-cli.js';

const DAY = 86_400_000;
const same = (a: number, b: number): boolean => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

describe("the module's log", () => {
  it('is Math.log, bit for bit, on the draws it takes and on any double', () => {
    const log = wasmLog();
    expect(log).not.toBeNull();
    const rng = mulberry32(11);
    const f = new Float64Array(1);
    const words = new Uint32Array(f.buffer);
    const bad: number[] = [];
    const check = (x: number): void => {
      if (!same(log!(x), Math.log(x)) && bad.length < 5) bad.push(x);
    };
    // 1 - u for every kind of uniform the generator gives (what the exponential draws take).
    for (let k = 0; k < 1_000_000; k++) check(1 - rng());
    // Any bit pattern: subnormals, negatives, NaNs, infinities, near 1.
    for (let k = 0; k < 1_000_000; k++) {
      words[0] = (rng() * 2 ** 32) >>> 0;
      words[1] = (rng() * 2 ** 32) >>> 0;
      check(f[0]!);
    }
    for (let k = 0; k < 200_000; k++) check(1 + (rng() - 0.5) * 2 ** -(rng() * 40));
    for (const x of [0, -0, 1, -1, 2, 0.5, Math.E, Infinity, -Infinity, NaN, 5e-324, 1e-310, Number.MAX_VALUE])
      check(x);
    for (let e = -1074; e <= 1023; e++) check(2 ** e);
    expect(bad).toEqual([]);
  });
});

/** A random history: some days idle, weekly or nightly shapes, bursts, a trend. */
function randomInput(seed: number): ForecastInput {
  const rng = mulberry32(seed);
  const tz = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata'][Math.floor(rng() * 4)]!;
  const nowMs = Date.UTC(2026, 8 + Math.floor(rng() * 4), 1 + Math.floor(rng() * 28), Math.floor(rng() * 24));
  const cycle = cycleAt(nowMs, 1 + Math.floor(rng() * 28), tz);
  const days = 3 + Math.floor(rng() * 130);
  const startMs = nowMs - days * DAY;
  const weekly = rng() < 0.4;
  const growth = rng() < 0.3 ? 1 + rng() * 0.05 : 1;
  const buckets: SpendBucket[] = [];
  for (let ms = startMs - (startMs % 900_000); ms < nowMs; ms += 900_000) {
    const day = Math.floor((ms - startMs) / DAY);
    const hour = new Date(ms).getUTCHours();
    if (weekly && new Date(ms).getUTCDay() % 7 !== 2) continue;
    if (rng() < 0.9 || (rng() < 0.5 && hour < 20)) continue;
    const burst = rng() < 0.01 ? 40 : 1;
    buckets.push({ startMs: ms, cost: rng() * 0.8 * burst * growth ** day });
  }
  const spentSoFar = buckets.filter((b) => b.startMs >= cycle.startMs).reduce((s, b) => s + b.cost, 0);
  const credit = [5, 20, 100, 200, 1000][Math.floor(rng() * 5)]!;
  const crossed = spentSoFar >= credit && rng() < 0.5 ? nowMs - Math.floor(rng() * DAY) : null;
  return {
    cycle,
    nowMs,
    tz,
    spentSoFar,
    buckets,
    dataStartMs: buckets.length === 0 || rng() < 0.1 ? (rng() < 0.5 ? null : nowMs - 3_600_000) : startMs,
    credit,
    exhaustedAtMs: crossed,
  };
}

/** A memo in memory that counts what it is asked. */
class CountingMemo implements PathsMemo {
  readonly runs: { key: Uint8Array; out: PathsOutput }[] = [];
  hits = 0;
  misses = 0;
  recall(key: Uint8Array): PathsOutput | null {
    const run = this.runs.find((r) => Buffer.from(r.key).equals(Buffer.from(key)));
    if (run === undefined) this.misses++;
    else this.hits++;
    return run?.out ?? null;
  }
  keep(key: Uint8Array, out: PathsOutput): void {
    this.runs.push({ key, out });
  }
}

describe('paths kept by their exact input', () => {
  it('give the forecast a new run gives, again and again, on 60 random histories', () => {
    const memo = new CountingMemo();
    let drawn = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const input = randomInput(seed);
      const options = { ...DEFAULT_FORECAST, seed: seed * 7919 };
      const fresh = forecastCycle(input, options);
      const before = memo.runs.length;
      const first = forecastCycle({ ...input, memo }, options);
      drawn += memo.runs.length - before;
      // Then served from the memo, twice.
      const second = forecastCycle({ ...input, memo }, options);
      const third = forecastCycle({ ...input, memo }, options);
      expect(first, `seed ${seed}`).toEqual(fresh);
      expect(second, `seed ${seed}`).toEqual(fresh);
      expect(third, `seed ${seed}`).toEqual(fresh);
    }
    // The histories reach the paths (not only the forecasts that draw nothing), and each drawn
    // run was kept once and served twice.
    expect(drawn).toBeGreaterThan(30);
    expect(memo.hits).toBe(2 * drawn);
  });

  it('are served again later in the same quarter hour, while today owes what the days before spent by now', () => {
    // Twenty days that spend most in their first hours and a little in every quarter hour, and
    // nothing today: each day's rest moves with the minutes (its current quarter hour is spent in
    // part), and what it owes with it; their sum, all the day spent, must not.
    const tz = 'UTC';
    const day0 = Date.UTC(2026, 10, 1);
    const buckets: SpendBucket[] = [];
    for (let d = 0; d < 20; d++)
      for (let q = 0; q < 96; q++)
        buckets.push({
          startMs: day0 + d * DAY + q * 900_000,
          cost: (q < 16 ? 0.3 : 0.013) + (q % 7) * 0.0071 + d * 0.01,
        });
    const at = (minute: number): ForecastInput => {
      const nowMs = day0 + 20 * DAY + 10 * 3_600_000 + minute * 60_000;
      const cycle = cycleAt(nowMs, 1, tz);
      return {
        cycle,
        nowMs,
        tz,
        spentSoFar: buckets.filter((b) => b.startMs >= cycle.startMs).reduce((x, b) => x + b.cost, 0),
        buckets,
        dataStartMs: day0,
        credit: 100,
        exhaustedAtMs: null,
      };
    };
    const memo = new CountingMemo();
    forecastCycle({ ...at(1), memo });
    const kept = memo.runs.length;
    expect(kept).toBeGreaterThan(0);
    for (const minute of [4, 7, 13]) expect(forecastCycle({ ...at(minute), memo })).toEqual(forecastCycle(at(minute)));
    expect(memo.runs.length).toBe(kept);
  });

  it('are not served for any other input: spend, credit, seed, paths or one day of the history', () => {
    const input = randomInput(3);
    const base = { ...DEFAULT_FORECAST, seed: 17 };
    const memo = new CountingMemo();
    forecastCycle({ ...input, memo }, base);
    const kept = memo.runs.length;
    expect(kept).toBeGreaterThan(0);
    const changed: [string, ForecastInput, typeof base][] = [
      ['spend', { ...input, spentSoFar: input.spentSoFar + 0.01 }, base],
      ['credit', { ...input, credit: input.credit + 1 }, base],
      ['seed', input, { ...base, seed: 18 }],
      ['paths', input, { ...base, paths: base.paths - 1 }],
      [
        'one bucket',
        {
          ...input,
          buckets: input.buckets.map((b, i) => (i === input.buckets.length - 40 ? { ...b, cost: b.cost * 1.5 } : b)),
        },
        base,
      ],
    ];
    for (const [what, changedInput, options] of changed) {
      const misses = memo.misses;
      const hits = memo.hits;
      const got = forecastCycle({ ...changedInput, memo }, options);
      expect(got, what).toEqual(forecastCycle(changedInput, options));
      expect(memo.hits, what).toBe(hits);
      expect(memo.misses, what).toBeGreaterThan(misses);
    }
  });

  it('have keys that differ when any one number of the input does', () => {
    const rng = mulberry32(9);
    const arr = (n: number): Float64Array => Float64Array.from({ length: n }, () => rng());
    const input = {
      paths: 2000,
      seed: 5,
      weights: arr(30),
      totals: arr(30),
      ages: arr(30),
      firstCost: arr(30),
      samplers: [Int32Array.from({ length: 30 }, (_, i) => i), Int32Array.of(1, 3, 5)],
      segSampler: Int32Array.of(0, 1, 0, 1),
      sigma: 0.3,
      growth: arr(120),
      caps: arr(4),
      spentSoFar: 12.5,
      credit: 100,
    };
    const key = Buffer.from(pathsKey(input));
    expect(Buffer.from(pathsKey({ ...input, weights: input.weights.slice() })).equals(key)).toBe(true);
    const variants = [
      { ...input, sigma: 0.30000000000000004 },
      { ...input, caps: Float64Array.of(...input.caps, 0) },
      { ...input, growth: new Float64Array(0) },
      { ...input, samplers: [input.samplers[0]!, Int32Array.of(1, 3, 6)] },
      // The same numbers split otherwise between two samplers.
      { ...input, samplers: [input.samplers[0]!.subarray(0, 29), Int32Array.of(29, 1, 3, 5)] },
      { ...input, segSampler: Int32Array.of(0, 1, 1, 0) },
      { ...input, totals: input.totals.map((t, i) => (i === 29 ? t + 1e-12 : t)) },
    ];
    for (const v of variants) expect(Buffer.from(pathsKey(v)).equals(key)).toBe(false);
  });
});

describe('forecastCycle in WebAssembly and in JavaScript', () => {
  it('gives the same forecast on 150 random histories, with 1 to 2,000 paths', () => {
    let resampled = 0;
    let crossings = 0;
    let trends = 0;
    for (let seed = 1; seed <= 150; seed++) {
      const input = randomInput(seed);
      // Few paths show single paths' ends (1 path: every percentile is that path's end).
      for (const paths of [1, 2, 3, 7, DEFAULT_FORECAST.paths]) {
        const options = { ...DEFAULT_FORECAST, paths, seed: seed * 7919 };
        const wasm = forecastCycle(input, options);
        const js = forecastCycle(input, { ...options, engine: 'js' });
        expect(wasm, `seed ${seed}, ${paths} paths`).toEqual(js);
        if (paths === DEFAULT_FORECAST.paths) {
          if (wasm.method === 'resample') resampled++;
          if (wasm.trendPerDay !== 0) trends++;
          if (wasm.exhaustionAt.p90 !== null && input.exhaustedAtMs === null) crossings++;
        }
      }
    }
    // The histories reach the paths that draw and the ones that cross the credit.
    expect(resampled).toBeGreaterThan(50);
    expect(crossings).toBeGreaterThan(10);
    // and the ones that scale days by a trend (the module's clamped exp)
    expect(trends).toBeGreaterThan(5);
  });

  it('the built binary prints the same status without WebAssembly (node --jitless)', () => {
    buildCli();
    const dir = mkdtempSync(join(tmpdir(), 'cm-paths-'));
    try {
      const project = join(dir, 'claude', 'projects', 'p');
      mkdirSync(project, { recursive: true });
      const lines: string[] = [];
      const rng = mulberry32(5);
      for (let i = 0; i < 400; i++) {
        const ts = new Date(Date.UTC(2026, 9, 1) + Math.floor(rng() * 60 * DAY)).toISOString();
        lines.push(
          JSON.stringify({
            type: 'assistant',
            entrypoint: 'sdk-ts',
            sessionId: 's',
            uuid: `u${i}`,
            requestId: `r${i}`,
            timestamp: ts,
            message: {
              id: `m${i}`,
              model: 'claude-sonnet-4-5',
              usage: { input_tokens: 1000 + i, output_tokens: Math.floor(rng() * 4000) },
            },
          }),
        );
      }
      writeFileSync(join(project, 's.jsonl'), `${lines.join('\n')}\n`);
      writeFileSync(join(dir, 'config.json'), '{}');
      const args = [
        '--claude-dir',
        join(dir, 'claude'),
        '--db',
        join(dir, 'u.db'),
        '--config',
        join(dir, 'config.json'),
      ];
      const run = (flags: string[]): string => {
        const r = spawnSync(
          process.execPath,
          [...flags, cliPath, 'status', '--json', '--now', '2026-11-20T12:00Z', ...args],
          {
            cwd: repo,
            encoding: 'utf8',
          },
        );
        expect(r.status, r.stderr).toBe(0);
        return r.stdout;
      };
      const withWasm = run([]);
      expect(JSON.parse(withWasm).forecast.basis.method).toBe('resample');
      expect(run(['--jitless'])).toBe(withWasm);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
