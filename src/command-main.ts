// `ingest` (when it has something to read), `report` and `status` as one file (built to
// dist/chunks/command-main.cjs): CI jobs and scripts run them often, and one module loads faster than
// the twenty-odd shared chunks their code would otherwise come in. The same parser and commands as
// the full program, without the command table; help still comes from the full program (cli.ts sends
// `--help` there). Which commands take this way: ONE_FILE_COMMANDS in cli/command-of.ts.
import type { Command } from 'commander';
import { registerIngest } from './commands/ingest.js';
import { registerReport } from './commands/report.js';
import { registerStatus } from './commands/status.js';
import { runProgram } from './run-program.js';

export const ONE_FILE_REGISTER: Readonly<Record<string, (program: Command) => void>> = {
  ingest: registerIngest,
  report: registerReport,
  status: registerStatus,
};

/** Runs `name` (one of ONE_FILE_REGISTER) on `argv`; the exit code. */
export function runCommand(name: string, argv: string[]): Promise<number> {
  const register = ONE_FILE_REGISTER[name];
  if (register === undefined) throw new Error(`${name} is not built into the one-file entry`);
  return runProgram(argv, register);
}
