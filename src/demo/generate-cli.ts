#!/usr/bin/env node
/**
 * `npm run fixtures -- --out DIR [--bytes 1e9] [--seed N] [--start YYYY-MM-DD --end YYYY-MM-DD]
 * [--single-file] [--json]`: writes a generated Claude config root and prints its manifest.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateHistory, OutDirInUseError } from './generator.js';
import { formatManifest, type GenerateOptions } from './manifest.js';
import { FIXTURE_HISTORY } from './fixture.js';

const USAGE =
  'usage: npm run fixtures -- --out DIR [--bytes 1e9] [--seed N] [--start YYYY-MM-DD --end YYYY-MM-DD] [--single-file] [--fixture] [--json]';

class CliError extends Error {}

function day(text: string, flag: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : Number.NaN;
  if (Number.isNaN(ms)) throw new CliError(`${flag} must be a date such as 2026-10-01, not "${text}".`);
  return ms;
}

function positive(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new CliError(`${flag} must be a positive number, not "${text}".`);
  return n;
}

/** Turns the command line into generator options (the fixture history with --fixture). */
function parseGenerateArgs(argv: string[]): { options: GenerateOptions; json: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string' },
      bytes: { type: 'string' },
      seed: { type: 'string' },
      start: { type: 'string' },
      end: { type: 'string' },
      'single-file': { type: 'boolean' },
      fixture: { type: 'boolean' },
      json: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.out === undefined) throw new CliError('--out DIR is required.');
  const outDir = resolve(values.out);
  if (values.fixture) return { options: { ...FIXTURE_HISTORY, outDir }, json: values.json ?? false };
  const endMs = values.end !== undefined ? day(values.end, '--end') : Date.parse('2026-11-01T00:00:00Z');
  const startMs = values.start !== undefined ? day(values.start, '--start') : endMs - 30 * 86_400_000;
  if (startMs >= endMs) throw new CliError('--start must be before --end.');
  const options: GenerateOptions = { outDir, startMs, endMs, singleFile: values['single-file'] ?? false };
  if (values.bytes !== undefined) options.targetBytes = positive(values.bytes, '--bytes');
  if (values.seed !== undefined) options.seed = Math.floor(positive(values.seed, '--seed'));
  return { options, json: values.json ?? false };
}

async function main(): Promise<number> {
  try {
    const { options, json } = parseGenerateArgs(process.argv.slice(2));
    const tty = process.stderr.isTTY;
    const manifest = await generateHistory({
      ...options,
      onProgress: tty ? (bytes) => process.stderr.write(`\r${(bytes / 1e6).toFixed(0)} MB written`) : undefined,
    });
    if (tty) process.stderr.write('\r');
    process.stdout.write(json ? JSON.stringify(manifest, null, 1) + '\n' : formatManifest(manifest) + '\n');
    return 0;
  } catch (err) {
    if (err instanceof OutDirInUseError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    if (err instanceof CliError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
      return 2;
    }
    process.stderr.write(`Generating failed: ${(err as Error).message}\n`);
    return 1;
  }
}

process.exitCode = await main();
