/**
 * The binary's own ways in: `ingest` with nothing new answers from its snapshot with the full
 * command's text; `ingest`, `report` and `status` load as one file with the same answers, messages
 * and exit codes as the full program; every argument those ways do not take, and help, still reach
 * the full program.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, cliPath, repo } from './build-cli.js';
import { ONE_FILE_COMMANDS } from '../../src/commands/index.js';
import { ONE_FILE_REGISTER } from '../../src/command-main.js';
import { bundledPricesDigest, decodeSnapshot } from '../../src/app/ingest-snapshot.js';

beforeAll(() => buildCli(), 120_000);

describe('entry points', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cm-entry-'));
  const root = path.join(dir, 'claude');
  cpSync(path.join(repo, 'fixtures', 'cases', 'pricing-features'), root, { recursive: true });
  const config = path.join(dir, 'config.json');
  writeFileSync(config, '{}');
  const db = path.join(dir, 'usage.db');
  const runOn = (store: string, ...args: string[]) =>
    spawnSync(process.execPath, [cliPath, ...args, '--claude-dir', root, '--db', store, '--config', config], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', XDG_CONFIG_HOME: dir, XDG_DATA_HOME: dir },
    });
  const run = (...args: string[]) => runOn(db, ...args);

  it("keys its snapshot with the bundled price table's digest the sources compute (a constant of the build)", () => {
    const own = path.join(dir, 'digest.db');
    for (let i = 0; i < 2; i++) expect(runOn(own, 'ingest').status).toBe(0);
    const snapshot = decodeSnapshot(readFileSync(`${own}-ingest.snapshot`))!;
    expect((JSON.parse(snapshot.key!) as unknown[])[2]).toBe(bundledPricesDigest());
  });

  it('ingest with nothing new prints the same summary from the snapshot as the full run did', () => {
    const own = path.join(dir, 'ingest.db');
    const noDuration = (s: string): string => s.replace(/ in \d+\.\d\d s\./, '');
    expect(runOn(own, 'ingest').stdout).toMatch(/Read 1 of 1 file/);
    const full = runOn(own, 'ingest');
    expect(existsSync(`${own}-ingest.snapshot`)).toBe(true);
    const short = runOn(own, 'ingest');
    expect(short.status).toBe(0);
    expect(noDuration(short.stdout)).toBe(noDuration(full.stdout));
    const json = runOn(own, 'ingest', '--json');
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ filesRead: 0, files: 1, store: { requests: 7 } });
  });

  it.each([
    [['--json', 'ingest'], 2, /unknown option '--json'/],
    [['ingest', '--plan', 'bogus'], 2, /bogus/],
    [['ingest', 'extra'], 2, /too many arguments|unknown command|extra/],
    // A word that names no command reaches the dashboard's own file: it is named, with the nearest command.
    [['stauts'], 2, /^creditmeter: unknown command 'stauts'; did you mean status\? \(see creditmeter --help\)\n$/],
    [['bogus', '--json'], 2, /^creditmeter: unknown command 'bogus' \(see creditmeter --help\)\n$/],
  ])('%j is the program’s to answer', (args, code, message) => {
    const r = run(...(args as string[]));
    expect(r.status).toBe(code);
    expect(r.stderr).toMatch(message as RegExp);
  });

  // A forgotten value: the parser would take the next option as it (a store named `--json`).
  it.each([
    [['status', '--db', '--json'], "option '--db <file>' has no value: '--json' is an option", '--json'],
    [['ingest', '--claude-dir', '--rebuild'], "option '--claude-dir <dir>' has no value: '--rebuild'", '--rebuild'],
    [['--db', '--rebuild'], "option '--db <file>' has no value: '--rebuild'", '--rebuild'],
    [['export', '--out', '--format', 'md'], "option '--out <path>' has no value: '--format'", '--format'],
    // Its choices never start with "--": no hint of the = form.
    [['status', '--plan', '--json'], "option '--plan <plan>' has no value: '--json' is an option", null],
  ])('%j names the option left without its value and writes nothing', (args, message, stray) => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'cm-novalue-'));
    const r = spawnSync(process.execPath, [cliPath, ...(args as string[])], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', XDG_CONFIG_HOME: dir, XDG_DATA_HOME: dir, CLAUDE_CONFIG_DIR: root },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`creditmeter: ${message as string}`);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    const a = args as string[];
    if (stray === null) expect(r.stderr).not.toContain('given as');
    else expect(r.stderr).toContain(`given as ${a[a.indexOf(stray as string) - 1]}=${stray}`);
    // No store, snapshot or export under the option's name (nor anything else).
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('a value that starts with "--" is still taken in the = form', () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'cm-dashvalue-'));
    const r = spawnSync(
      process.execPath,
      [cliPath, 'status', '--json', '--db=--odd.db', '--claude-dir', root, '--config', config],
      {
        cwd,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
      },
    );
    expect(r.status).toBe(0);
    expect(existsSync(path.join(cwd, '--odd.db'))).toBe(true);
  });

  it('answers as the program does: JSON, the threshold exit code, usage errors', () => {
    const json = run('status', '--json', '--now', '2025-10-20T00:00:00Z', '--tz', 'UTC');
    expect(json.status).toBe(0);
    const report = JSON.parse(json.stdout) as { programmatic: { requests: number }; cycle: { start: string } };
    expect(report.programmatic.requests).toBeGreaterThan(0);
    expect(report.cycle.start).toBe('2025-10-01T00:00:00.000Z');

    const over = run('--tz', 'UTC', 'status', '--now', '2025-10-20T00:00:00Z', '--fail-at', '0.001');
    expect(over.status).toBe(3);
    expect(over.stderr).toMatch(/at or above --fail-at 0.001%/);

    const badCycle = run('status', '--cycle', 'someday');
    expect(badCycle.status).toBe(2);
    expect(badCycle.stderr).toMatch(/^creditmeter: --cycle must be current, previous, next or a date/);
    // A date's shape but no such day: said as that.
    const noDay = run('status', '--cycle', '2026-02-30');
    expect(noDay.status).toBe(2);
    expect(noDay.stderr).toMatch(/^creditmeter: --cycle 2026-02-30 is no day of the calendar/);

    const unknown = run('status', '--bogus');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown option '--bogus'/);
  });

  it('a corrupt store ends with one sentence and exit 1', () => {
    const bad = path.join(dir, 'corrupt.db');
    writeFileSync(bad, 'this is not a database, just some text long enough to look like a header '.repeat(100));
    const r = spawnSync(process.execPath, [cliPath, 'status', '--claude-dir', root, '--db', bad, '--config', config], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^creditmeter: /);
  });

  it('ingest reads and report groups as the program does', () => {
    const ingest = run('ingest', '--json');
    expect(ingest.status).toBe(0);
    expect(JSON.parse(ingest.stdout)).toMatchObject({ requestsAdded: 0, store: { requests: 7 } });
    const report = run('report', '--json', '--by', 'model');
    expect(report.status).toBe(0);
    expect(JSON.stringify(JSON.parse(report.stdout))).toMatch(/claude-/);
    const bad = run('report', '--by', 'planet');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/planet/);
  });

  it('the entry point and the one-file build name the same commands', () => {
    expect([...ONE_FILE_COMMANDS].sort()).toEqual(Object.keys(ONE_FILE_REGISTER).sort());
  });

  it('help comes from the full program', () => {
    const r = run('status', '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: creditmeter status \[options\]/);
    expect(r.stdout).toMatch(/--fail-at <pct>/);
    const all = spawnSync(process.execPath, [cliPath, 'help', 'status'], { encoding: 'utf8' });
    expect(all.stdout).toBe(r.stdout);
  });

  it.each([[['help']], [['help', '--help']], [['help', 'help']]])('%j is the program help, as --help is', (args) => {
    const flag = spawnSync(process.execPath, [cliPath, '--help'], { encoding: 'utf8' });
    const asked = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8' });
    expect(asked.status).toBe(0);
    expect(asked.stderr).toBe('');
    expect(flag.stdout).toMatch(/^Usage: creditmeter \[options\] \[command\]/);
    expect(asked.stdout).toBe(flag.stdout);
  });

  it('help statusline prints the status line help and runs nothing; help --bogus is refused', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cm-help-'));
    const store = ['--db', path.join(dir, 'x.db'), '--config', path.join(dir, 'none.json')];
    const flag = spawnSync(process.execPath, [cliPath, 'statusline', '--help'], { encoding: 'utf8' });
    const asked = spawnSync(process.execPath, [cliPath, 'help', 'statusline', ...store], {
      encoding: 'utf8',
      input: '',
    });
    expect([asked.status, asked.stderr]).toEqual([0, '']);
    expect(asked.stdout).toMatch(/^Usage: creditmeter statusline/);
    expect(asked.stdout).toBe(flag.stdout);
    expect(readdirSync(dir)).toEqual([]);
    const bogus = spawnSync(process.execPath, [cliPath, 'help', '--bogus'], { encoding: 'utf8' });
    expect(bogus.status).toBe(2);
  });
});
