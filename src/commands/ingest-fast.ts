/**
 * `creditmeter ingest` when nothing is new, without the command-line parser or the database: the
 * entry point tries this first. It stats the folders and transcripts the last nothing-new run rested
 * on, and when they, the store's files and the settings are those of the snapshot that run
 * kept (app/ingest-snapshot.ts), it prints its summary again. On any doubt
 * (another flag, a setting it cannot read, a warning to give, anything changed) it answers false
 * and the full command runs. Built into one file of its own (scripts/bundle.mjs).
 */
import { parseArgs } from 'node:util';
import { resolveConfig, type ResolvedConfig } from '../app/config.js';
import { unchangedSnapshot } from '../app/ingest-snapshot.js';
import { storeStamp } from '../store/side-files.js';
import { GLOBAL_FLAGS, globalParseOptions, parseGlobalFlags, type ParseOptions } from '../cli/global-flags.js';
import { formatIngestSummary } from './ingest-text.js';
import { terminalColumns, writeStdout, type Write } from '../cli/stdout.js';

/**
 * `ingest`'s arguments when they are only the command word, `--json` after it and valid global
 * flags (commander would take them all the same way); null for anything else.
 */
export function plainIngestArgs(args: string[]): { args: string[]; json: boolean } | null {
  const options: ParseOptions = { ...globalParseOptions(), json: { type: 'boolean', multiple: false } };
  let parsed;
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: true, tokens: true });
  } catch {
    return null;
  }
  const words = parsed.tokens.filter((t) => t.kind === 'positional');
  if (words.length !== 1 || words[0]!.value !== 'ingest' || parsed.tokens.some((t) => t.kind === 'option-terminator'))
    return null;
  const commandAt = words[0]!.index;
  let json = false;
  for (const t of parsed.tokens) {
    if (t.kind !== 'option') continue;
    if (t.name === 'json') {
      // Before the command word it is not ingest's option: commander rejects it there.
      if (t.index < commandAt || t.value !== undefined) return null;
      json = true;
    }
    const spec = Object.values(GLOBAL_FLAGS).find((f) => f.name === t.name);
    if (spec?.choices !== undefined && !spec.choices.includes(t.value ?? '')) return null;
  }
  return { args: args.filter((_, i) => i !== commandAt), json };
}

/** A monotonic clock in ms (the first use of `performance` loads a module: 1.5 ms here). */
const clockMs = (): number => Number(process.hrtime.bigint()) / 1e6;

/** Prints the kept summary and answers true when nothing is new; false lets the full command run. */
export function ingestFast(argv: string[], write: Write = writeStdout): boolean {
  const started = clockMs();
  const plain = plainIngestArgs(argv.slice(2));
  if (plain === null) return false;
  let config: ResolvedConfig;
  try {
    config = resolveConfig(parseGlobalFlags(plain.args));
  } catch {
    return false; // the full command explains it
  }
  const snapshot = unchangedSnapshot(config, storeStamp(config.dbPath));
  if (snapshot === null) return false; // something is new (or a warning to give): the full command
  const summary = { ...snapshot.summary, durationMs: clockMs() - started };
  write(
    plain.json
      ? `${JSON.stringify({ ...summary, durationMs: Math.round(summary.durationMs), store: snapshot.store })}\n`
      : formatIngestSummary(summary, snapshot.store, terminalColumns()),
  );
  return true;
}
