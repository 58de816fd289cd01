/**
 * Spend histories in the shapes automation really has, for scoring the forecast: weekday nightly
 * jobs, a weekly batch, sporadic bursts, a ramp, a late start, small programmatic spend under
 * heavy interactive use, a new daily job joining small spend (a step up), sprints of a week or
 * two of heavy runs that stop again, a batch of a few days on the same days of every month, and
 * single heavy days at random (about one in ten) over small daily spend.
 * Each shape is deterministic from its seed; amounts vary with the seed so nothing can be tuned
 * to one figure.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from '../domain/luxon.js';
import { mulberry32, standardNormal } from '../domain/random.js';

export const FORECAST_SHAPES = [
  'weekday-nightly',
  'weekly-batch',
  'bursts',
  'ramp',
  'late-start',
  'under-interactive',
  'step-up',
  'sprints',
  'monthly-batch',
  'spikes',
] as const;
export type ForecastShape = (typeof FORECAST_SHAPES)[number];

/** One request-sized spend at an instant. */
export interface ShapeRun {
  ms: number;
  cost: number;
}

export interface ShapeHistory {
  shape: ForecastShape;
  seed: number;
  /** Programmatic spend (what counts against the credit), sorted by time. */
  programmatic: ShapeRun[];
  /** Interactive spend (never counted; only tells how long the user has been active), sorted. */
  interactive: ShapeRun[];
  fromMs: number;
  toMs: number;
}

export interface ShapeOptions {
  seed: number;
  tz: string;
  /** First day, `YYYY-MM-DD` (local). */
  from: string;
  /** Day after the last, `YYYY-MM-DD` (local). */
  to: string;
}

const noise = (rng: () => number, sd: number): number => Math.exp(sd * standardNormal(rng) - (sd * sd) / 2);

/** Spreads `cost` over `count` requests a few minutes apart from `startMs`. */
function runAt(out: ShapeRun[], rng: () => number, startMs: number, cost: number, count: number): void {
  for (let i = 0; i < count; i++)
    out.push({ ms: startMs + i * (60_000 + Math.floor(rng() * 240_000)), cost: cost / count });
}

/** Generates one shape's history. */
export function forecastShape(shape: ForecastShape, options: ShapeOptions): ShapeHistory {
  const rng = mulberry32(options.seed ^ (FORECAST_SHAPES.indexOf(shape) * 0x9e3779b1));
  const from = DateTime.fromISO(options.from, { zone: options.tz }).startOf('day');
  const to = DateTime.fromISO(options.to, { zone: options.tz }).startOf('day');
  const scale = 0.5 + 1.5 * rng();
  const programmatic: ShapeRun[] = [];
  const interactive: ShapeRun[] = [];
  const lateStart = from.plus({ months: 1 + Math.floor(rng() * 2) }).set({ day: 18 });
  const rampRate = 0.02;
  const burstChance = 0.2;
  // The later shapes' own dates come from a generator of their own, so adding them left the
  // earlier shapes' histories as they were.
  const dates = mulberry32(options.seed * 31 + 7);
  const stepDay = from.plus({ days: 60 + Math.floor(dates() * 60) });
  const sprints: Array<[DateTime, DateTime]> = [];
  for (let start = from.plus({ days: 20 + Math.floor(dates() * 20) }); start < to;) {
    const end = start.plus({ days: 6 + Math.floor(dates() * 7) });
    sprints.push([start, end]);
    start = end.plus({ days: 15 + Math.floor(dates() * 25) });
  }
  const batchFrom = 1 + Math.floor(dates() * 26);
  const batchDays = 2 + Math.floor(dates() * 2);
  let i = 0;
  for (let day = from; day < to; day = day.plus({ days: 1 }), i++) {
    const at = (hour: number): number => day.plus({ minutes: Math.round(hour * 60) }).toMillis();
    // Small programmatic spend on most days, under the shapes that have it.
    const smallDaily = (): void => {
      if (rng() < 0.85) runAt(programmatic, rng, at(9 + 9 * rng()), 0.3 * scale * noise(rng, 0.4), 3);
    };
    const weekday = day.weekday <= 5;
    switch (shape) {
      case 'weekday-nightly':
        if (weekday) runAt(programmatic, rng, at(2 + rng()), 3 * scale * noise(rng, 0.25), 20);
        break;
      case 'weekly-batch':
        if (day.weekday === 1) runAt(programmatic, rng, at(6 + 2 * rng()), 26 * scale * noise(rng, 0.15), 60);
        break;
      case 'bursts':
        if (rng() < burstChance) runAt(programmatic, rng, at(9 + 8 * rng()), 12 * scale * noise(rng, 0.6), 40);
        break;
      case 'ramp':
        runAt(programmatic, rng, at(10 + 6 * rng()), 0.4 * scale * Math.exp(rampRate * i) * noise(rng, 0.3), 10);
        break;
      case 'late-start':
        if (day >= lateStart) runAt(programmatic, rng, at(8 + 10 * rng()), 4 * scale * noise(rng, 0.3), 15);
        else if (weekday) runAt(interactive, rng, at(10), 5 * noise(rng, 0.5), 10);
        break;
      case 'under-interactive':
        smallDaily();
        if (weekday) runAt(interactive, rng, at(9 + 2 * rng()), 40 * noise(rng, 0.5), 80);
        break;
      case 'step-up':
        smallDaily();
        if (day >= stepDay) runAt(programmatic, rng, at(1 + 3 * rng()), 4 * scale * noise(rng, 0.25), 20);
        break;
      case 'monthly-batch':
        smallDaily();
        if (day.day >= batchFrom && day.day < batchFrom + batchDays)
          runAt(programmatic, rng, at(2 + 2 * rng()), 10 * scale * noise(rng, 0.2), 30);
        break;
      case 'spikes':
        smallDaily();
        if (dates() < 0.1) runAt(programmatic, rng, at(13 + 4 * rng()), 20 * scale * noise(rng, 0.3), 20);
        break;
      case 'sprints':
        smallDaily();
        if (sprints.some(([a, b]) => day >= a && day < b))
          runAt(programmatic, rng, at(10 + 6 * rng()), 4 * scale * noise(rng, 0.3), 20);
        break;
    }
  }
  const byTime = (a: ShapeRun, b: ShapeRun): number => a.ms - b.ms;
  return {
    shape,
    seed: options.seed,
    programmatic: programmatic.sort(byTime),
    interactive: interactive.sort(byTime),
    fromMs: from.toMillis(),
    toMs: to.toMillis(),
  };
}

