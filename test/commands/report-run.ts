/** Test helper: runs the real CLI program in-process with stdout and stderr captured. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../src/program.js';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A temp dir used as HOME-like config/data place so no real user file is read or written. */
export function isolatedEnv(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cm-cli-'));
  process.env.XDG_CONFIG_HOME = path.join(dir, 'config');
  process.env.XDG_DATA_HOME = path.join(dir, 'data');
  for (const k of ['CREDITMETER_CONFIG', 'CREDITMETER_DB', 'CREDITMETER_TZ', 'CREDITMETER_PLAN', 'CLAUDE_CONFIG_DIR']) delete process.env[k];
  return dir;
}

/** `creditmeter ...args`, as the binary would run it; returns the exit code and what was printed. */
export async function runCli(args: string[]): Promise<RunResult> {
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
  process.exitCode = undefined;
  try {
    const code = await main(['node', 'creditmeter', ...args]);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    process.exitCode = undefined;
  }
}
