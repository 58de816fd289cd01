import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/store/database.js';
import { RequestWriter, type FileBatch } from '../../src/store/request-writer.js';
import { DEFAULT_ENTRYPOINT_CLASSES } from '../../src/domain/classify.js';
import { parseLine } from '../../src/domain/parse-line.js';
import type { RequestRecord } from '../../src/domain/types.js';
import { assistantLine } from './lines.js';

const S = '66666666-6666-4666-8666-666666666666';
const noSignals = { fileHistorySnapshot: false, queueOperationFirst: false, promptSourceSdk: false };

function writer(db: Db): RequestWriter {
  return new RequestWriter(db, {
    classes: DEFAULT_ENTRYPOINT_CLASSES,
    priceVersion: 't1',
    price: (r) => r.usage.output / 1000,
  });
}

function rec(id: string, output: number, entrypoint?: string): RequestRecord {
  const p = parseLine(assistantLine({ session: S, id, output, entrypoint }));
  if (p.kind !== 'request') throw new Error('not a request');
  return p.record;
}

function batch(w: RequestWriter, path: string, records: RequestRecord[], signals = noSignals): FileBatch {
  const row = w.files.ensure(path, '/root', 'transcript');
  return {
    fileId: row.id,
    sessionId: S,
    records,
    merged: { replaced: 0, dropped: 0, copies: records.length },
    file: {
      id: row.id,
      fromOffset: 0,
      dev: 1,
      ino: row.id,
      size: 10,
      mtimeMs: 1,
      offset: 10,
      headHash: null,
      tailHash: null,
      sessionId: S,
      signals,
      lines: records.length,
      noIdLines: 0,
      skips: {},
    },
  };
}

const indexes = (db: Db): string[] =>
  db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'requests' AND sql IS NOT NULL ORDER BY name",
    )
    .pluck()
    .all() as string[];
const classOf = (db: Db, id: string): string =>
  db.prepare('SELECT class FROM requests WHERE message_id = ?').pluck().get(id) as string;

