import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { catchUp } from '../../src/ingest/pipeline.js';
import { openDatabase } from '../../src/store/database.js';
import { openTestApp, realLogs, repoRoot, tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** A second process that reads the database in a loop while this one ingests. */
const READER = `
const Database = require('better-sqlite3');
const db = new Database(process.argv[1], { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
const until = Date.now() + Number(process.argv[2]);
let reads = 0, last = 0;
while (Date.now() < until) { last = db.prepare('SELECT COUNT(*) AS n FROM requests').get().n; reads++; }
process.stdout.write(JSON.stringify({ reads, last }));
`;

describe('two processes on one database', () => {
  it('one ingests while another reads, neither fails', async () => {
    const dbFile = join(tmp.dir, 'shared.db');
    openDatabase(dbFile).close(); // create and migrate first, so the reader can open it
    const child = spawn(process.execPath, ['-e', READER, dbFile, '1500'], { cwd: repoRoot });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((res) => child.on('exit', res));
    const ctx = openTestApp([realLogs('spotter')], dbFile);
    const s = await catchUp(ctx);
    expect(s.requestsAdded).toBe(904);
    ctx.close();
    expect(await exited).toBe(0);
    expect(err).toBe('');
    const result = JSON.parse(out) as { reads: number; last: number };
    expect(result.reads).toBeGreaterThan(0);
    expect(result.last).toBe(904);
  });
});
