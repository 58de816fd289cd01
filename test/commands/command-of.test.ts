import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES, commandOf, DEFAULT_COMMAND } from '../../src/cli/command-of.js';
import { tableNames, unknownCommand } from '../../src/commands/index.js';

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
  });
});