describe('RequestWriter', () => {
  it('counts added, replaced and dropped copies across batches and prices the stored copy', () => {
    const db = openDatabase(':memory:');
    const w = writer(db);
    expect(w.writeBatch([batch(w, '/a', [rec('K1', 3), rec('K2', 5)])])).toMatchObject({
      added: 2,
      replaced: 0,
      dropped: 0,
    });
    expect(w.writeBatch([batch(w, '/b', [rec('K1', 300), rec('K2', 5), rec('K1', 10)])])).toMatchObject({
      added: 0,
      replaced: 1,
      dropped: 2,
    });
    const row = db
      .prepare("SELECT output_tokens AS o, cost, price_version AS v FROM requests WHERE message_id = 'K1'")
      .get();
    expect(row).toEqual({ o: 300, cost: 0.3, v: 't1' });
    db.close();
  });

  it('a bulk load drops and rebuilds the indexes, and reclassifies sessions whose signals arrived later', () => {
    const db = openDatabase(':memory:');
    const before = indexes(db);
    expect(before.length).toBeGreaterThan(0);
    const w = writer(db);
    w.beginBulk();
    // The partial index of unpriced rows stays: priced rows cost it nothing.
    expect(indexes(db)).toEqual(['requests_unpriced']);
    w.writeBatch([batch(w, '/sub', [rec('B1', 5)])]);
    expect(classOf(db, 'B1')).toBe('unknown');
    w.writeBatch([batch(w, '/main', [rec('B2', 5)], { ...noSignals, fileHistorySnapshot: true })]);
    w.endBulk();
    expect(indexes(db)).toEqual(before);
    expect(classOf(db, 'B1')).toBe('interactive');
    expect(classOf(db, 'B2')).toBe('interactive');
    db.close();
  });

  it("a bulk load's late signals reach a row without an entrypoint that another process added meanwhile", () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cm-writer-')), 'store.db');
    const db = openDatabase(file);
    const w = writer(db);
    w.beginBulk();
    // This writer's rows of the session all carry an entrypoint: none takes the session's class.
    w.writeBatch([batch(w, '/sub', [rec('E1', 5, 'sdk-py')])]);
    // Another process's connection commits a row without one (a serve, another ingest).
    const other = openDatabase(file);
    other
      .prepare(
        `INSERT INTO requests (key, session_id, class, model, ts, input_tokens, output_tokens, cache_read_tokens,
           cache_write_5m_tokens, cache_write_1h_tokens, web_search_requests, web_fetch_requests, source, message_id)
         VALUES ('E2', ?, 'unknown', 'claude-sonnet-4-5', 1, 0, 0, 0, 0, 0, 0, 0, 'line', 'E2')`,
      )
      .run(S);
    other.close();
    w.writeBatch([batch(w, '/main', [], { ...noSignals, fileHistorySnapshot: true })]);
    w.endBulk();
    expect(classOf(db, 'E1')).toBe('programmatic');
    expect(classOf(db, 'E2')).toBe('interactive');
    db.close();
  });

  it('a bulk load onto a few kept rows builds its indexes at the end and reclassifies their sessions too', () => {
    const db = openDatabase(':memory:');
    const w = writer(db);
    // A rebuild's kept history: a row without an entrypoint, stored before the load.
    w.writeBatch([batch(w, '/kept', [rec('K1', 5)])]);
    expect(classOf(db, 'K1')).toBe('unknown');
    w.beginBulk(1000);
    expect(indexes(db)).toEqual(['requests_unpriced']);
    w.writeBatch([batch(w, '/main', [rec('K2', 5, 'sdk-py')], { ...noSignals, fileHistorySnapshot: true })]);
    w.endBulk();
    expect(classOf(db, 'K1')).toBe('interactive');
    db.close();
  });

  it('restores indexes left dropped by an interrupted bulk load', () => {
    const db = openDatabase(':memory:');
    const before = indexes(db);
    writer(db).beginBulk();
    // The partial index of unpriced rows stays: priced rows cost it nothing.
    expect(indexes(db)).toEqual(['requests_unpriced']);
    writer(db);
    expect(indexes(db)).toEqual(before);
    db.close();
  });

  it('reclassifies stored rows of a session outside bulk loads too, and by entrypoint on a mapping change', () => {
    const db = openDatabase(':memory:');
    const w = writer(db);
    w.writeBatch([batch(w, '/sub', [rec('C1', 5), rec('C2', 6, 'sdk-py')])]);
    expect(classOf(db, 'C1')).toBe('unknown');
    w.writeBatch([batch(w, '/main', [], { ...noSignals, queueOperationFirst: true })]);
    expect(classOf(db, 'C1')).toBe('programmatic');
    const remapped = new RequestWriter(db, {
      classes: { ...DEFAULT_ENTRYPOINT_CLASSES, 'sdk-py': 'interactive' },
      priceVersion: 't1',
      price: () => null,
    });
    expect(remapped.reclassifyEntrypoints()).toBe(1);
    expect(classOf(db, 'C2')).toBe('interactive');
    db.close();
  });

  it('a read that another process already applied adds no counts twice', () => {
    const db = openDatabase(':memory:');
    const w = writer(db);
    const first = batch(w, '/shared', [rec('D1', 5)]);
    w.writeBatch([first]);
    const same = batch(w, '/shared', [rec('D1', 5)]);
    const out = w.writeBatch([same]);
    expect(out.added).toBe(0);
    const row = db
      .prepare("SELECT lines, billable_lines AS b, dup_dropped AS d, offset FROM files WHERE path = '/shared'")
      .get();
    expect(row).toEqual({ lines: 1, b: 1, d: 0, offset: 10 });
    db.close();
  });
  it('gives a request copied into a resumed session to the file known first, whatever order the copies arrive in', () => {
    const resumed = '77777777-7777-4777-8777-777777777777';
    const copy = (session: string, source: RequestRecord['source'] = 'line'): RequestRecord => ({
      ...rec('R1', 40),
      sessionId: session,
      ts: session === S ? 1_767_225_600_000 : 1_767_225_600_250,
      source,
    });
    const stored = (db: Db): unknown =>
      db
        .prepare("SELECT session_id AS s, ts, file_id AS f, output_tokens AS o FROM requests WHERE message_id = 'R1'")
        .get();
    const outcomes: unknown[] = [];
    for (const order of [
      'first-then-resumed',
      'resumed-then-first',
      'one-batch-resumed-first',
      'progress-too',
    ] as const) {
      const db = openDatabase(':memory:');
      const w = writer(db);
      // File ids in the order the store meets the files: the original session's first.
      const first = (records: RequestRecord[]): FileBatch => batch(w, '/first', records);
      const later = (records: RequestRecord[]): FileBatch => batch(w, '/resumed', records);
      first([]);
      later([]);
      if (order === 'first-then-resumed') {
        w.writeBatch([first([copy(S)])]);
        w.writeBatch([later([copy(resumed)])]);
      } else if (order === 'resumed-then-first') {
        w.writeBatch([later([copy(resumed)])]);
        w.writeBatch([first([copy(S)])]);
      } else if (order === 'one-batch-resumed-first') {
        w.writeBatch([later([copy(resumed)]), first([copy(S)])]);
      } else {
        w.writeBatch([later([copy(resumed, 'progress')]), later([copy(resumed)])]);
        w.writeBatch([first([copy(S, 'progress')])]);
        w.writeBatch([first([copy(S)])]);
      }
      outcomes.push(stored(db));
      db.close();
    }
    expect(outcomes[0]).toMatchObject({ s: S, ts: 1_767_225_600_000, o: 40 });
    for (const o of outcomes) expect(o).toEqual(outcomes[0]);
  });
});
