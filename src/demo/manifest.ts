/**
 * The options and the ground-truth manifest of a generated history. The manifest is computed by
 * the generator while writing (never by reading the files back), so tests can check a reader
 * against it: unique requests and token totals per class and per model, after de-duplication.
 */
import type { RequestClass } from '../domain/types.js';
import type { ShapeStats } from './emit-env.js';
import type { TokenTotals } from './truth.js';

export interface GenerateOptions {
  /** The config root to write (`<outDir>/projects/...`, `<outDir>/history.jsonl`). */
  outDir: string;
  /** Same seed, dates and size: byte-identical files. Default 1. */
  seed?: number;
  /** Epoch ms, inclusive: no timestamp before it. */
  startMs: number;
  /** Epoch ms, exclusive: no timestamp at or after it. */
  endMs: number;
  /** Approximate size of the transcripts in bytes (default 4 MB). */
  targetBytes?: number;
  /** Session-count multiplier (default: chosen from the target size). */
  activity?: number;
  /** Multiplies every request's tokens (default 1): pricier requests without more bytes. */
  tokenScale?: number;
  /** One session file holding everything (for the single huge file case). */
  singleFile?: boolean;
  /** Working hours of the simulated user, as an offset from UTC (default -5). */
  tzOffsetHours?: number;
  /** Called now and then with the bytes written so far. */
  onProgress?: (bytes: number) => void;
}

/** Changes whenever the generator writes different bytes for the same options (caches key on it). */
export const GENERATOR_VERSION = 5;

export interface GenerationManifest {
  generatorVersion: number;
  root: string;
  seed: number;
  startMs: number;
  endMs: number;
  targetBytes: number;
  activity: number;
  /** Content-size factor at the end of the run (1 = realistic tool-result sizes). */
  contentFactor: number;
  /** Transcript files under `projects/` (history.jsonl not included). */
  files: number;
  bytes: number;
  lines: number;
  largestLineBytes: number;
  historyLines: number;
  historyBytes: number;
  shapes: ShapeStats;
  /** Unique requests (de-duplicated, lines without id each counted). */
  requests: number;
  /** Billable copies written: transcript lines plus progress-embedded copies. */
  copies: number;
  /** Copies beyond the one that counts for each request. */
  duplicateCopies: number;
  progressCopies: number;
  noIdLines: number;
  syntheticLines: number;
  totals: TokenTotals;
  byClass: Record<RequestClass, TokenTotals>;
  byModel: Record<string, TokenTotals>;
  firstRequestMs: number | null;
  lastRequestMs: number | null;
  durationMs: number;
}

/** File name of the manifest written beside `projects/`. */
export const MANIFEST_FILE = 'creditmeter-manifest.json';

/** A few lines summarising a manifest for people. */
export function formatManifest(m: GenerationManifest): string {
  const mb = (n: number): string => `${(n / 1e6).toFixed(1)} MB`;
  const rate = m.durationMs > 0 ? `${(((m.bytes / 1e6) * 1000) / m.durationMs).toFixed(0)} MB/s` : '-';
  const cls = (c: RequestClass): string => `${c} ${m.byClass[c].requests}`;
  return [
    `root: ${m.root}`,
    `range: ${new Date(m.startMs).toISOString()} .. ${new Date(m.endMs).toISOString()} (seed ${m.seed})`,
    `written: ${m.files} files, ${mb(m.bytes)}, ${m.lines} lines, largest line ${mb(m.largestLineBytes)}; history.jsonl ${m.historyLines} lines`,
    `sessions: ${m.shapes.sessions} (${m.shapes.resumedSessions} resumed, ${m.shapes.sessionsWithoutEntrypoint} without entrypoint); subagent runs inline ${m.shapes.subagentRuns.inline}, beside ${m.shapes.subagentRuns.beside}, folder ${m.shapes.subagentRuns.folder}; compaction files ${m.shapes.compactionFiles}`,
    `requests: ${m.requests} unique (${cls('programmatic')}, ${cls('interactive')}, ${cls('unknown')}); ${m.copies} copies, ${m.duplicateCopies} duplicates, ${m.noIdLines} without id, ${m.syntheticLines} synthetic`,
    `tokens: input ${m.totals.inputTokens}, output ${m.totals.outputTokens}, cache read ${m.totals.cacheReadTokens}, 5m ${m.totals.cacheWrite5mTokens}, 1h ${m.totals.cacheWrite1hTokens}, web searches ${m.totals.webSearchRequests}`,
    `models: ${Object.keys(m.byModel).sort().join(', ')}`,
    `took ${(m.durationMs / 1000).toFixed(1)} s (${rate})`,
  ].join('\n');
}
