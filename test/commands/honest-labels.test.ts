import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isolateHome, runCli } from '../helpers/run-cli.js';
import { fixtureCase } from '../ingest/helpers.js';

let home: string;
let args: string[];
beforeAll(() => {
  home = isolateHome();
  writeFileSync(join(home, 'config.json'), '{}');
  const root = fixtureCase('mixed-entrypoints');
  args = ['--claude-dir', root, '--db', join(home, 'usage.db'), '--config', join(home, 'config.json')];
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('a past cycle is described as past everywhere', () => {
  it('status --cycle previous: rates and forecast not applicable, how the cycle ended instead', async () => {
    const r = await runCli(['status', ...args, '--now', '2025-11-10T00:00:00Z', '--cycle', 'previous']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Burn      not applicable: the cycle has ended');
    expect(r.stdout).toContain('Forecast  not applicable: final spend $0.0022, the credit lasted the cycle');
    expect(r.stdout).not.toMatch(/\/h last hour/);
  });

  it('the HTML and Markdown exports of a past cycle never say "not yet"', async () => {
    for (const format of ['html', 'md']) {
      const r = await runCli([
        'export',
        ...args,
        '--format',
        format,
        '--out',
        '-',
        '--now',
        '2025-11-10T00:00:00Z',
        '--cycle',
        'previous',
      ]);
      expect(r.code).toBe(0);
      expect(r.stdout).not.toContain('not yet');
      expect(r.stdout).toContain('the credit lasted the cycle');
    }
  });
});

describe('status text', () => {
  it('lists the programmatic models under Programmatic, and counts "1 request"', async () => {
    const r = await runCli(['status', ...args, '--now', '2025-10-20T00:00:00Z']);
    const lines = r.stdout.split('\n');
    const prog = lines.findIndex((l) => l.startsWith('Programmatic'));
    expect(lines[prog + 1]).toMatch(/^  claude-sonnet-4-5-20250929 /);
    expect(lines.findIndex((l) => l.startsWith('Interactive'))).toBeGreaterThan(prog + 1);
    expect(r.stdout).toContain('in 1 request (');
    expect(r.stdout).not.toMatch(/\b1 requests\b/);
  });
});
