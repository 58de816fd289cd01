/**
 * `npm start` on a machine without Claude Code logs and without a terminal (CI, a pipe): the app
 * runs on the bundled demo history, says so, and leaves the user's own store untouched. Claude
 * Code installed but never run (an empty `~/.claude/projects`) is such a machine too; a transcript,
 * a store of the user's holding data, or a store or folder the user named is not.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, cliPath } from './build-cli.js';

beforeAll(() => buildCli(), 120_000);

const SUBAGENTS = path.resolve('fixtures/cases/subagents');

/** A fresh home folder, and the CLI run in it (no variable of ours or Claude Code's leaking in). */
function home(): { dir: string; run: (...args: string[]) => { status: number | null; stdout: string } } {
  const dir = mkdtempSync(path.join(tmpdir(), 'cm-home-'));
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir, NO_COLOR: '1', TZ: 'UTC' };
  for (const k of [
    'XDG_CONFIG_HOME',
    'XDG_DATA_HOME',
    'CLAUDE_CONFIG_DIR',
    'CREDITMETER_DB',
    'CREDITMETER_CONFIG',
    'CREDITMETER_PLAN',
  ])
    delete env[k];
  return {
    dir,
    run: (...args) => spawnSync(process.execPath, [cliPath, ...args], { env, encoding: 'utf8', timeout: 120_000 }),
  };
}

const DEMO = /^Demo history: no Claude Code transcripts found/m;
const storeIn = (dir: string): string => path.join(dir, '.local', 'share', 'creditmeter', 'usage.db');

describe('first run without transcripts, not on a terminal', () => {
  it('prints the demo history summary against Max 5x and creates no store in the home folder', () => {
    const h = home();
    const r = h.run();
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(DEMO);
    expect(r.stdout).toMatch(/Max 5x, credit \$100\.00/);
    const used = /Credit\s+\$([\d,.]+) of \$100\.00 used/.exec(r.stdout);
    expect(used).not.toBeNull();
    expect(Number(used![1]!.replace(/,/g, ''))).toBeGreaterThan(0);
    expect(existsSync(storeIn(h.dir))).toBe(false);
  }, 150_000);

  it('opens the demo too when ~/.claude is there with no transcript in it', () => {
    const h = home();
    mkdirSync(path.join(h.dir, '.claude', 'projects', '-home-u-proj'), { recursive: true });
    const r = h.run();
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(DEMO);
    expect(existsSync(storeIn(h.dir))).toBe(false);
  }, 150_000);

  it("shows the user's own history once there is a transcript, or a store that holds one", () => {
    const h = home();
    const claude = path.join(h.dir, '.claude');
    cpSync(path.join(SUBAGENTS, 'projects'), path.join(claude, 'projects'), { recursive: true });
    const mine = h.run();
    expect(mine.status).toBe(0);
    expect(mine.stdout).not.toMatch(/Demo history/);
    expect(existsSync(storeIn(h.dir))).toBe(true);
    // Claude Code cleans old transcripts up; what the store kept is still the user's.
    rmSync(path.join(claude, 'projects'), { recursive: true });
    mkdirSync(path.join(claude, 'projects'));
    const kept = h.run();
    expect(kept.status).toBe(0);
    expect(kept.stdout).not.toMatch(/Demo history/);
    const credit = (out: string): string | undefined => /^Credit .*$/m.exec(out)?.[0];
    expect(credit(kept.stdout)).toBe(credit(mine.stdout));
    expect(credit(mine.stdout)).toMatch(/^Credit +\$\d/);
  }, 150_000);

  it('opens a store the user named even when it is empty, the default path named included', () => {
    const h = home();
    const db = path.join(h.dir, 'team.db');
    const r = h.run('--db', db);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(/Demo history/);
    expect(existsSync(db)).toBe(true);
    const named = h.run('--db', storeIn(h.dir));
    expect(named.stdout).not.toMatch(/Demo history/);
    expect(existsSync(storeIn(h.dir))).toBe(true);
  }, 150_000);
});
