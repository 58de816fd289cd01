/**
 * Writes a realistic Claude config root for a date range, deterministic from a seed, and returns
 * the ground truth of what it wrote. Sessions are planned first (cheap), then emitted in time
 * order; content sizes are steered between sessions so the tree lands near the target size.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { emptyStats, type EmitEnv } from './emit-env.js';
import { GENERATOR_VERSION, MANIFEST_FILE, type GenerateOptions, type GenerationManifest } from './manifest.js';
import { modelAt } from './models.js';
import { Rng } from './prng.js';
import { planSessions, type SessionPlan } from './schedule.js';
import { emitSession } from './session.js';
import { TruthTracker } from './truth.js';
import { newCounter } from './tree-writer.js';
import { latestVersionAt } from './versions.js';

export type { GenerateOptions, GenerationManifest } from './manifest.js';

/** The output folder holds transcripts this generator did not write (a real config root?). */
export class OutDirInUseError extends Error {
  override readonly name = 'OutDirInUseError';
}

/** Bytes one main request brings at content factor 1, and the part that does not scale. */
const BYTES_PER_REQUEST = 21_500;
const FIXED_BYTES_PER_REQUEST = 5_000;
const MIN_PAD = 0.03;
const MAX_PAD = 3;
const DEFAULT_TARGET = 4_000_000;

/** Main requests a plan is expected to make (subagents count as about eight more each). */
function expectedRequests(plan: SessionPlan): number {
  return plan.turns * plan.requestsPerTurn * (1 + plan.subagentShare * 8);
}

function sizing(target: number, requestsAtActivity1: number, activity?: number): { activity: number; pad: number } {
  const perRequest = target / Math.max(1, requestsAtActivity1 * (activity ?? 1));
  const variable = BYTES_PER_REQUEST - FIXED_BYTES_PER_REQUEST;
  const pad = (perRequest - FIXED_BYTES_PER_REQUEST) / variable;
  if (activity !== undefined) return { activity, pad: Math.min(MAX_PAD, Math.max(MIN_PAD, pad)) };
  if (pad >= 1) return { activity: perRequest / BYTES_PER_REQUEST, pad: 1 };
  if (pad >= MIN_PAD) return { activity: 1, pad };
  return { activity: perRequest / (FIXED_BYTES_PER_REQUEST + MIN_PAD * variable), pad: MIN_PAD };
}

function singleFilePlan(rng: Rng, options: GenerateOptions, requests: number): SessionPlan {
  return {
    index: 0,
    kind: 'interactive',
    entrypoint: 'cli',
    version: latestVersionAt(options.startMs),
    startMs: options.startMs,
    project: { name: 'monorepo', cwd: '/home/dana/src/monorepo', branches: ['main'] },
    turns: Math.ceil(requests / 10) + 10,
    requestsPerTurn: 10,
    model: modelAt(rng, 'opus', options.startMs, 0),
    subagentShare: 0,
    fast: false,
    geoUs: false,
    longContext: false,
    resumeOf: null,
    resumed: false,
  };
}

