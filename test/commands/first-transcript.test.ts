/**
 * While the dashboard shows the demo in place of the user's history, it notices the user's first
 * transcript (Claude Code run for the first time meanwhile), in a folder that may not exist yet.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { watchForFirstTranscript } from '../../src/app/first-run.js';
import { transcriptsAppearedNotice } from '../../src/ui/messages.js';
import { fitSentence } from '../../src/ui/bars.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const until = async (test: () => boolean, ms: number): Promise<boolean> => {
  const end = Date.now() + ms;
  while (!test() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return test();
};

describe('the first transcript, while the demo is shown', () => {
  it('is found once, in whichever root it appears, and nothing before it counts', async () => {
    const home = mkdtempSync(join(tmpdir(), 'cm-first-'));
    dirs.push(home);
    const claude = join(home, '.claude');
    const xdg = join(home, '.config', 'claude');
    const found: string[] = [];
    const stop = watchForFirstTranscript([claude, xdg], (root) => found.push(root), 25);
    try {
      // Folders and other files are not transcripts.
      mkdirSync(join(xdg, 'projects', '-home-u-app'), { recursive: true });
      writeFileSync(join(xdg, 'projects', '-home-u-app', 'notes.txt'), 'x');
      mkdirSync(join(claude, 'projects'), { recursive: true });
      await new Promise((r) => setTimeout(r, 150));
      expect(found).toEqual([]);
      writeFileSync(join(xdg, 'projects', '-home-u-app', 'session.jsonl'), '{}\n');
      expect(await until(() => found.length > 0, 2000)).toBe(true);
      // Once: a second transcript, anywhere, calls nothing again.
      writeFileSync(join(claude, 'projects', 'other.jsonl'), '{}\n');
      await new Promise((r) => setTimeout(r, 150));
      expect(found).toEqual([xdg]);
    } finally {
      stop();
    }
  });

  it('stops looking when asked', async () => {
    const home = mkdtempSync(join(tmpdir(), 'cm-first-'));
    dirs.push(home);
    const found: string[] = [];
    const stop = watchForFirstTranscript([join(home, '.claude')], (root) => found.push(root), 25);
    stop();
    mkdirSync(join(home, '.claude', 'projects', 'p'), { recursive: true });
    writeFileSync(join(home, '.claude', 'projects', 'p', 's.jsonl'), '{}\n');
    await new Promise((r) => setTimeout(r, 150));
    expect(found).toEqual([]);
  });

  it('names the folder shortly, home as ~', () => {
    const notice = transcriptsAppearedNotice('/home/ana/.claude', '/home/ana');
    expect(notice).toBe('Quit and start again to see yours: your transcripts appeared in ~/.claude; this is the demo.');
    // At 80 columns where they are stays; at 40, what to do.
    expect(fitSentence(notice, 80)).toBe('Quit and start again to see yours: your transcripts appeared in ~/.claude');
    expect(fitSentence(notice, 40)).toBe('Quit and start again to see yours');
    expect(transcriptsAppearedNotice('/srv/claude', '/home/ana')).toContain('appeared in /srv/claude;');
    expect(transcriptsAppearedNotice('/home/anabel/.claude', '/home/ana')).toContain('in /home/anabel/.claude;');
  });
});
