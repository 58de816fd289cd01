/**
 * The command-line parser and its error reporting, apart from the command table (program.ts), so
 * the one-file entry of the most run commands (command-main.ts) bundles this and those commands alone.
 */
import { Command, CommanderError, Option } from 'commander';
import { UsageError } from './app/config.js';
import { StoreError, describeSqliteError } from './store/database.js';
import { appVersion } from './app/version.js';
import { EXIT } from './cli/exit.js';
import { errorText, writeStdout } from './cli/stdout.js';
import { GLOBAL_FLAGS, optionAsValue, type ValueOption } from './cli/global-flags.js';

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Builds the command-line program; `register` adds the commands (all of src/commands by default, see main). */
export function buildProgram(register: (program: Command) => void): Command {
  const program = new Command('creditmeter')
    .description(
      'Live gauge of the Claude subscription credit spent by programmatic use (Agent SDK, claude -p), priced at API rates.',
    )
    .version(appVersion())
    .option('--rebuild', 'start the database anew and re-read every log')
    // Parser errors are one sentence, like every other user error.
    .configureOutput({
      // Help and the version as every command's output: quiet when the reader has gone (`--help | head -1`).
      writeOut: (text) => writeStdout(text),
      outputError: (text, write) => write(errorText(`creditmeter: ${parserSentence(text)} (see creditmeter --help)`)),
    });
  for (const spec of Object.values(GLOBAL_FLAGS)) {
    const flags = `--${spec.name}${spec.value ? ` ${spec.value}` : ''}`;
    const option = new Option(flags, spec.description);
    if (spec.choices) option.choices(spec.choices);
    if (spec.repeatable) option.argParser(collect);
    program.addOption(option);
  }
  program.exitOverride();
  register(program);
  return program;
}

/**
 * The parser's error as one sentence, in the words of the unknown command's: `option '--format
 * <format>' argument 'pdf' is invalid; allowed choices are json, csv` and `unknown option '--jsn';
 * did you mean --json?` (the parser writes two sentences, the second on a line of its own).
 */
export function parserSentence(text: string): string {
  return text
    .replace(/^error: /, '')
    .trimEnd()
    .replace(/\. Allowed choices are (.*?)\.?$/s, '; allowed choices are $1')
    .replace(/\s*\(Did you mean (.*?)\?\)$/s, '; did you mean $1?');
}

/** optionAsValue (cli/global-flags.ts) over the program's options and the registered command's. */
function refuseOptionAsValue(program: Command, argv: readonly string[]): void {
  const options = [...program.options, ...program.commands.flatMap((c) => c.options)];
  const withValue = new Map<string, ValueOption>();
  for (const o of options) {
    if ((o.required || o.optional) && o.long !== undefined)
      withValue.set(o.long, { long: o.long, flags: o.flags, choices: o.argChoices !== undefined });
  }
  const known = new Set(['--help', '--version', ...options.flatMap((o) => (o.long === undefined ? [] : [o.long]))]);
  const message = optionAsValue(argv.slice(2), withValue, known);
  if (message !== null) throw new UsageError(message);
}

/**
 * Parses `argv` with the commands `register` adds and runs the one it names; the exit code. The
 * one-file entry of the most run commands (command-main.ts) calls it without the command table.
 */
export async function runProgram(argv: string[], register: (program: Command) => void): Promise<number> {
  const program = buildProgram(register);
  try {
    // Before the parser, which would take the option as the value, or count a word after it as an argument.
    refuseOptionAsValue(program, argv);
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help')
        return EXIT.ok;
      return EXIT.usage;
    }
    if (err instanceof UsageError) {
      process.stderr.write(errorText(`creditmeter: ${err.message}`));
      return EXIT.usage;
    }
    if (err instanceof StoreError) {
      process.stderr.write(errorText(`creditmeter: ${err.message}`));
      return EXIT.failure;
    }
    const sqlite = describeSqliteError(err);
    if (sqlite !== null) {
      process.stderr.write(errorText(`creditmeter: ${sqlite}`));
      if (process.env.CREDITMETER_DEBUG) process.stderr.write(`${(err as Error).stack ?? ''}\n`);
      return EXIT.failure;
    }
    const e = err as NodeJS.ErrnoException;
    process.stderr.write(errorText(`creditmeter: ${e?.message ?? String(err)}`));
    if (process.env.CREDITMETER_DEBUG) process.stderr.write(`${e?.stack ?? ''}\n`);
    return EXIT.failure;
  }
}
