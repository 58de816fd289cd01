import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isolateHome, runCli } from '../helpers/run-cli.js';

let home: string;
beforeAll(() => {
  home = isolateHome();
  mkdirSync(join(home, 'root', 'projects'), { recursive: true });
  writeFileSync(join(home, 'a-file'), 'x');
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('configuration mistakes are loud', () => {
  for (const command of [['status'], ['report'], ['ingest'], ['export', '--format', 'json'], ['backtest']]) {
    it(`a --claude-dir that does not exist is exit 2 naming it (${command[0]})`, async () => {
      const missing = join(home, 'no-such-root');
      const r = await runCli([...command, '--claude-dir', missing, '--db', join(home, 'x.db')]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(missing);
      expect(r.stderr).toContain('does not exist');
    });
  }

  it('one folder named three ways (a trailing slash, a link to it) is read once', async () => {
    const root = join(home, 'once');
    mkdirSync(join(root, 'projects', '-p'), { recursive: true });
    const line = (i: number): string =>
      JSON.stringify({
        type: 'assistant',
        timestamp: '2026-11-20T12:00:00.000Z',
        sessionId: 's1',
        entrypoint: 'sdk-cli',
        requestId: `req_once_${i}`,
        message: { id: `msg_once_${i}`, model: 'claude-sonnet-4-6', usage: { input_tokens: 10, output_tokens: 20 } },
      });
    writeFileSync(join(root, 'projects', '-p', 's1.jsonl'), `${line(1)}\n${line(2)}\n`);
    symlinkSync(root, join(home, 'once-link'));
    const db = join(home, 'once.db');
    const r = await runCli([
      'ingest',
      '--claude-dir',
      root,
      '--claude-dir',
      `${root}/`,
      '--claude-dir',
      join(home, 'once-link'),
      '--db',
      db,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Read 1 of 1 file/);
    expect(r.stdout).toMatch(/requests added +2\b/);
  });

  it('a missing CLAUDE_CONFIG_DIR entry is named too, and a file is not a folder', async () => {
    process.env.CLAUDE_CONFIG_DIR = `${join(home, 'root')},${join(home, 'typo')}`;
    try {
      const r = await runCli(['status', '--db', join(home, 'y.db')]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(join(home, 'typo'));
      expect(r.stderr).toContain('CLAUDE_CONFIG_DIR');
    } finally {
      delete process.env.CLAUDE_CONFIG_DIR;
    }
    const f = await runCli(['status', '--claude-dir', join(home, 'a-file'), '--db', join(home, 'z.db')]);
    expect(f.code).toBe(2);
    expect(f.stderr).toContain('is not a folder');
  });

  it('a store named in a folder that does not exist is exit 2 naming where it came from, and nothing is made', async () => {
    const root = join(home, 'root');
    const missing = join(home, 'typo-dir', 'deeper', 'usage.db');
    const r = await runCli(['status', '--claude-dir', root, '--db', missing]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      `creditmeter: The folder of the database ${missing} (from --db) does not exist: create it, or choose a file in a folder that does.`,
    );
    process.env.CREDITMETER_DB = missing;
    try {
      const env = await runCli(['report', '--claude-dir', root]);
      expect(env.code).toBe(2);
      expect(env.stderr).toContain('(from $CREDITMETER_DB)');
    } finally {
      delete process.env.CREDITMETER_DB;
    }
    expect(existsSync(join(home, 'typo-dir'))).toBe(false);
    const underFile = await runCli(['status', '--claude-dir', root, '--db', join(home, 'a-file', 'x.db')]);
    expect(underFile.code).toBe(2);
    expect(underFile.stderr).toContain(`${join(home, 'a-file', 'x.db')} (from --db) is a file, not a folder`);
    const belowFile = await runCli(['status', '--claude-dir', root, '--db', join(home, 'a-file', 'sub', 'x.db')]);
    expect(belowFile.code).toBe(2);
    expect(belowFile.stderr).toContain('does not exist');
    // The default place is made when missing, also when it is named.
    const saved = { config: process.env.XDG_CONFIG_HOME, data: process.env.XDG_DATA_HOME };
    const fresh = isolateHome();
    try {
      const named = join(fresh, 'data', 'creditmeter', 'usage.db');
      expect((await runCli(['status', '--claude-dir', root, '--db', named])).code).toBe(0);
      expect(existsSync(named)).toBe(true);
    } finally {
      process.env.XDG_CONFIG_HOME = saved.config;
      process.env.XDG_DATA_HOME = saved.data;
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('a --config that is a folder is exit 2 saying so', async () => {
    const r = await runCli(['status', '--config', join(home, 'root'), '--db', join(home, 'w.db')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      `creditmeter: The config file ${join(home, 'root')} is a folder: give --config (or $CREDITMETER_CONFIG) a file path.`,
    );
  });

  it('config set seats on a non-team plan is refused with the reason, and nothing is written', async () => {
    const config = join(home, 'cfg.json');
    expect((await runCli(['config', 'set', 'plan', 'max5x', '--config', config])).code).toBe(0);
    const r = await runCli(['config', 'set', 'seats', '3', '--config', config]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/seats applies to the team plans.*max5x/);
    expect(JSON.parse(readFileSync(config, 'utf8'))).toEqual({ plan: 'max5x' });
    expect((await runCli(['config', 'set', 'plan', 'team', '--config', config])).code).toBe(0);
    expect((await runCli(['config', 'set', 'seats', '3', '--config', config])).code).toBe(0);
    // Only as whole numbers are written, and no more than the limit the message names.
    for (const typed of ['0x10', '1e1', '100001']) {
      const bad = await runCli(['config', 'set', 'seats', typed, '--config', config]);
      expect([bad.code, bad.stderr]).toEqual([
        2,
        `creditmeter: seats must be a whole number from 1 to 100,000, not "${typed}"; the config file was not changed.\n`,
      ]);
    }
    expect(JSON.parse(readFileSync(config, 'utf8'))).toEqual({ plan: 'team', seats: 3 });
  });

  it('config set with a bad value names the value as typed, and nothing is written', async () => {
    const config = join(home, 'cfg3.json');
    expect((await runCli(['config', 'set', 'plan', 'max5x', '--config', config])).code).toBe(0);
    const r = await runCli(['config', 'set', 'plan', 'maxx', '--config', config]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'creditmeter: plan must be one of pro, max5x, max20x, team, team-premium, custom, not "maxx"; the config file was not changed.\n',
    );
    const day = await runCli(['config', 'set', 'cycle-start-day', '40', '--config', config]);
    expect(day.code).toBe(2);
    expect(day.stderr).toContain('not "40"; the config file was not changed.');
    expect(JSON.parse(readFileSync(config, 'utf8'))).toEqual({ plan: 'max5x' });
  });

  it('an empty config file holds no settings (--config /dev/null), and config set writes only plain files', async () => {
    const status = await runCli(['status', '--json', '--config', '/dev/null', '--db', join(home, 'v.db')]);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toHaveProperty('credit');
    const empty = join(home, 'empty.json');
    writeFileSync(empty, '  \n');
    expect((await runCli(['config', 'set', 'plan', 'max20x', '--config', empty])).code).toBe(0);
    expect(JSON.parse(readFileSync(empty, 'utf8'))).toEqual({ plan: 'max20x' });
    for (const target of ['/dev/null', join(home, 'root')]) {
      const r = await runCli(['config', 'set', 'plan', 'pro', '--config', target]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim()).toBe(
        `creditmeter: The config file ${target} is not a plain file; choose another place with --config.`,
      );
    }
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('config show keeps its columns aligned, long paths included', async () => {
    const config = join(home, 'cfg2.json');
    // A chosen store's folder must exist.
    mkdirSync(join(home, 'a', 'rather', 'long', 'path', 'to', 'the'), { recursive: true });
    await runCli([
      'config',
      'set',
      'db',
      join(home, 'a', 'rather', 'long', 'path', 'to', 'the', 'usage.db'),
      '--config',
      config,
    ]);
    const r = await runCli(['config', 'show', '--config', config, '--claude-dir', join(home, 'root')]);
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\n').slice(1);
    const sourceAt = rows.map((row) => /(config file|default|flag|environment)[^ ]*( \(\w+\))?$/.exec(row)!.index);
    expect(new Set(sourceAt).size).toBe(1);
  });
});
