import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { newSqlite } from '../../src/store/sqlite.js';
import { join } from 'node:path';
import { isolateHome, runCli } from '../helpers/run-cli.js';
import { fixtureCase, realLogs, tempDir } from './helpers.js';
import { assistantLine } from './lines.js';

const tmp = tempDir();
beforeAll(() => {
  isolateHome();
});
afterAll(() => tmp.cleanup());

describe('creditmeter ingest', () => {
  it('says in every command that a line over 64 MiB was skipped (a request on it is not counted)', async () => {
    const dir = join(tmp.dir, 'long', 'projects', 'p');
    mkdirSync(dir, { recursive: true });
    const S = '44444444-4444-4444-8444-444444444444';
    const huge = `{"type":"user","sessionId":"${S}","pad":"${'x'.repeat(65 * 1024 * 1024)}"}\n`;
    writeFileSync(join(dir, `${S}.jsonl`), huge + assistantLine({ session: S, id: 'L1', output: 5 }));
    const r = await runCli([
      'report',
      '--json',
      '--claude-dir',
      join(tmp.dir, 'long'),
      '--db',
      join(tmp.dir, 'long.db'),
    ]);
    expect(r.code, r.stderr).toBe(0);
    // With the file it is in: the user can look at it.
    expect(r.stderr).toContain(
      `1 line over 64 MiB was skipped (in ${join(dir, `${S}.jsonl`)}); a request on such a line, if it held one, is not counted.`,
    );
    expect((JSON.parse(r.stdout) as { totals: { requests: number } }).totals.requests).toBe(1);
  });

  it('prints files, lines, requests, duplicates, skipped lines by reason and unpriced models', async () => {
    const db = join(tmp.dir, 'cmd.db');
    const r = await runCli([
      'ingest',
      '--claude-dir',
      fixtureCase('malformed'),
      '--claude-dir',
      fixtureCase('pricing-features'),
      '--db',
      db,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Read 2 of 2 files/);
    expect(r.stdout).toMatch(/requests added\s+9/);
    expect(r.stdout).toMatch(/skipped lines\s+12 .*bad-usage 4.*malformed-json 2/);
    expect(r.stdout).toMatch(/Unpriced models: claude-nimbus-6-preview \(1\)/);
    const again = await runCli([
      'ingest',
      '--claude-dir',
      fixtureCase('malformed'),
      '--claude-dir',
      fixtureCase('pricing-features'),
      '--db',
      db,
    ]);
    expect(again.stdout).toMatch(/Read 0 of 2 files/);
    expect(again.stdout).toMatch(/Store: 9 requests from 2 files/);
  });

  it('counts history.jsonl among the files read', async () => {
    const root = join(tmp.dir, 'hist');
    const S = '66666666-6666-4666-8666-666666666661';
    mkdirSync(join(root, 'projects', 'p'), { recursive: true });
    writeFileSync(join(root, 'projects', 'p', `${S}.jsonl`), assistantLine({ session: S, id: 'H1', output: 3 }));
    writeFileSync(join(root, 'history.jsonl'), `${JSON.stringify({ display: 'x', sessionId: S, timestamp: 1 })}\n`);
    const r = await runCli(['ingest', '--claude-dir', root, '--db', join(tmp.dir, 'hist.db'), '--config', '/dev/null']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Read 2 of 2 files/m);
  });

  it('says truly how lines without a message id count: two copies of one line are one request', async () => {
    const dir = join(tmp.dir, 'noid', 'projects', 'p');
    mkdirSync(dir, { recursive: true });
    const line = assistantLine({ session: 'sess-noid', id: null, output: 7, uuid: 'same-uuid' });
    writeFileSync(join(dir, 'a.jsonl'), line + line);
    const r = await runCli(['ingest', '--claude-dir', join(tmp.dir, 'noid'), '--db', join(tmp.dir, 'noid.db')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/requests added\s+1\n/);
    expect(r.stdout).toMatch(/lines without message id\s+2\s+\(counted once per line uuid\)/);
    expect(r.stdout).not.toMatch(/its own request/);
  });

  it('--json prints the summary and the store coverage', async () => {
    const r = await runCli(['ingest', '--json', '--claude-dir', realLogs('margin'), '--db', join(tmp.dir, 'json.db')]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      requestsAdded: number;
      store: { requests: number; duplicatesReplaced: number };
    };
    expect(out.requestsAdded).toBe(2);
    expect(out.store.requests).toBe(2);
  });

  it('a corrupt database exits 1 with one line naming --rebuild, which starts it anew', async () => {
    const db = join(tmp.dir, 'corrupt.db');
    // A store whose pages after the SQLite header are garbage.
    const raw = newSqlite(db, { readonly: false, fileMustExist: false });
    raw.exec('CREATE TABLE t (x)');
    raw.close();
    const bytes = readFileSync(db);
    writeFileSync(db, Buffer.concat([bytes.subarray(0, 16), Buffer.alloc(bytes.length - 16, 0x5a)]));
    const r = await runCli(['ingest', '--claude-dir', realLogs('margin'), '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--rebuild/);
    const rebuilt = await runCli(['ingest', '--rebuild', '--claude-dir', realLogs('margin'), '--db', db]);
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.stdout).toMatch(/requests added\s+2/);
  });

  it('--rebuild keeps the history of transcripts no longer on disk, once per request', async () => {
    const root = join(tmp.dir, 'gone');
    const dir = join(root, 'projects', 'p');
    mkdirSync(dir, { recursive: true });
    const A = '55555555-5555-4555-8555-555555555551';
    const B = '55555555-5555-4555-8555-555555555552';
    // G2 is in both files: once in all, before and after.
    writeFileSync(
      join(dir, `${A}.jsonl`),
      assistantLine({ session: A, id: 'G1', output: 7 }) + assistantLine({ session: A, id: 'G2', output: 9 }),
    );
    writeFileSync(
      join(dir, `${B}.jsonl`),
      assistantLine({ session: B, id: 'G2', output: 9 }) + assistantLine({ session: B, id: 'G3', output: 11 }),
    );
    const db = join(tmp.dir, 'gone.db');
    const args = ['--claude-dir', root, '--db', db, '--config', '/dev/null'];
    const totals = async (): Promise<{ requests: number; outputTokens: number; cost: number }> => {
      const r = await runCli(['report', '--by', 'session', '--class', 'all', '--json', ...args]);
      expect(r.code, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as { totals: { requests: number; outputTokens: number; cost: number } }).totals;
    };
    expect((await runCli(['ingest', ...args])).code).toBe(0);
    const before = await totals();
    expect(before).toMatchObject({ requests: 3, outputTokens: 27 });
    rmSync(join(dir, `${A}.jsonl`));
    const rebuilt = await runCli(['ingest', '--rebuild', ...args]);
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    expect(rebuilt.stderr).toContain('kept 2 requests of 1 transcript this rebuild does not read');
    expect(await totals()).toEqual(before);
    // And again: what was kept is kept by the next rebuild too.
    expect((await runCli(['ingest', '--rebuild', ...args])).stderr).toContain('kept 2 requests of 1 transcript');
    expect(await totals()).toEqual(before);
  });

  it('--rebuild leaves behind a kept request that reads as damaged (a damaged page), and says so', async () => {
    const root = join(tmp.dir, 'gone-damaged');
    const dir = join(root, 'projects', 'p');
    mkdirSync(dir, { recursive: true });
    const A = '55555555-5555-4555-8555-555555555555';
    writeFileSync(
      join(dir, `${A}.jsonl`),
      assistantLine({ session: A, id: 'D1', output: 7 }) + assistantLine({ session: A, id: 'D2', output: 9 }),
    );
    const db = join(tmp.dir, 'gone-damaged.db');
    const args = ['--claude-dir', root, '--db', db, '--config', '/dev/null'];
    expect((await runCli(['ingest', ...args])).code).toBe(0);
    rmSync(join(dir, `${A}.jsonl`));
    // A byte of one row's model changed on the disk, as a damaged page would.
    const raw = newSqlite(db, { readonly: false, fileMustExist: true });
    raw.prepare("UPDATE requests SET model = 'cl' || char(20) || 'ude-sonnet-4-5' WHERE message_id = 'D2'").run();
    raw.close();
    const rebuilt = await runCli(['ingest', '--rebuild', ...args]);
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    expect(rebuilt.stderr).toContain(
      'kept 1 request of 1 transcript this rebuild does not read (no longer on disk, or under roots this run does not name); 1 request that read as damaged in the old database was left behind.',
    );
    const r = await runCli(['report', '--by', 'model', '--class', 'all', '--json', ...args]);
    expect((JSON.parse(r.stdout) as { rows: { key: string }[] }).rows.map((x) => x.key)).toEqual([
      'claude-sonnet-4-5-20250929',
    ]);
  });

  it('--rebuild keeps what it does not read under other roots, classified by the mapping in force', async () => {
    const here = join(tmp.dir, 'roots-here');
    const there = join(tmp.dir, 'roots-there');
    const A = '55555555-5555-4555-8555-555555555553';
    const B = '55555555-5555-4555-8555-555555555554';
    mkdirSync(join(here, 'projects', 'p'), { recursive: true });
    mkdirSync(join(there, 'projects', 'p'), { recursive: true });
    writeFileSync(join(here, 'projects', 'p', `${A}.jsonl`), assistantLine({ session: A, id: 'R1', output: 7 }));
    writeFileSync(
      join(there, 'projects', 'p', `${B}.jsonl`),
      assistantLine({ session: B, id: 'R2', output: 9, entrypoint: 'my-bot' }),
    );
    const db = join(tmp.dir, 'roots.db');
    const config = join(tmp.dir, 'roots-config.json');
    writeFileSync(config, '{}');
    const both = ['--claude-dir', here, '--claude-dir', there, '--db', db, '--config', config];
    expect((await runCli(['ingest', ...both])).code).toBe(0);
    // A rebuild of one root keeps the other's requests (still on disk, but not read by it)...
    writeFileSync(config, JSON.stringify({ classes: { 'my-bot': 'programmatic' } }));
    const one = ['--claude-dir', here, '--db', db, '--config', config];
    const rebuilt = await runCli(['ingest', '--rebuild', ...one]);
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    expect(rebuilt.stderr).toContain('kept 1 request of 1 transcript this rebuild does not read');
    // ...and classifies them by the mapping now in force, as it does the rest.
    const r = await runCli(['report', '--by', 'class', '--class', 'all', '--json', ...one]);
    const rows = (JSON.parse(r.stdout) as { rows: { key: string; requests: number }[] }).rows;
    expect(rows.find((x) => x.key === 'programmatic')?.requests).toBe(1);
    expect(rows.reduce((n, x) => n + x.requests, 0)).toBe(2);
  });

  it('refuses a file that is no SQLite database given as --db, and --rebuild does not delete it', async () => {
    const db = join(tmp.dir, 'notes.txt');
    writeFileSync(db, 'groceries: milk, eggs\n'.repeat(50));
    for (const args of [['status'], ['ingest', '--rebuild']]) {
      const r = await runCli([...args, '--claude-dir', realLogs('margin'), '--db', db]);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(/notes\.txt is not a creditmeter store \(not an SQLite database at all\)/);
      expect(r.stderr).not.toMatch(/run with --rebuild/);
      expect(readFileSync(db, 'utf8')).toBe('groceries: milk, eggs\n'.repeat(50));
    }
  });

  it("refuses another program's database given as --db, and --rebuild does not delete it", async () => {
    const db = join(tmp.dir, 'photos.db');
    const raw = newSqlite(db, { readonly: false, fileMustExist: false });
    raw.exec('CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)');
    raw.prepare('INSERT INTO photos (name) VALUES (?)').run('beach.jpg');
    raw.close();
    const before = readFileSync(db);
    for (const args of [['status'], ['ingest', '--rebuild']]) {
      const r = await runCli([...args, '--claude-dir', realLogs('margin'), '--db', db]);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(
        /photos\.db is a database of another program \(tables photos\), not a creditmeter store/,
      );
      expect(readFileSync(db).equals(before)).toBe(true);
    }
  });

  it('warns, without failing, about a root with no projects folder', async () => {
    const r = await runCli(['ingest', '--claude-dir', tmp.dir, '--db', join(tmp.dir, 'empty.db')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/has no projects folder/);
    // The projects folder itself, given as the root: the warning names the folder to give.
    const projects = join(tmp.dir, 'cfg', 'projects');
    mkdirSync(join(projects, '-work-a'), { recursive: true });
    const inner = await runCli(['ingest', '--claude-dir', projects, '--db', join(tmp.dir, 'inner.db')]);
    expect(inner.code).toBe(0);
    expect(inner.stdout.replace(/\s+/g, ' ')).toContain(
      `It is one itself: pass the folder that holds it, --claude-dir ${join(tmp.dir, 'cfg')}.`,
    );
  });
});
