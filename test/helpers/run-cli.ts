/** Runs the real CLI program in-process with stdout/stderr captured and a private config/data home. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/program.js';
import { redirectStdout } from '../../src/cli/stdout.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Points XDG config/data homes at a new temp dir (no real user file is read or written); returns it. */
export function isolateHome(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cm-cli-'));
  process.env.XDG_CONFIG_HOME = join(dir, 'config');
  process.env.XDG_DATA_HOME = join(dir, 'data');
  for (const k of [
    'CREDITMETER_CONFIG',
    'CREDITMETER_DB',
    'CREDITMETER_TZ',
    'CREDITMETER_PLAN',
    'CLAUDE_CONFIG_DIR',
    'NO_COLOR',
  ])
    delete process.env[k];
  return dir;
}

/** `creditmeter ...args` as the binary runs it: exit code and what was printed. */
export async function runCli(args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  // What commands print with writeStdout (fd 1 directly) is captured the same way.
  redirectStdout((text) => {
    stdout += text;
  });
  process.exitCode = undefined;
  try {
    const code = await main(['node', 'creditmeter', ...args]);
    return { code, stdout, stderr };
  } finally {
    redirectStdout(null);
    process.stdout.write = out;
    process.stderr.write = err;
    process.exitCode = undefined;
  }
}
