import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { isolateHome, runCli } from '../helpers/run-cli.js';
import { textWidth } from '../../src/domain/terminal-text.js';

/** Project paths (a transcript's `cwd`) a spreadsheet would run, or that would break a text table. */
const FORMULA = '=HYPERLINK("http://example.invalid","x")';
const BROKEN = '/work/two\nlines\u001b[31mred\u202etxt';
/** Two columns a character, and accents that take none: the table's columns stay in line. */
const WIDE = '/home/用户/项目/日本語のプロジェクト名前';
const COMBINING = '/work/e\u0301ve\u0301nements';

function assistantLine(id: string, cwd: string, ts: string): string {
  return JSON.stringify({
    type: 'assistant',
    uuid: `u-${id}`,
    timestamp: ts,
    sessionId: `s-${id}`,
    cwd,
    entrypoint: 'sdk-cli',
    requestId: `req_${id}`,
    message: {
      id: `msg_${id}`,
      model: 'claude-sonnet-4-6',
      usage: { input_tokens: 10, output_tokens: 100, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
    },
  });
}

let args: string[] = [];
beforeAll(() => {
  const dir = isolateHome();
  const projects = path.join(dir, 'claude', 'projects', '-work');
  mkdirSync(projects, { recursive: true });
  writeFileSync(
    path.join(projects, 's.jsonl'),
    [
      assistantLine('f', FORMULA, '2026-03-01T10:00:00Z'),
      assistantLine('b', BROKEN, '2026-03-01T11:00:00Z'),
      assistantLine('p', '/work/plain', '2026-03-01T12:00:00Z'),
      assistantLine('w', WIDE, '2026-03-01T13:00:00Z'),
      assistantLine('c', COMBINING, '2026-03-01T14:00:00Z'),
    ].join('\n') + '\n',
  );
  args = [
    '--db',
    path.join(dir, 'usage.db'),
    '--claude-dir',
    path.join(dir, 'claude'),
    '--tz',
    'UTC',
    '--by',
    'project',
  ];
});

describe('report with hostile project paths', () => {
  it('--csv defuses formulas the way the export CSV does, shows control characters as the reports do, keeps the rest', async () => {
    const r = await runCli(['report', '--csv', ...args]);
    expect(r.code, r.stderr).toBe(0);
    const keys = (parse(r.stdout, { columns: true }) as Array<{ key: string }>).map((x) => x.key).sort();
    // The line break stays (quoted); the escape sequence and the direction override read as escapes.
    const shown = '/work/two\nlines\\u{1b}[31mred\\u{202e}txt';
    expect(keys).toEqual([`'${FORMULA}`, shown, '/work/plain', WIDE, COMBINING].sort());
    expect(r.stdout).not.toMatch(/(^|\r\n)"?=/);
  });

  it('the text table keeps one line per row, control characters shown as escapes', async () => {
    const r = await runCli(['report', ...args]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f\u202e]/);
    const lines = r.stdout.split('\n');
    const header = lines[2] ?? '';
    const rows = lines.slice(4).filter((l) => l !== '' && !l.startsWith('-'));
    expect(rows.map((l) => l.split(/\s{2,}/)[0]).sort()).toEqual(
      ['/work/plain', FORMULA, '/work/two\\nlines\\u{1b}[31mred\\u{202e}txt', WIDE, COMBINING, 'total'].sort(),
    );
    // Under a cent a cost keeps four decimals: no row of spend reads $0.00.
    for (const l of rows) expect(l).not.toMatch(/\$0\.00$/);
    // In terminal columns, every row as wide as the header.
    for (const l of rows) expect(textWidth(l), l).toBe(textWidth(header));
  });

  it('--json keeps the path exactly as the log wrote it', async () => {
    const r = await runCli(['report', '--json', ...args]);
    const keys = (JSON.parse(r.stdout) as { rows: Array<{ key: string }> }).rows.map((x) => x.key);
    expect(keys).toContain(BROKEN);
    expect(keys).toContain(FORMULA);
  });
});
