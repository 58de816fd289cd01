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
import { FORECAST_SHAPES, forecastShape, writeShapeTree, type ForecastShape } from './forecast-shapes.js';

const USAGE =
  'usage: npm run fixtures -- --out DIR [--bytes 1e9] [--seed N] [--start YYYY-MM-DD --end YYYY-MM-DD] [--single-file] [--fixture] [--shape NAME [--tz ZONE]] [--json]';

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
interface ShapeRequest {
  shape: ForecastShape;
  out: string;
  seed: number;
  tz: string;
  from: string;
  to: string;
}

function parseGenerateArgs(argv: string[]): { options: GenerateOptions; json: boolean; shape?: ShapeRequest } {
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
      shape: { type: 'string' },
      tz: { type: 'string' },
      json: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.out === undefined) throw new CliError('--out DIR is required.');
  const outDir = resolve(values.out);
  if (values.shape !== undefined) {
    const shape = values.shape as ForecastShape;
    if (!FORECAST_SHAPES.includes(shape))
      throw new CliError(`--shape must be one of ${FORECAST_SHAPES.join(', ')}, not "${values.shape}".`);
    day(values.start ?? '2026-06-01', '--start');
    day(values.end ?? '2026-11-01', '--end');
    const request: ShapeRequest = {
      shape,
      out: outDir,
      seed: values.seed !== undefined ? Math.floor(positive(values.seed, '--seed')) : 1,
      tz: values.tz ?? 'UTC',
      from: values.start ?? '2026-06-01',
      to: values.end ?? '2026-11-01',
    };
    return { options: { outDir, startMs: 0, endMs: 0 }, json: values.json ?? false, shape: request };
  }
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
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    const { options, json, shape } = parseGenerateArgs(argv);
    if (shape) {
      const history = forecastShape(shape.shape, { seed: shape.seed, tz: shape.tz, from: shape.from, to: shape.to });
      const written = writeShapeTree(history, shape.out);
      const summary = {
        shape: shape.shape,
        seed: shape.seed,
        tz: shape.tz,
        from: shape.from,
        to: shape.to,
        ...written,
      };
      process.stdout.write(
        json
          ? `${JSON.stringify(summary, null, 1)}\n`
          : `${shape.shape}: ${written.requests} requests, $${written.programmatic.toFixed(2)} programmatic, in ${shape.out}\n`,
      );
      return 0;
    }
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
