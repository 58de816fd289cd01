import type { Command } from 'commander';
import { resolveConfig, type GlobalFlags } from '../app/config.js';
import { openCaughtUp, type CaughtUp } from '../app/caught-up.js';
import type { IngestProgress } from '../ingest/pipeline.js';
import { coverage } from '../store/coverage.js';
import { classifyStoreError, StoreError } from '../store/database.js';
import { formatIngestSummary, progressLine } from './ingest-text.js';
import { terminalColumns, writeStdout } from '../cli/stdout.js';

/** Show the progress bar only when a catch-up runs longer than this. */
const PROGRESS_AFTER_MS = 400;
const PROGRESS_EVERY_MS = 100;

/**
 * `creditmeter ingest [--json]`: catches up on every transcript under the roots and prints what
 * was read (files, lines, requests, duplicates, skipped lines by reason, unpriced models).
 * With `--rebuild` (global) the store starts anew. A corrupt store exits 1 naming the way out.
 */
export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description('read everything new in the Claude Code transcripts into the store and print what was read')
    .option('--json', 'print the summary as JSON (what this run read, and the coverage of the store under "store")')
    .action(async (flags: { json?: boolean }, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalFlags & { rebuild?: boolean }>();
      const progress = progressReporter();
      let run: CaughtUp;
      try {
        run = await openCaughtUp(globals, { onProgress: progress.update, alwaysCatchUp: true });
      } catch (err) {
        throw asStoreError(err, resolveConfig(globals).dbPath);
      } finally {
        progress.clear();
      }
      try {
        const { summary, ctx } = run;
        const store = coverage(ctx.db);
        if (flags.json)
          writeStdout(`${JSON.stringify({ ...summary, durationMs: Math.round(summary.durationMs), store })}\n`);
        else writeStdout(formatIngestSummary(summary, store, terminalColumns()));
      } catch (err) {
        throw asStoreError(err, run.ctx.config.dbPath);
      } finally {
        // Nothing new: the next `ingest` may print this again without opening the store.
        run.close();
      }
    });
}

/** A progress bar on stderr, only on a terminal and only once the run has taken a while. */
function progressReporter(): { update: (p: IngestProgress) => void; clear: () => void } {
  const tty = process.stderr.isTTY === true && !process.env.CI;
  const started = performance.now();
  let last = 0;
  let shown = false;
  return {
    update(p) {
      if (!tty) return;
      const now = performance.now();
      if (now - started < PROGRESS_AFTER_MS || (now - last < PROGRESS_EVERY_MS && p.filesDone < p.filesTotal)) return;
      last = now;
      shown = true;
      process.stderr.write(`\r${progressLine(p, process.stderr.columns ?? 80)}\x1b[K`);
    },
    clear() {
      if (shown) process.stderr.write('\r\x1b[K');
      shown = false;
    },
  };
}

/** SQLite corruption found while writing becomes the same one-line StoreError as at open. */
function asStoreError(err: unknown, dbPath: string): unknown {
  if (classifyStoreError(err) === 'corrupt') {
    return new StoreError(`The database ${dbPath} is corrupt; run with --rebuild to start it anew from the logs.`);
  }
  return err;
}
