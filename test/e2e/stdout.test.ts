/**
 * The short paths' stdout writer: every byte reaches a pipe, even a full one, and a reader that
 * goes away, or a closed stdout, ends the writing quietly.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, cliPath, repo } from './build-cli.js';

beforeAll(() => buildCli(), 120_000);

const writer = pathToFileURL(join(repo, 'dist', 'lib', 'cli', 'stdout.js')).href;
/** A program that writes `bytes` bytes of text (with some non-ASCII) through the writer, then "done" on stderr. */
const program = (bytes: number): string[] => [
  '--input-type=module',
  '-e',
  `import { writeStdout } from ${JSON.stringify(writer)};
   const line = 'é'.repeat(50) + 'x'.repeat(49) + '\\n';
   writeStdout(line.repeat(Math.ceil(${bytes} / 150)));
   process.stderr.write('done');`,
];

describe('stdout writer', () => {
  it('writes every byte to a pipe, past its buffer', async () => {
    const child = spawn(process.execPath, program(3_000_000), { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += String(c)));
    // A slow reader: the pipe fills while the writer writes.
    await new Promise((r) => setTimeout(r, 300));
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    const code = await new Promise<number | null>((r) => child.on('close', r));
    const text = Buffer.concat(chunks).toString('utf8');
    expect(code).toBe(0);
    expect(err).toBe('done');
    expect(text.length).toBe(Math.ceil(3_000_000 / 150) * 100);
    expect(text.split('\n').every((l) => l === '' || l === 'é'.repeat(50) + 'x'.repeat(49))).toBe(true);
  });

  it('stops quietly when the reader has gone or stdout is closed', async () => {
    const child = spawn(process.execPath, program(3_000_000), { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += String(c)));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect({ code, err }).toEqual({ code: 0, err: 'done' });

    const closed = spawnSync('sh', ['-c', `"${process.execPath}" "$@" >&-`, 'sh', ...program(1000)], {
      encoding: 'utf8',
    });
    expect({ code: closed.status, err: closed.stderr }).toEqual({ code: 0, err: 'done' });
  });
});

