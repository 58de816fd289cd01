/**
 * Text that comes from the logs or from telemetry (a model's name, a folder's path) reaches the
 * terminal with its control characters escaped, in every command's output and warnings: a stored
 * name cannot move the cursor, colour the screen or retitle the terminal.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { isolateHome, runCli } from '../helpers/run-cli.js';

/** An unpriced model whose name sets the terminal's title (OSC 0), as a hostile sender could name one. */
const MODEL = 'x\u001b]0;pwned\u0007';
/** A root folder whose name turns the screen red. */
const ROOT_NAME = 'root\u001b[31mred';

let args: string[] = [];
beforeAll(() => {
  const dir = isolateHome();
  const projects = path.join(dir, 'claude', 'projects', '-work');
  mkdirSync(projects, { recursive: true });
  mkdirSync(path.join(dir, ROOT_NAME), { recursive: true });
  writeFileSync(
    path.join(projects, 's.jsonl'),
    `${JSON.stringify({
      type: 'assistant',
      uuid: 'u1',
      timestamp: '2026-12-01T10:00:00.000Z',
      sessionId: 's1',
      cwd: '/x',
      entrypoint: 'sdk-cli',
      requestId: 'r1',
      message: { id: 'm1', model: MODEL, usage: { input_tokens: 1, output_tokens: 1 } },
    })}\n`,
  );
  args = [
    '--db',
    path.join(dir, 'usage.db'),
    '--claude-dir',
    path.join(dir, 'claude'),
    '--claude-dir',
    path.join(dir, ROOT_NAME),
    '--tz',
    'UTC',
    '--now',
    '2026-12-02T00:00:00Z',
  ];
});

/** The arguments without `--now` (for the commands that take none). */
const withoutNow = (a: string[]): string[] => a.filter((x, i) => x !== '--now' && a[i - 1] !== '--now');

describe('names from the logs on the terminal', () => {
  it.each([
    [['ingest'], 'x\\u{1b}]0;pwned\\u{7}'],
    [['status'], 'x\\u{1b}]0;pwned\\u{7}'],
    [['report'], 'x\\u{1b}]0;pwned\\u{7}'],
    // Markdown escapes the backslashes and brackets of the escape too.
    [['export', '--format', 'md', '--out', '-'], 'x\\\\u\\{1b\\}\\]0;pwned'],
  ])('%j escapes them in its output and its warnings', async (command, shown) => {
    const takesNow = command[0] === 'status' || command[0] === 'export';
    const r = await runCli([...command, ...(takesNow ? args : withoutNow(args))]);
    const all = r.stdout + r.stderr;
    expect(all).not.toMatch(/[\u0007\u001b]/);
    expect(all).toContain(shown);
    if (command[0] !== 'export') expect(all).toContain('root\\u{1b}[31mred');
  });

  it('reprice names a model it still cannot price with the escapes', async () => {
    const r = await runCli(['reprice', ...withoutNow(args)]);
    expect(r.stdout + r.stderr).not.toMatch(/[\u0007\u001b]/);
    expect(r.stdout + r.stderr).toContain('x\\u{1b}]0;pwned\\u{7}');
  });
});

describe('an error naming what the user typed', () => {
  it('shows a control character in a path as an escape: the message clears no screen', async () => {
    const r = await runCli(['status', '--claude-dir', path.join(isolateHome(), 'x\u001b[2Jy'), '--db', ':memory:']);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/[\u0007\u001b]/);
    expect(r.stderr).toContain('x\\u{1b}[2Jy');
  });
});
