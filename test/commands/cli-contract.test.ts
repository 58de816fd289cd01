import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { isolateHome, runCli } from '../helpers/run-cli.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const margin = path.resolve(repo, '../shared/real-logs/margin');

let dir = '';
let base: string[] = [];

beforeEach(() => {
  isolateHome();
  dir = mkdtempSync(path.join(tmpdir(), 'cm-contract-'));
  const config = path.join(dir, 'config.json');
  writeFileSync(config, '{}');
  base = ['--claude-dir', margin, '--db', path.join(dir, 'usage.db'), '--config', config, '--tz', 'UTC'];
});

/** A pattern matching `text` at the start of the output, character for character. */
const exactly = (text: string): RegExp => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);

describe('user errors: one sentence, exit 2', () => {
  it.each([
    [['frobnicate'], /^creditmeter: unknown command 'frobnicate'/],
    [['report', '--frob'], /^creditmeter: unknown option '--frob'/],
    [['--plan', 'gold', 'status'], /^creditmeter: .*'gold' is invalid/],
    [['--plan', 'pro', '--seats', '4', 'status'], /^creditmeter: --seats applies to the team plans/],
    // Whole numbers as they are written: Number would read these as 16, 10, 3, 3 and 31.
    ...['0x10', '1e1', '+3', '3.0', '100001'].map((n): [string[], RegExp] => [
      ['--plan', 'team', '--seats', n, 'status'],
      exactly(`creditmeter: --seats must be a whole number from 1 to 100,000, not "${n}".`),
    ]),
    ...['0x1f', '1e1', '15.0'].map((n): [string[], RegExp] => [
      ['--cycle-start-day', n, 'status'],
      exactly(`creditmeter: --cycle-start-day must be a day from 1 to 31, not "${n}".`),
    ]),
    [['--tz', 'Mars/Base', 'report'], /^creditmeter: Unknown time zone "Mars\/Base" \(from --tz\)/],
    [['--cycle', 'previous', 'status'], /^creditmeter: unknown option '--cycle'/],
    [['--usage-credits', 'maybe', 'status'], /^creditmeter: --usage-credits must be on or off \(or true\/false/],
  ])('%j', async (args, message) => {
    const r = await runCli([...args, '--db', path.join(dir, 'x.db'), '--config', path.join(dir, 'config.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('team seats', () => {
  it('pools the per-seat credit of team plans and keeps one seat on other plans', async () => {
    const team = await runCli(['status', '--json', '--plan', 'team-premium', '--seats', '3', ...base]);
    expect(JSON.parse(team.stdout).cycle).toMatchObject({ plan: 'team-premium', seats: 3, credit: 300 });
    writeFileSync(path.join(dir, 'seats.json'), JSON.stringify({ seats: 5 }));
    const pro = await runCli([
      'status',
      '--json',
      '--plan',
      'max5x',
      ...base,
      '--config',
      path.join(dir, 'seats.json'),
    ]);
    expect(JSON.parse(pro.stdout).cycle).toMatchObject({ plan: 'max5x', seats: 1, credit: 100 });
  });
});

describe('stored costs follow the price table in use', () => {
  it('prices stored requests again when a price file is added, and back when it is removed', async () => {
    const plain = JSON.parse((await runCli(['report', '--json', ...base])).stdout);
    expect(plain.totals.cost).toBeCloseTo(0.030775, 6);
    const doubled = path.join(dir, 'prices.json');
    writeFileSync(
      doubled,
      JSON.stringify({
        models: [
          {
            id: 'claude-haiku-4-5-20251001',
            aliases: ['claude-haiku-4-5'],
            from: null,
            until: null,
            rates: { input: 2, cacheWrite5m: 2.5, cacheWrite1h: 4, cacheRead: 0.2, output: 10 },
          },
        ],
      }),
    );
    const withFile = JSON.parse((await runCli(['report', '--json', '--prices', doubled, ...base])).stdout);
    // Every rate doubled: the total doubles (up to the 6-decimal rounding of each output).
    expect(Math.abs(withFile.totals.cost - 2 * plain.totals.cost)).toBeLessThan(2e-6);
    expect(withFile.totals.cost).toBeGreaterThan(0.0615);
    const again = JSON.parse((await runCli(['report', '--json', ...base])).stdout);
    expect(again.totals.cost).toBeCloseTo(0.030775, 6);
  });
});

describe('the command list', () => {
  it('shows one summary per command, the same whether a command is loaded or not', async () => {
    const { buildProgram } = await import('../../src/program.js');
    const { registerFor } = await import('../../src/commands/index.js');
    const list = async (argv: readonly string[] | 'all'): Promise<string> => {
      const help = buildProgram(await registerFor(argv)).helpInformation({ error: false });
      // A loaded command's term also lists its arguments and "[options]"; the summaries must match.
      return help
        .slice(help.indexOf('Commands:'))
        .replace(/ \[options\]| \[[a-z-]+\.*\]| <[a-z-]+>/g, '')
        .replace(/\s+/g, ' ');
    };
    const none = await list(['node', 'creditmeter', '--help']);
    expect(none).toContain('status');
    expect(await list('all')).toBe(none);
    expect(await list(['node', 'creditmeter', 'status', '--help'])).toBe(none);
  });
});