describe('the binary ending as soon as it has answered', () => {
  it('hands a slow reader every byte of a long report, with its exit code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cm-exit-'));
    try {
      const project = join(dir, 'claude', 'projects', 'p');
      mkdirSync(project, { recursive: true });
      for (let s = 0; s < 1500; s++) {
        const session = `00000000-0000-4000-8000-${String(s).padStart(12, '0')}`;
        const line = JSON.stringify({
          type: 'assistant',
          entrypoint: 'sdk-ts',
          sessionId: session,
          uuid: `u${s}`,
          requestId: `r${s}`,
          timestamp: '2026-11-02T10:00:00.000Z',
          message: { id: `m${s}`, model: 'claude-sonnet-4-5', usage: { input_tokens: 100 + s, output_tokens: 10 } },
        });
        writeFileSync(join(project, `${session}.jsonl`), `${line}\n`);
      }
      writeFileSync(join(dir, 'config.json'), '{}');
      const args = [cliPath, 'report', '--by', 'session', '--json', '--claude-dir', join(dir, 'claude')];
      args.push('--db', join(dir, 'u.db'), '--config', join(dir, 'config.json'));
      for (let run = 0; run < 2; run++) {
        // The second run answers from the snapshot, the fastest way to its end.
        const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
        const chunks: Buffer[] = [];
        await new Promise((r) => setTimeout(r, 500));
        child.stdout.on('data', (c: Buffer) => chunks.push(c));
        const code = await new Promise<number | null>((r) => child.on('close', r));
        const text = Buffer.concat(chunks).toString('utf8');
        expect(text.length).toBeGreaterThan(200_000);
        expect((JSON.parse(text) as { rows: unknown[] }).rows).toHaveLength(1500);
        expect(code).toBe(0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('every command whose reader has gone', () => {
  it('ends quietly, exit 0 and stderr empty, however much it has to print', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cm-gone-'));
    try {
      const project = join(dir, 'claude', 'projects', 'p');
      mkdirSync(project, { recursive: true });
      // 1,500 requests: a CSV export of them is far over a pipe's 64 KB.
      const lines = Array.from({ length: 1500 }, (_, s) =>
        JSON.stringify({
          type: 'assistant',
          entrypoint: 'sdk-ts',
          sessionId: 'session-a',
          uuid: `u${s}`,
          requestId: `r${s}`,
          timestamp: '2026-11-02T10:00:00.000Z',
          message: { id: `m${s}`, model: 'claude-sonnet-4-5', usage: { input_tokens: 100 + s, output_tokens: 10 } },
        }),
      );
      writeFileSync(join(project, 'session-a.jsonl'), `${lines.join('\n')}\n`);
      writeFileSync(join(dir, 'config.json'), '{}');
      const common = [
        '--claude-dir',
        join(dir, 'claude'),
        '--db',
        join(dir, 'u.db'),
        '--config',
        join(dir, 'config.json'),
      ];
      const commands = [
        ['export', '--format', 'csv', '--out', '-', '--now', '2026-11-03T00:00:00Z'],
        ['export', '--format', 'html', '--out', '-', '--now', '2026-11-03T00:00:00Z'],
        ['config', 'show'],
        ['config', 'path'],
        ['prices'],
        ['backtest'],
        ['reprice'],
        ['report', '--by', 'session'],
        ['--help'],
        ['--version'],
        // The bare command on a pipe: the status summary.
        [],
        ['dashboard'],
      ];
      for (const command of commands) {
        // `| true`: the reader ends before reading anything.
        const r = spawnSync(
          'bash',
          ['-c', '"$@" | true; exit ${PIPESTATUS[0]}', 'bash', process.execPath, cliPath, ...command, ...common],
          {
            encoding: 'utf8',
          },
        );
        expect({ command: command.join(' '), code: r.status, stderr: r.stderr }).toEqual({
          command: command.join(' '),
          code: 0,
          stderr: '',
        });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('terminal width', () => {
  const columns = pathToFileURL(join(repo, 'dist', 'lib', 'cli', 'stdout.js')).href;
  const probe = `import { terminalColumns } from ${JSON.stringify(columns)};
    process.stderr.write('cols=' + terminalColumns());`;
  it("is the terminal's on a terminal, and undefined on a pipe or /dev/null", () => {
    const piped = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8' });
    expect(piped.stderr).toMatch(/^cols=undefined/);
    const devNull = spawnSync('sh', ['-c', `"${process.execPath}" --input-type=module -e "$P" > /dev/null`], {
      encoding: 'utf8',
      env: { ...process.env, P: probe },
    });
    expect(devNull.stderr).toMatch(/^cols=undefined/);
    // A pseudo-terminal of 61 columns (util-linux script).
    const tty = spawnSync(
      'script',
      ['-qec', `stty cols 61 rows 20; "${process.execPath}" --input-type=module -e "$P" 2>&1`, '/dev/null'],
      { encoding: 'utf8', env: { ...process.env, P: probe } },
    );
    expect(tty.stdout).toContain('cols=61');
  });
});

describe('commands on a narrow terminal', () => {
  it('config show, ingest, report and errors keep every line inside 60 columns of a pseudo-terminal', () => {
    // A short folder name: `config show` prints the config file's path whole.
    const dir = mkdtempSync(join(tmpdir(), 'n-'));
    try {
      const config = join(dir, 'config.json');
      writeFileSync(config, JSON.stringify({ plan: 'max5x' }));
      mkdirSync(join(dir, 'claude', 'projects'), { recursive: true });
      const run = (args: string): string =>
        spawnSync(
          'script',
          ['-qec', `stty cols 60 rows 40; "${process.execPath}" "${cliPath}" ${args} 2>&1`, '/dev/null'],
          // Short default paths: the values fit 60 columns, the source column beside them does not.
          { encoding: 'utf8', env: { ...process.env, HOME: '/h', XDG_DATA_HOME: '/d', XDG_CONFIG_HOME: '/c' } },
        ).stdout.replace(/\r/g, '');
      const shown = run(`config show --config "${config}"`);
      expect(shown).toMatch(/^plan +max5x +config file$/m);
      expect(shown).toMatch(/^seats +1 +default$/m);
      for (const line of shown.trimEnd().split('\n')) expect(line.length, line).toBeLessThanOrEqual(60);
      const ingest = run(
        `ingest --claude-dir "${join(dir, 'claude')}" --db "${join(dir, 'u.db')}" --config "${config}"`,
      );
      expect(ingest).toMatch(/^ {2}duplicates replaced {7}0\n {28}\(a later copy carried more\n/m);
      // Errors, the parser's own among them, break between words too: joined again, they read whole.
      const errors = [run('export --by wk'), run('stauts'), run(`status --db --json --config "${config}"`)];
      expect(errors[0]!.trimEnd().replace(/\n {2}/g, ' ')).toMatch(
        /^creditmeter: option '--by <grouping>' argument 'wk' is invalid; allowed choices are model, day, week, month, .* \(see creditmeter --help\)$/,
      );
      expect(errors[1]!.trimEnd().replace(/\n {2}/g, ' ')).toBe(
        "creditmeter: unknown command 'stauts'; did you mean status? (see creditmeter --help)",
      );
      expect(errors[2]!.trimEnd().replace(/\n {2}/g, ' ')).toMatch(
        /^creditmeter: option '--db <file>' has no value: '--json' is an option/,
      );
      // The report's title (what was selected) wraps too, whatever the table does.
      const report = run(
        `report --claude-dir "${join(dir, 'claude')}" --db "${join(dir, 'u.db')}" --config "${config}"`,
      );
      expect(report.replace(/\n {2}/g, ' ')).toMatch(
        /^Usage by model, all classes, all time \(days in UTC\); prices \d{4}-\d\d-\d\d\n/,
      );
      // And the sentences of reprice (an unpriced model named in its warning).
      const reprice = run(`reprice --db "${join(dir, 'u.db')}" --config "${config}"`);
      expect(reprice.replace(/\n {2}/g, ' ')).toMatch(
        /^Repriced 0 unpriced requests with price table \d{4}-\d\d-\d\d\.\n/,
      );
      for (const text of [shown, ingest, report, reprice, ...errors])
        for (const line of text.split('\n')) expect(line.length, line).toBeLessThan(60);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
