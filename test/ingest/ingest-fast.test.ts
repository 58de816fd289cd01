/**
 * `ingest`'s short way prints exactly what the full command prints when nothing is new, and steps
 * aside (the full command runs) whenever anything changed: a transcript, the store, the settings,
 * the flags, or the snapshot file itself.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { appendFileSync, cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ingestFast, plainIngestArgs } from '../../src/commands/ingest-fast.js';
import { decodeSnapshot } from '../../src/app/ingest-snapshot.js';
import { isolateHome, runCli } from '../helpers/run-cli.js';
import { fixtureCase, tempDir } from './helpers.js';
import { assistantLine } from './lines.js';

const tmp = tempDir('cm-ingest-fast-');
let root: string;
let db: string;
let config: string;
let flags: string[];

beforeAll(() => {
  isolateHome();
  root = join(tmp.dir, 'claude');
  cpSync(fixtureCase('pricing-features'), root, { recursive: true });
  db = join(tmp.dir, 'usage.db');
  config = join(tmp.dir, 'config.json');
  writeFileSync(config, '{}');
  flags = ['--claude-dir', root, '--db', db, '--config', config];
});
afterAll(() => tmp.cleanup());

/** The short way as the entry point calls it, with what it printed. */
async function fast(args: string[]): Promise<{ answered: boolean; stdout: string }> {
  let stdout = '';
  const answered = ingestFast(['node', 'creditmeter', ...args], (text) => {
    stdout += text;
  });
  return { answered, stdout };
}

/** A snapshot file with its header replaced (the numbers and paths after it left as they were). */
function encodeHeader(file: Buffer, header: unknown): Buffer {
  const oldEnd = Math.ceil((8 + file.readUInt32LE(4)) / 8) * 8;
  const text = Buffer.from(JSON.stringify(header), 'utf8');
  const at = Math.ceil((8 + text.length) / 8) * 8;
  const out = Buffer.alloc(at + file.length - oldEnd);
  file.copy(out, 0, 0, 4);
  out.writeUInt32LE(text.length, 4);
  text.copy(out, 8);
  file.copy(out, at, oldEnd);
  return out;
}

const noDuration = (text: string): string => text.replace(/ in \d+\.\d\d s\./, ' in _ s.');
const noDurationJson = (text: string): unknown => ({ ...(JSON.parse(text) as object), durationMs: 0 });