/** Generates the tree into `options.outDir` (replacing its projects/ and history.jsonl). */
// Async by contract (callers await it; the work itself is synchronous today).
// eslint-disable-next-line @typescript-eslint/require-await
export async function generateHistory(options: GenerateOptions): Promise<GenerationManifest> {
  const started = performance.now();
  const seed = options.seed ?? 1;
  const target = options.targetBytes ?? DEFAULT_TARGET;
  if (!(options.endMs > options.startMs)) throw new RangeError('The end of the range must be after its start.');
  // Replace only trees this generator wrote: never wipe a real Claude config folder.
  if (existsSync(join(options.outDir, 'projects')) && !existsSync(join(options.outDir, MANIFEST_FILE))) {
    throw new OutDirInUseError(
      `${options.outDir} already holds a projects/ folder that was not generated here; choose an empty or new folder.`,
    );
  }
  rmSync(join(options.outDir, 'projects'), { recursive: true, force: true });
  mkdirSync(join(options.outDir, 'projects'), { recursive: true });
  const master = new Rng(seed, 'history');
  const env: EmitEnv = {
    root: options.outDir,
    counter: newCounter(),
    truth: new TruthTracker(),
    pad: 1,
    tokenScale: options.tokenScale ?? 1,
    maxToolResult: Math.max(2000, Math.min(6 << 20, Math.floor(target / 40))),
    endMs: options.endMs,
    history: [],
    retained: new Map(),
    subagents: !options.singleFile,
    spreadMs: 0,
    stopBytes: Number.POSITIVE_INFINITY,
    stats: emptyStats(),
  };
  const tzOffsetHours = options.tzOffsetHours ?? -5;
  let activity = options.activity ?? 1;
  if (options.singleFile) {
    const requests = target / BYTES_PER_REQUEST;
    env.spreadMs = Math.max(0, ((options.endMs - options.startMs) * 0.8) / requests - 40_000);
    env.stopBytes = target;
    emitSession(master.fork('single'), singleFilePlan(master, options, requests), env);
  } else {
    const base = planSessions(master.fork('probe'), {
      startMs: options.startMs,
      endMs: options.endMs,
      activity: 1,
      tzOffsetHours,
    });
    const size = sizing(
      target,
      base.reduce((n, p) => n + expectedRequests(p), 0),
      options.activity,
    );
    activity = size.activity;
    env.pad = size.pad;
    const plans = planSessions(master.fork('plan'), {
      startMs: options.startMs,
      endMs: options.endMs,
      activity,
      tzOffsetHours,
    });
    emitAll(master, plans, env, target, options.onProgress, 'main');
    // Top up with more sessions of the same kinds when the tree came out short.
    for (let round = 0; options.activity === undefined && env.counter.bytes < target * 0.97 && round < 20; round++) {
      const extra = planSessions(master.fork(`topup-${round}`), {
        startMs: options.startMs,
        endMs: options.endMs,
        activity: Math.max(0.05, activity * 0.25),
        tzOffsetHours,
      });
      env.stopBytes = target;
      emitAll(master, extra, env, target, options.onProgress, `topup-${round}`);
      env.stopBytes = Number.POSITIVE_INFINITY;
    }
  }
  const historyBytes = writeHistory(options.outDir, env);
  const manifest = buildManifest(options, seed, target, activity, env, historyBytes, performance.now() - started);
  writeFileSync(join(options.outDir, MANIFEST_FILE), JSON.stringify(manifest, null, 1) + '\n');
  return manifest;
}

function emitAll(
  master: Rng,
  plans: SessionPlan[],
  env: EmitEnv,
  target: number,
  onProgress: GenerateOptions['onProgress'],
  label: string,
): void {
  const total = plans.reduce((n, p) => n + expectedRequests(p), 0);
  const startBytes = env.counter.bytes;
  const variable = BYTES_PER_REQUEST - FIXED_BYTES_PER_REQUEST;
  let done = 0;
  let padWork = 0;
  for (const plan of plans) {
    if (env.counter.bytes >= env.stopBytes) break;
    emitSession(new Rng(master.u32() ^ plan.index, `${label}-${plan.index}`), plan, env);
    done += expectedRequests(plan);
    padWork += env.pad * expectedRequests(plan);
    // Steer content sizes: compare what was written with what the size model predicted for the
    // factors used, then pick the factor that brings the rest of the plan to the target.
    if (done > total * 0.05 && done < total) {
      const predicted = done * FIXED_BYTES_PER_REQUEST + padWork * variable;
      const k = (env.counter.bytes - startBytes) / Math.max(1, predicted);
      const wanted = Math.max(0, target - env.counter.bytes) / (total - done);
      env.pad = Math.min(MAX_PAD, Math.max(MIN_PAD, (wanted / k - FIXED_BYTES_PER_REQUEST) / variable));
    }
    onProgress?.(env.counter.bytes);
  }
  env.retained.clear();
}

function writeHistory(root: string, env: EmitEnv): number {
  const lines = env.history
    .sort((a, b) => a.timestamp - b.timestamp)
    .map((h) => JSON.stringify(h) + '\n')
    .join('');
  writeFileSync(join(root, 'history.jsonl'), lines);
  return Buffer.byteLength(lines);
}

function buildManifest(
  options: GenerateOptions,
  seed: number,
  target: number,
  activity: number,
  env: EmitEnv,
  historyBytes: number,
  durationMs: number,
): GenerationManifest {
  const truth = env.truth;
  const summary = truth.summarize();
  return {
    generatorVersion: GENERATOR_VERSION,
    root: options.outDir,
    seed,
    startMs: options.startMs,
    endMs: options.endMs,
    targetBytes: target,
    activity,
    contentFactor: Math.round(env.pad * 1000) / 1000,
    files: env.counter.files,
    bytes: env.counter.bytes,
    lines: env.counter.lines,
    largestLineBytes: env.counter.largestLine,
    historyLines: env.history.length,
    historyBytes,
    shapes: env.stats,
    requests: truth.requests,
    copies: truth.copies,
    duplicateCopies: truth.copies - truth.requests,
    progressCopies: truth.progressCopies,
    noIdLines: truth.noIdLines,
    syntheticLines: env.stats.syntheticLines,
    totals: summary.total,
    byClass: summary.byClass,
    byModel: summary.byModel,
    firstRequestMs: summary.firstTs,
    lastRequestMs: summary.lastTs,
    durationMs: Math.round(durationMs),
  };
}