/** A shape's programmatic spend as the forecast's 15-minute buckets. */
export function shapeBuckets(runs: readonly ShapeRun[]): { startMs: number; cost: number }[] {
  const out: { startMs: number; cost: number }[] = [];
  for (const r of runs) {
    const startMs = r.ms - (r.ms % 900_000);
    const last = out[out.length - 1];
    if (last?.startMs === startMs) last.cost += r.cost;
    else out.push({ startMs, cost: r.cost });
  }
  return out;
}

/** Output tokens of claude-sonnet-4-5 (at $15 per million) that cost `usd`, at least one. */
const SONNET_OUTPUT_PER_TOKEN = 15e-6;
export const SHAPE_MODEL = 'claude-sonnet-4-5-20250929';

/**
 * Writes a shape as a Claude config root: one transcript per day and class, every run one
 * assistant line priced by its output tokens alone (programmatic runs as `sdk-cli`, interactive
 * ones as `cli`). Returns the counted spend as written (tokens are whole, so it differs from the
 * shape's amounts by less than a cent per request).
 */
export function writeShapeTree(h: ShapeHistory, root: string): { programmatic: number; requests: number } {
  const files = new Map<string, string[]>();
  const sessions = new Map<string, string>();
  let programmatic = 0;
  let requests = 0;
  // Ids name the shape and the seed: two trees read together (or into one store) never share one.
  const shapeNo = FORECAST_SHAPES.indexOf(h.shape).toString(16).padStart(4, '0');
  const seedNo = (h.seed >>> 0).toString(16).padStart(8, '0');
  const add = (runs: readonly ShapeRun[], entrypoint: string, project: string): void => {
    for (const r of runs) {
      const day = new Date(r.ms).toISOString().slice(0, 10);
      const id = `${h.shape}_${seedNo}_${++requests}`;
      const key = `${project}/${day}-${entrypoint}`;
      if (!sessions.has(key))
        sessions.set(
          key,
          `5e55${shapeNo}-${seedNo.slice(0, 4)}-4${seedNo.slice(4, 7)}-8${seedNo.slice(7)}00-${String(sessions.size + 1).padStart(12, '0')}`,
        );
      const session = sessions.get(key)!;
      const tokens = Math.max(1, Math.round(r.cost / SONNET_OUTPUT_PER_TOKEN));
      if (entrypoint !== 'cli') programmatic += tokens * SONNET_OUTPUT_PER_TOKEN;
      const ts = new Date(r.ms).toISOString();
      const line = {
        parentUuid: null,
        isSidechain: false,
        userType: 'external',
        cwd: `/home/u/${project}`,
        sessionId: session,
        version: '2.1.80',
        gitBranch: 'main',
        message: {
          model: SHAPE_MODEL,
          type: 'message',
          role: 'assistant',
          content: [],
          usage: { input_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: tokens },
          id: `msg_${id}`,
        },
        requestId: `req_${id}`,
        type: 'assistant',
        uuid: `u-${id}`,
        timestamp: ts,
        entrypoint,
      };
      const lines = files.get(key) ?? [];
      lines.push(JSON.stringify(line));
      files.set(key, lines);
    }
  };
  add(h.programmatic, 'sdk-cli', 'nightly-jobs');
  add(h.interactive, 'cli', 'workbench');
  for (const [key, lines] of files) {
    const project = key.split('/')[0]!;
    const dir = join(root, 'projects', `-home-u-${project}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${sessions.get(key)!}.jsonl`), `${lines.join('\n')}\n`);
  }
  return { programmatic, requests };
}
