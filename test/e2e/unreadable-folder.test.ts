/**
 * A project folder that cannot be read is warned of on every run, and read again as soon as it can
 * be: while it is closed, its parent's kept listing still names it, so a run does not pass it by
 * because the parent has not changed. The built CLI, on a real folder closed with `chmod 000`, run
 * as a user the mode applies to (as root, the CLI runs as `nobody`: root reads any folder).
 */
import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, cliPath } from './build-cli.js';

const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;
const dir = mkdtempSync(join(tmpdir(), 'cm-unreadable-'));
afterAll(() => {
  chmodSync(join(dir, 'claude', 'projects', '-srv-app'), 0o755);
  rmSync(dir, { recursive: true, force: true });
});
beforeAll(() => buildCli(), 120_000);

function requestLine(n: number): string {
  return `${JSON.stringify({
    type: 'assistant',
    uuid: `u-unreadable-${n}`,
    timestamp: new Date().toISOString(),
    sessionId: 's-unreadable',
    cwd: '/srv/app',
    version: '2.1.120',
    entrypoint: 'sdk-cli',
    requestId: `req_unreadable_${n}`,
    message: {
      id: `msg_unreadable_${n}`,
      model: 'claude-sonnet-4-5',
      usage: { input_tokens: 10, output_tokens: 20, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
    },
  })}\n`;
}

/** Gives the folder's tree to the user the CLI runs as. */
function handOver(path: string): void {
  if (!asRoot) return;
  chownSync(path, NOBODY, NOBODY);
  for (const e of readdirSync(path, { withFileTypes: true }))
    if (e.isDirectory()) handOver(join(path, e.name));
    else chownSync(join(path, e.name), NOBODY, NOBODY);
}

function run(command: string): { stdout: string; stderr: string } {
  const args = [command, '--json', '--claude-dir', join(dir, 'claude'), '--db', join(dir, 'data', 's.db')];
  const r = spawnSync(process.execPath, [cliPath, ...args, '--config', join(dir, 'data', 'config.json')], {
    encoding: 'utf8',
    timeout: 60_000,
    ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
  });
  expect(r.status, r.stderr).toBe(0);
  return { stdout: r.stdout, stderr: r.stderr };
}

function status(): { requests: number; stderr: string } {
  const r = run('status');
  const report = JSON.parse(r.stdout) as { programmatic: { requests: number } };
  return { requests: report.programmatic.requests, stderr: r.stderr };
}

describe('a project folder closed for a while', () => {
  it('is warned of on every run while closed, and read as soon as it opens again', async () => {
    const folder = join(dir, 'claude', 'projects', '-srv-app');
    mkdirSync(folder, { recursive: true });
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'data', 'config.json'), '{}');
    const transcript = join(folder, 's.jsonl');
    writeFileSync(transcript, requestLine(1));
    chmodSync(dir, 0o755);
    handOver(dir);
    // The folders' listings are trusted once they have been quiet for two seconds (dir-cache.ts).
    await new Promise((r) => setTimeout(r, 2200));
    expect(status().requests).toBe(1);

    appendFileSync(transcript, requestLine(2));
    chmodSync(folder, 0o000);
    for (let run = 0; run < 3; run++) {
      const closed = status();
      expect(closed.requests).toBe(1);
      expect(closed.stderr).toMatch(/1 folder\(s\) could not be read \(e\.g\. .*-srv-app\)/);
    }
    // Its transcript was not seen, not seen gone: the store does not call it gone.
    const store = (JSON.parse(run('ingest').stdout) as { store: { files: number; missingFiles: number } }).store;
    expect(store).toMatchObject({ files: 1, missingFiles: 0 });

    chmodSync(folder, 0o755);
    const open = status();
    expect(open.requests).toBe(2);
    expect(open.stderr).not.toMatch(/could not be read/);
  }, 120_000);
});
