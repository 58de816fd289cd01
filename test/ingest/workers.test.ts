import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../e2e/build-cli.js';
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { catchUp } from '../../src/ingest/pipeline.js';
import { statFile } from '../../src/ingest/plan.js';
import type { ReadJob } from '../../src/ingest/read-jobs.js';
import { openDatabase } from '../../src/store/database.js';
import { coverage } from '../../src/store/coverage.js';
import { openTestApp, repoRoot, tempDir, totals } from './helpers.js';
import { assistantLine, userLine } from './lines.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** A tree over the worker threshold: one 40 MB session (split into ranges) and 300 small ones. */
function writeTree(root: string): void {
  const dir = join(root, 'projects', 'big');
  mkdirSync(dir, { recursive: true });
  const pad = `{"type":"user","message":{"role":"user","content":"${'z'.repeat(3000)}"}}\n`;
  const big = openSync(join(dir, '77777777-7777-4777-8777-777777777777.jsonl'), 'w');
  writeSync(big, '{"type":"file-history-snapshot","messageId":"m","snapshot":{}}\n');
  for (let i = 0; i < 12_000; i++) {
    const session = '77777777-7777-4777-8777-777777777777';
    writeSync(
      big,
      pad +
        assistantLine({ session, id: `G${i}`, output: 2, minute: i % 60 }) +
        assistantLine({ session, id: `G${i}`, output: 100 + (i % 50), minute: i % 60 }),
    );
  }
  closeSync(big);
  for (let f = 0; f < 300; f++) {
    const session = `88888888-8888-4888-8888-${String(f).padStart(12, '0')}`;
    let text = f % 3 === 0 ? '{"type":"queue-operation","operation":"enqueue"}\n' : userLine(session);
    for (let i = 0; i < 60; i++)
      text += pad + assistantLine({ session, id: `F${f}-${i}`, output: 5 + i, entrypoint: f % 2 ? 'cli' : undefined });
    writeFileSync(join(dir, `${session}.jsonl`), text);
  }
}

function treeBytes(root: string): number {
  const dir = join(root, 'projects', 'big');
  return readdirSync(dir).reduce((n, name) => n + statSync(join(dir, name)).size, 0);
}

beforeAll(() => {
  // The worker thread runs compiled code: build dist/ and the bundled binary as shipped.
  buildCli();
  writeTree(join(tmp.dir, 'root'));
}, 120_000);

describe('cold read on worker threads', () => {
  it('stores exactly what a single-threaded read stores', async () => {
    // The binary as shipped: the bundle starts the worker that lies beside its chunks.
    expect(existsSync(join(repoRoot, 'dist', 'chunks', 'scan-worker.cjs'))).toBe(true);
    const dbWorkers = join(tmp.dir, 'workers.db');
    writeFileSync(join(tmp.dir, 'config.json'), '{}');
    // Which files the binary starts as worker threads, written down by a preloaded module.
    const started = join(tmp.dir, 'workers-started.txt');
    const preload = join(tmp.dir, 'note-workers.cjs');
    writeFileSync(
      preload,
      [
        "const wt = require('node:worker_threads');",
        "const fs = require('node:fs');",
        'const Real = wt.Worker;',
        `wt.Worker = class extends Real { constructor(file, opts) { fs.appendFileSync(${JSON.stringify(started)}, String(file) + '\\n'); super(file, opts); } };`,
      ].join('\n'),
    );
    const run = spawnSync(
      process.execPath,
      [
        '--require',
        preload,
        join(repoRoot, 'dist', 'cli.js'),
        'ingest',
        '--json',
        '--claude-dir',
        join(tmp.dir, 'root'),
        '--db',
        dbWorkers,
        '--config',
        join(tmp.dir, 'config.json'),
      ],
      { encoding: 'utf8' },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const summary = JSON.parse(run.stdout) as { requestsAdded: number; lines: number; bytesRead: number };
    // One worker thread (this thread scans beside it), on the bundle's single CommonJS worker file.
    const files = readFileSync(started, 'utf8').trim().split('\n');
    expect(files).toHaveLength(1);
    for (const f of files) expect(f).toMatch(/dist\/chunks\/scan-worker\.cjs$/);

    // From source there is no compiled worker next to the pool: the same read runs on this thread.
    const single = openTestApp([join(tmp.dir, 'root')], join(tmp.dir, 'single.db'));
    const s = await catchUp(single);
    expect(summary.requestsAdded).toBe(s.requestsAdded);
    expect(summary.requestsAdded).toBe(12_000 + 300 * 60);
    expect(summary.lines).toBe(s.lines);
    // Each byte once, though the big file is read as two ranges (one reading past its end to finish a line).
    expect(summary.bytesRead).toBe(treeBytes(join(tmp.dir, 'root')));
    expect(s.bytesRead).toBe(summary.bytesRead);
    const workers = openDatabase(dbWorkers);
    expect(totals(workers)).toEqual(totals(single.db));
    for (const cls of ['programmatic', 'interactive', 'unknown'])
      expect(totals(workers, cls)).toEqual(totals(single.db, cls));
    const cw = coverage(workers);
    const cs = coverage(single.db);
    expect({ ...cw, oldestFileMtimeMs: 0 }).toEqual({ ...cs, oldestFileMtimeMs: 0 });
    expect(cw.duplicatesReplaced).toBe(12_000);
    expect(
      workers
        .prepare("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'requests'")
        .pluck()
        .get(),
    ).toBe(
      single.db
        .prepare("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'requests'")
        .pluck()
        .get(),
    );
    workers.close();
    single.close();
  });

  it('a database write that throws while the workers read rejects the read with that error', async () => {
    // The compiled modules, so the pool finds its compiled worker beside it.
    const dist = (name: string): string => pathToFileURL(join(repoRoot, 'dist', 'lib', 'ingest', name)).href;
    const { readTasks } = (await import(dist('read-jobs.js'))) as typeof import('../../src/ingest/read-jobs.js');
    const { ScanPool } = (await import(dist('worker-pool.js'))) as typeof import('../../src/ingest/worker-pool.js');
    const dir = join(tmp.dir, 'root', 'projects', 'big');
    const jobs: ReadJob[] = readdirSync(dir).map((name, id) => {
      const path = join(dir, name);
      const row = {
        id,
        path,
        root: join(tmp.dir, 'root'),
        kind: 'transcript' as const,
        dev: null,
        ino: null,
        size: 0,
        mtimeMs: 0,
        offset: 0,
        headHash: null,
        tailHash: null,
        sessionId: null,
        missing: false,
      };
      return { row, stat: statFile(path)!, start: 0, reset: false, sessionFromPath: null };
    });
    const pool = ScanPool.start();
    expect(pool).not.toBeNull();
    const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    let writes = 0;
    const hooks = {
      write: (): void => {
        writes++;
        throw busy;
      },
      onBytes: (): void => {},
      onError: (): void => {},
      onProgress: undefined,
    };
    await expect(readTasks(jobs, hooks, pool)).rejects.toBe(busy);
    expect(writes).toBeGreaterThan(0);

    // Straight on the pool: the first result whose handling throws ends the run, nothing after it is handled.
    const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    let parts = 0;
    const onPart = (): void => {
      parts++;
      throw full;
    };
    await expect(ScanPool.start()!.run(jobs, onPart)).rejects.toBe(full);
    expect(parts).toBe(1);
  });
});
