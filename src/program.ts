import type { Command } from 'commander';
import { EXIT } from './cli/exit.js';
import { helpOfHelp, unknownCommandMessage } from './cli/command-of.js';
import { runProgram } from './run-program.js';
import { errorText } from './cli/stdout.js';

export { EXIT } from './cli/exit.js';
export { buildProgram } from './run-program.js';

/** Runs the CLI and returns the process exit code; user errors print one sentence, never a stack. */
export async function main(argv: string[], register?: (program: Command) => void): Promise<number> {
  // Commands load lazily: only the one this argv runs is imported (see commands/index.ts).
  const commands = await import('./commands/index.js');
  const unknown = commands.unknownCommand(argv);
  if (unknown !== null) {
    process.stderr.write(errorText(unknownCommandMessage(unknown).trimEnd()));
    return EXIT.usage;
  }
  const asked = helpOfHelp(argv);
  return runProgram(asked, register ?? (await commands.registerFor(asked)));
}
