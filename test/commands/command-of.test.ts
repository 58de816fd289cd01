import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES, commandOf, DEFAULT_COMMAND } from '../../src/cli/command-of.js';
import { tableNames, unknownCommand } from '../../src/commands/index.js';
import { asksForHelp, helpOfHelp, unknownCommandMessage } from '../../src/cli/command-of.js';
import { parserSentence } from '../../src/run-program.js';

const argv = (...args: string[]): string[] => ['node', 'creditmeter', ...args];

describe('the command an argv asks for', () => {
  it('names the commands of the table, in its order, with the dashboard first as the default', () => {
    expect(tableNames()).toEqual([...COMMAND_NAMES]);
    expect(COMMAND_NAMES[0]).toBe(DEFAULT_COMMAND);
  });

  it.each([
    [[], 'dashboard'],
    [['status', '--json'], 'status'],
    [['--db', 'status', 'report'], 'report'],
    [['--plan', 'max5x', 'ingest'], 'ingest'],
    [['help', 'export'], 'export'],
    [['help'], null],
    [['help', '--help'], null],
    [['--rebuild'], 'dashboard'],
    [['--help'], null],
    [['-V'], null],
    [['--', 'status'], 'dashboard'],
    [['bogus'], 'dashboard'],
  ])('%j asks for %s', (args, command) => {
    expect(commandOf(argv(...args))).toBe(command);
  });

  it('leaves a word that names no command to the program to reject', () => {
    expect(unknownCommand(argv('bogus'))).toBe('bogus');
    expect(unknownCommand(argv('--db', 'x.db', 'statu'))).toBe('statu');
    expect(unknownCommand(argv('status'))).toBeNull();
    expect(unknownCommand(argv('help', '--help'))).toBeNull();
    expect(unknownCommand(argv('help', 'help'))).toBeNull();
    expect(unknownCommand(argv('help', '--bogus'))).toBe('--bogus');
    expect(asksForHelp(argv('help', 'statusline'))).toBe(true);
    expect(asksForHelp(argv('--db', 'help', 'statusline'))).toBe(false);
    expect(asksForHelp(argv('statusline', '--', '--help'))).toBe(false);
    expect(asksForHelp(argv('status', '-h'))).toBe(true);
    // `help help` is the program's help; an option's value that reads `help` is no command word.
    expect(helpOfHelp(argv('--plan', 'max5x', 'help', 'help'))).toEqual(argv('--plan', 'max5x', '--help'));
    expect(helpOfHelp(argv('--db', 'help', 'help'))).toEqual(argv('--db', 'help', 'help'));
    expect(unknownCommand(argv('help', 'bogus'))).toBe('bogus');
    expect(unknownCommand(argv('--listen', '127.0.0.1:4318'))).toBeNull();
  });

  it('names the nearest commands of a mistyped word, and none of a word far from all', () => {
    expect(unknownCommandMessage('stauts')).toBe(
      "creditmeter: unknown command 'stauts'; did you mean status? (see creditmeter --help)\n",
    );
    expect(unknownCommandMessage('statu')).toContain('did you mean status or statusline?');
    expect(unknownCommandMessage('Repot')).toContain('did you mean report?');
    expect(unknownCommandMessage('dash')).toContain('did you mean dashboard?');
    expect(unknownCommandMessage('bogus')).toBe("creditmeter: unknown command 'bogus' (see creditmeter --help)\n");
    expect(unknownCommandMessage('x')).not.toContain('did you mean');
  });
});

describe("the parser's errors", () => {
  it('read as one sentence, in the words of the unknown command', () => {
    expect(
      parserSentence("error: option '--format <format>' argument 'pdf' is invalid. Allowed choices are json, csv.\n"),
    ).toBe("option '--format <format>' argument 'pdf' is invalid; allowed choices are json, csv");
    expect(parserSentence("error: unknown option '--jsn'\n(Did you mean --json?)\n")).toBe(
      "unknown option '--jsn'; did you mean --json?",
    );
    expect(parserSentence("error: missing required argument 'key'\n")).toBe("missing required argument 'key'");
  });
});
