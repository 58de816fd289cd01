import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  openDatabase,
  refuseForeignFile,
  schemaVersion,
  describeSqliteError,
  StoreError,
  PAGE_BYTES,
} from '../../src/store/database.js';
import { newSqlite } from '../../src/store/sqlite.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { formatUsd } from '../../src/domain/format.js';
import { deferRequestIndexes, restoreRequestIndexes } from '../../src/store/bulk-load.js';

const tmp = (): string => mkdtempSync(path.join(tmpdir(), 'cm-db-'));

/** A store file as a build at schema `version` left it (its first `version` migrations), open raw. */
function storeAtSchema(file: string, version: number): ReturnType<typeof newSqlite> {
  const raw = newSqlite(file, { readonly: false, fileMustExist: false });
  for (const m of MIGRATIONS.slice(0, version)) raw.exec(m);
  raw.pragma(`user_version = ${version}`);
  return raw;
}

/** What a user is told when opening `file` and running `sql` fails; null when it does not fail. */
function sentenceOfRead(file: string, sql: string): string | null {
  try {
    const d = openDatabase(file);
    d.prepare(sql).get();
    d.close();
    return null;
  } catch (err) {
    return err instanceof StoreError ? err.message : describeSqliteError(err);
  }
}

describe('openDatabase', () => {
  it("refuses another program's database and leaves it as it was, whatever its user_version", () => {
    const dir = tmp();
    for (const version of [0, 1, MIGRATIONS.length, MIGRATIONS.length + 3]) {
      const file = path.join(dir, `photos-${version}.db`);
      const raw = newSqlite(file, { readonly: false, fileMustExist: false });
      raw.exec('CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT); CREATE TABLE meta (k, v)');
      raw.prepare('INSERT INTO photos (name) VALUES (?)').run('beach.jpg');
      raw.pragma(`user_version = ${version}`);
      raw.close();
      const before = readFileSync(file);
      for (const readonly of [false, true]) {
        let err: unknown;
        try {
          openDatabase(file, { readonly }).close();
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(StoreError);
        expect((err as Error).message).toMatch(
          /is a database of another program \(tables meta, photos\), not a creditmeter store/,
        );
      }
      // Not migrated, not put in WAL mode: byte for byte the file it was.
      expect(readFileSync(file).equals(before)).toBe(true);
      expect(existsSync(`${file}-wal`)).toBe(false);
    }
  });

  it('is not rebuilt when a newer creditmeter wrote it: the rebuild would drop what this one cannot read', () => {
    const file = path.join(tmp(), 'newer.db');
    const raw = storeAtSchema(file, MIGRATIONS.length);
    raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    raw.close();
    expect(() => refuseForeignFile(file)).toThrow(
      new RegExp(
        `written by a newer creditmeter \\(schema ${MIGRATIONS.length + 1}\\); upgrade creditmeter. Nothing was deleted`,
      ),
    );
    // Opened by any command, it is named in the refusal too.
    expect(() => openDatabase(file)).toThrow(
      `The database ${file} was written by a newer creditmeter (schema ${MIGRATIONS.length + 1}); upgrade creditmeter.`,
    );
    // This version's own store is rebuilt.
    const own = path.join(tmp(), 'own.db');
    storeAtSchema(own, MIGRATIONS.length).close();
    expect(() => refuseForeignFile(own)).not.toThrow();
  });

  it('refuses an SQLite file with no tables but a schema version of its own', () => {
    const file = path.join(tmp(), 'versioned.db');
    const raw = newSqlite(file, { readonly: false, fileMustExist: false });
    raw.pragma('user_version = 7');
    raw.close();
    const before = readFileSync(file);
    expect(() => openDatabase(file)).toThrow(
      /is a database of another program \(no tables, a schema version of its own\)/,
    );
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('takes an empty SQLite file as a new store', () => {
    const file = path.join(tmp(), 'empty.db');
    newSqlite(file, { readonly: false, fileMustExist: false }).close();
    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    db.close();
  });

  it('creates an owner-only file in WAL mode at the newest schema', () => {
    const file = path.join(tmp(), 'sub', 'usage.db');
    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('gives a new file 8 KB pages, and keeps the pages of a file made before', () => {
    const dir = tmp();
    const fresh = openDatabase(path.join(dir, 'new.db'));
    expect(PAGE_BYTES).toBe(8192);
    expect(fresh.pragma('page_size', { simple: true })).toBe(PAGE_BYTES);
    fresh.close();
    // A store of an earlier version: 4 KB pages, already in WAL mode, at its first schema.
    const oldFile = path.join(dir, 'old.db');
    const raw = newSqlite(oldFile, { readonly: false, fileMustExist: false });
    raw.pragma('page_size = 4096');
    raw.pragma('journal_mode = WAL');
    raw.exec(MIGRATIONS[0]!);
    raw.pragma('user_version = 1');
    raw.close();
    const db = openDatabase(oldFile);
    expect(db.pragma('page_size', { simple: true })).toBe(4096);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('k', 'v');
    expect(db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get('k')).toBe('v');
    db.close();
  });

  it('takes requests and events with a count no request carries out of a store made before (migration 11)', () => {
    const file = path.join(tmp(), 'before-11.db');
    const raw = storeAtSchema(file, 10);
    const insert = raw.prepare(
      `INSERT INTO requests (key, class, model, ts, input_tokens, output_tokens, cache_read_tokens,
         cache_write_5m_tokens, cache_write_1h_tokens, web_search_requests, web_fetch_requests, source)
       VALUES (?, 'programmatic', 'claude-sonnet-4-5', ?, ?, 1, 0, 0, 0, 0, 0, 'line')`,
    );
    insert.run('fine', Date.UTC(2026, 10, 1), 100_000_000);
    insert.run('huge', Date.UTC(2026, 10, 1), 1e15);
    raw.close();
    const db = openDatabase(file);
    expect(db.prepare('SELECT key FROM requests ORDER BY key').pluck().all()).toEqual(['fine']);
    db.close();
  });

  it("leaves out Claude Code's own cost past plausible in a store made before (migration 12)", () => {
    const file = path.join(tmp(), 'before-12.db');
    const raw = storeAtSchema(file, 11);
    const insert = raw.prepare(
      `INSERT INTO requests (key, class, model, ts, input_tokens, output_tokens, cache_read_tokens,
         cache_write_5m_tokens, cache_write_1h_tokens, web_search_requests, web_fetch_requests, source, cc_cost)
       VALUES (?, 'programmatic', 'claude-sonnet-4-5', ?, 1, 1, 0, 0, 0, 0, 0, 'otel', ?)`,
    );
    insert.run('fine', Date.UTC(2026, 10, 1), 12.5);
    insert.run('huge', Date.UTC(2026, 10, 1), 1e300);
    insert.run('negative', Date.UTC(2026, 10, 1), -1);
    raw.close();
    const db = openDatabase(file);
    expect(db.prepare('SELECT key, cc_cost FROM requests ORDER BY key').all()).toEqual([
      { key: 'fine', cc_cost: 12.5 },
      { key: 'huge', cc_cost: null },
      { key: 'negative', cc_cost: null },
    ]);
    db.close();
    expect(formatUsd(1e300)).toBe('$1.00e+300');
  });

  it('migrates a new database once when several connections open it at the same time', () => {
    const file = path.join(tmp(), 'race.db');
    // Separate connections in one process: each sees schema 0 before the first migrates.
    const a = openDatabase(file);
    const b = openDatabase(file);
    expect(schemaVersion(a)).toBe(MIGRATIONS.length);
    expect(schemaVersion(b)).toBe(MIGRATIONS.length);
    a.close();
    b.close();
  });

  it('upgrades a store that has requests_ts to the wider ts index alone, even mid bulk load', () => {
    const indexes = (db: ReturnType<typeof openDatabase>): string[] =>
      db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'requests' AND sql IS NOT NULL")
        .pluck()
        .all() as string[];
    for (const midLoad of [false, true]) {
      const file = path.join(tmp(), 'v4.db');
      // A store at schema 4, the last with requests_ts; mid load, its indexes are dropped and listed.
      const raw = newSqlite(file, { readonly: false, fileMustExist: false });
      raw.pragma('journal_mode = WAL');
      for (const sql of MIGRATIONS.slice(0, 4)) raw.exec(sql);
      raw.pragma('user_version = 4');
      expect(raw.prepare("SELECT 1 FROM sqlite_master WHERE name = 'requests_ts'").get()).toBeDefined();
      if (midLoad) deferRequestIndexes(raw);
      raw.close();
      const db = openDatabase(file);
      db.pragma('cache_size = -12345');
      restoreRequestIndexes(db);
      // The builds' own page cache size is put back.
      expect(db.pragma('cache_size', { simple: true })).toBe(-12345);
      expect(indexes(db)).not.toContain('requests_ts');
      expect(indexes(db)).toContain('requests_ts_model');
      expect(indexes(db)).toContain('requests_class_ts');
      db.close();
    }
  });

  it('reports a file of random bytes as no SQLite database, leaves it alone, and offers no --rebuild', () => {
    const file = path.join(tmp(), 'junk.db');
    writeFileSync(file, Buffer.alloc(8192, 0xab));
    expect(() => openDatabase(file)).toThrow(StoreError);
    expect(() => openDatabase(file)).toThrow(/is not a creditmeter store \(not an SQLite database at all\)/);
    expect(() => openDatabase(file)).not.toThrow(/--rebuild/);
    expect(readFileSync(file).equals(Buffer.alloc(8192, 0xab))).toBe(true);
  });

  it('reports a store whose first page is damaged as corrupt, with --rebuild as the way out', () => {
    const file = path.join(tmp(), 'damaged.db');
    openDatabase(file).close();
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0xab), 0, 4096, 100);
    closeSync(fd);
    expect(() => openDatabase(file)).toThrow(/corrupt or not a creditmeter database .*--rebuild/);
  });

  it('describes a damaged page met later as damaged, with the way out', () => {
    const dir = tmp();
    const good = path.join(dir, 'good.db');
    const db = openDatabase(good);
    const insert = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    db.transaction(() => {
      for (let i = 0; i < 3000; i++) insert.run(`k${i}`, 'v'.repeat(200));
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const bad = path.join(dir, 'bad.db');
    copyFileSync(good, bad);
    // A page in the middle of the file: the meta rows written above live there.
    const middle = Math.floor(statSync(bad).size / 2 / 4096) * 4096;
    const fd = openSync(bad, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0xff), 0, 4096, middle);
    closeSync(fd);
    const message = sentenceOfRead(bad, 'SELECT count(*), max(length(value)) FROM meta');
    expect(message).toMatch(/damaged|corrupt/);
    expect(message).toMatch(/--rebuild/);
    // Which store: a user with several (--db per project, a team store) knows which to rebuild.
    expect(message).toContain(bad);
  });

  it('names a -wal file removed while another connection had it open, beside the disk, when reads fail', () => {
    const dir = tmp();
    const file = path.join(dir, 'usage.db');
    const holder = openDatabase(file);
    holder.pragma('wal_autocheckpoint = 0');
    holder.exec('CREATE TABLE t (x)');
    for (let i = 0; i < 50; i++) holder.prepare('INSERT INTO t VALUES (?)').run(i);
    rmSync(`${file}-wal`);
    holder.prepare('INSERT INTO t VALUES (?)').run(50);
    const message = sentenceOfRead(file, 'SELECT count(*) FROM t');
    holder.close();
    expect(message).toMatch(/failed at the disk/);
    expect(message).toMatch(/removed its -wal or -shm file while a creditmeter had it open/);
  });

  it('refuses a place it cannot create, in one sentence naming --db (never hangs)', () => {
    const dir = tmp();
    const notADir = path.join(dir, 'file');
    writeFileSync(notADir, 'x');
    expect(() => openDatabase(path.join(notADir, 'sub', 'usage.db'))).toThrow(
      /Cannot create the database .* \(ENOTDIR\); pick a writable place with --db/,
    );
    expect(() => openDatabase('/proc/creditmeter-none/usage.db')).toThrow(StoreError);
  });
});