describe('ingest, nothing new, without the store', () => {
  it('prints what the full command prints, and only after a run that found nothing new', async () => {
    writeFileSync(`${db}-ingest.json`, '{"v":1}'); // an earlier version's snapshot
    expect((await runCli(['ingest', ...flags])).stdout).toMatch(/Read 1 of 1 file/);
    // That run wrote the store: no snapshot stands for it yet.
    expect((await fast(['ingest', ...flags])).answered).toBe(false);
    const full = await runCli(['ingest', ...flags]);
    expect(full.stdout).toMatch(/Read 0 of 1 file/);
    expect(existsSync(`${db}-ingest.snapshot`)).toBe(true);
    expect(existsSync(`${db}-ingest.json`)).toBe(false);
    const short = await fast(['ingest', ...flags]);
    expect(short.answered).toBe(true);
    expect(noDuration(short.stdout)).toBe(noDuration(full.stdout));

    const fullJson = await runCli(['ingest', '--json', ...flags]);
    const shortJson = await fast([...flags, 'ingest', '--json']);
    expect(shortJson.answered).toBe(true);
    expect(noDurationJson(shortJson.stdout)).toEqual(noDurationJson(fullJson.stdout));
  });

  it('steps aside when a transcript grew, and the full command reads it', async () => {
    const file = join(root, 'projects', '-home-u-proj', '00000012-1111-4222-8333-000000000012.jsonl');
    appendFileSync(
      file,
      assistantLine({ session: '00000012-1111-4222-8333-000000000012', id: 'msg_fast_1', output: 5 }),
    );
    expect((await fast(['ingest', ...flags])).answered).toBe(false);
    expect((await runCli(['ingest', ...flags])).stdout).toMatch(/requests added\s+1\b/);
    await runCli(['ingest', ...flags]);
    expect((await fast(['ingest', ...flags])).answered).toBe(true);
  });

  it('steps aside when another process wrote to the store', async () => {
    const other = new Database(db);
    other.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('another-writer', 'x')").run();
    other.close();
    expect((await fast(['ingest', ...flags])).answered).toBe(false);
    await runCli(['ingest', ...flags]);
    expect((await fast(['ingest', ...flags])).answered).toBe(true);
  });

  it('steps aside when the settings differ from the snapshot', async () => {
    writeFileSync(config, JSON.stringify({ classes: { 'sdk-ts': 'interactive' } }));
    expect((await fast(['ingest', ...flags])).answered).toBe(false);
    writeFileSync(config, '{}');
    expect((await fast(['ingest', ...flags])).answered).toBe(true);
    expect((await fast(['ingest', ...flags, '--db', join(tmp.dir, 'other.db')])).answered).toBe(false);
  });

  it('still answers after a status with another zone or plan (they do not change what a catch-up reads)', async () => {
    expect((await fast(['ingest', ...flags])).answered).toBe(true);
    const status = await runCli(['status', '--json', '--tz', 'Asia/Kathmandu', '--plan', 'max20x', ...flags]);
    expect(status.code).toBe(0);
    expect((await fast(['ingest', ...flags])).answered).toBe(true);
    expect((await fast(['ingest', '--tz', 'Europe/Dublin', '--plan', 'pro', ...flags])).answered).toBe(true);
  });

  it('steps aside for a damaged snapshot file', async () => {
    const good = readFileSync(`${db}-ingest.snapshot`);
    const hugeHeader = Buffer.from(good);
    hugeHeader.writeUInt32LE(0xffffff, 4);
    const header = JSON.parse(good.toString('utf8', 8, 8 + good.readUInt32LE(4))) as { watch: { count: number } };
    const tooMany = encodeHeader(good, { ...header, watch: { ...header.watch, count: header.watch.count + 1000 } });
    const bads = [
      '',
      '{',
      '{"v":1}',
      JSON.stringify({ v: 1, key: 'x', stamp: 1 }),
      'CMS2',
      'CMS2\u0000\u0000\u0000\u0000',
    ];
    for (const bad of [...bads, good.subarray(0, good.length >> 1), hugeHeader, tooMany]) {
      writeFileSync(`${db}-ingest.snapshot`, bad);
      expect((await fast(['ingest', ...flags])).answered).toBe(false);
    }
    await runCli(['ingest', ...flags]);
    expect((await fast(['ingest', ...flags])).answered).toBe(true);
  });

  it('lists folders changed just before the catch-up again only until they have been quiet long enough', async () => {
    const watchOf = (): { racy: number[] } => decodeSnapshot(readFileSync(`${db}-ingest.snapshot`))!.watch!;
    writeFileSync(join(root, 'projects', 'fresh.jsonl'), '');
    await runCli(['ingest', ...flags]);
    await runCli(['ingest', ...flags]);
    expect(watchOf().racy.length).toBeGreaterThan(0);
    expect((await fast(['ingest', ...flags])).answered).toBe(true);
    expect(watchOf().racy.length).toBeGreaterThan(0);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 60_000);
      expect((await fast(['ingest', ...flags])).answered).toBe(true);
    } finally {
      vi.useRealTimers();
    }
    expect(watchOf().racy).toEqual([]);
    expect((await fast(['ingest', ...flags])).answered).toBe(true);
    writeFileSync(join(root, 'projects', 'fresher.jsonl'), '');
    expect((await fast(['ingest', ...flags])).answered).toBe(false);
  });

  it.each([
    [['--json', 'ingest']],
    [['ingest', '--rebuild']],
    [['ingest', 'more']],
    [['ingest', '--help']],
    [['ingest', '--plan', 'bogus']],
    [['ingest', '--json=yes']],
    [['ingest', '--', '--json']],
    [['ingest', '--unknown']],
  ])('leaves %j to the full command', async (args) => {
    expect(plainIngestArgs([...args, ...flags])).toBeNull();
    expect((await fast([...args, ...flags])).answered).toBe(false);
  });

  it('takes the global flags anywhere around the command word, as the program does', () => {
    expect(plainIngestArgs(['--db', 'x', 'ingest', '--tz', 'UTC', '--json'])).toEqual({
      args: ['--db', 'x', '--tz', 'UTC', '--json'],
      json: true,
    });
    expect(plainIngestArgs(['--db=x', 'ingest'])).toEqual({ args: ['--db=x'], json: false });
  });
});
