/**
 * The short paths' stdout writer: every byte reaches a pipe, even a full one, and a reader that
 * goes away, or a closed stdout, ends the writing quietly.
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, repo } from './build-cli.js';

beforeAll(() => buildCli(), 120_000);

const writer = pathToFileURL(join(repo, 'dist', 'lib', 'cli', 'stdout.js')).href;
/** A program that writes `bytes` bytes of text (with some non-ASCII) through the writer, then "done" on stderr. */
const program = (bytes: number): string[] => [
  '--input-type=module',
  '-e',
  `import { writeStdout } from ${JSON.stringify(writer)};
   const line = 'é'.repeat(50) + 'x'.repeat(49) + '\\n';
   writeStdout(line.repeat(Math.ceil(${bytes} / 150)));
   process.stderr.write('done');`,
];

describe('stdout writer', () => {
  it('writes every byte to a pipe, past its buffer', async () => {
    const child = spawn(process.execPath, program(3_000_000), { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += String(c)));
    // A slow reader: the pipe fills while the writer writes.
    await new Promise((r) => setTimeout(r, 300));
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    const code = await new Promise<number | null>((r) => child.on('close', r));
    const text = Buffer.concat(chunks).toString('utf8');
    expect(code).toBe(0);
    expect(err).toBe('done');
    expect(text.length).toBe(Math.ceil(3_000_000 / 150) * 100);
    expect(text.split('\n').every((l) => l === '' || l === 'é'.repeat(50) + 'x'.repeat(49))).toBe(true);
  });

  it('stops quietly when the reader has gone or stdout is closed', async () => {
    const child = spawn(process.execPath, program(3_000_000), { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += String(c)));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect({ code, err }).toEqual({ code: 0, err: 'done' });

    const closed = spawnSync('sh', ['-c', `"${process.execPath}" "$@" >&-`, 'sh', ...program(1000)], {
      encoding: 'utf8',
    });
    expect({ code: closed.status, err: closed.stderr }).toEqual({ code: 0, err: 'done' });
  });
});
