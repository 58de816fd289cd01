import type Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, openSync, readSync, statfsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { makeFolders } from './folders.js';
import { MIGRATIONS } from './migrations.js';
import { newSqlite } from './sqlite.js';

export type Db = Database.Database;

/** A database problem the user can act on; `message` is one sentence with the way out. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
}

export interface OpenOptions {
  readonly?: boolean;
}

/**
 * Opens (creating with owner-only permissions when missing) the SQLite store in WAL mode and
 * brings its schema up to date. Throws StoreError for a file that is not a usable database.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const memory = file === ':memory:';
  if (!memory) lastOpened = resolve(file);
  const fresh = !memory && !options.readonly && !existsSync(file);
  if (fresh) createStoreFile(file);
  let db: Db;
  try {
    db = newSqlite(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  } catch (err) {
    throw new StoreError(`Cannot open the database ${file}: ${(err as Error).message}.`);
  }
  try {
    // Wait for another creditmeter process instead of failing at once (set before anything locks).
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // A new file takes 8 KB pages (fixed by its first table): a cold read of 1 GB of logs wrote
    // and indexed its rows with about a tenth less SQLite time than with 4 KB pages.
    if (fresh) db.pragma(`page_size = ${PAGE_BYTES}`);
    // Before WAL mode or a migration would change it: another program's database stays as it is,
    // whatever its user_version says (one query of the schema, about 0.05 ms).
    else if (!memory) {
      const foreign = foreignTables(db);
      if (foreign !== null) throw notOurs(file, foreign);
    }
    if (!memory && !options.readonly) enableWal(db);
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = OFF');
    if (!options.readonly) migrate(db);
    else if (schemaVersion(db) < MIGRATIONS.length) {
      throw new StoreError(`The database ${file} is from an older creditmeter; open it once without read-only mode.`);
    }
  } catch (err) {
    db.close();
    if (err instanceof StoreError) throw err;
    const kind = classifyStoreError(err);
    if ((kind === 'corrupt' || kind === null) && !sqliteFile(file)) throw notSqlite(file);
    if (kind === 'corrupt' || kind === null) {
      throw new StoreError(
        `The database ${file} is corrupt or not a creditmeter database (${(err as Error).message}); run with --rebuild to start it anew from the logs.`,
      );
    }
    throw new StoreError(describeSqliteError(err) ?? `Cannot use the database ${file}: ${(err as Error).message}.`);
  }
  return db;
}

/** How long a statement waits for another process's lock before it fails busy. */
export const BUSY_TIMEOUT_MS = 5000;

/** The page size of a new store file. */
export const PAGE_BYTES = 8192;

/**
 * Switches the file to WAL (a setting kept in the file). The switch needs a moment alone with the
 * file and SQLite answers "locked" at once, without the busy timeout, while another process opens
 * it too: retry for a few seconds.
 */
function enableWal(db: Db): void {
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      if (db.pragma('journal_mode', { simple: true }) !== 'wal') db.pragma('journal_mode = WAL');
      return;
    } catch (err) {
      if (!isBusyError(err) || Date.now() > deadline) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
}

/** Creates the store file (owner-only) and its missing folders (owner-only). Any failure is one sentence. */
function createStoreFile(file: string): void {
  try {
    makeFolders(dirname(resolve(file)), 0o700);
    closeSync(openSync(file, 'a', 0o600));
    chmodSync(file, 0o600);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new StoreError(
      `Cannot create the database ${file} (${e.code ?? e.message}); pick a writable place with --db or $CREDITMETER_DB.`,
    );
  }
}

/** The schema version recorded in the file (`user_version`). */
export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Applies the migrations the file has not seen yet. The version is read again under the write
 * lock (BEGIN IMMEDIATE), so two processes opening a new database at once migrate it once.
 */
export function migrate(db: Db): void {
  const tooNew = (v: number): StoreError =>
    new StoreError(`The database ${db.name} was written by a newer creditmeter (schema ${v}); upgrade creditmeter.`);
  const seen = schemaVersion(db);
  if (seen > MIGRATIONS.length) throw tooNew(seen);
  if (seen === MIGRATIONS.length) return;
  writeTransaction(db, () => {
    const current = schemaVersion(db);
    if (current > MIGRATIONS.length) throw tooNew(current);
    for (let v = current; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v]!);
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  });
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * Whether a file is empty or begins as every SQLite database does; false for any other file (a
 * mistyped --db naming notes or an image), which creditmeter neither writes to nor deletes.
 */
function sqliteFile(file: string): boolean {
  let fd: number | null = null;
  try {
    fd = openSync(file, 'r');
    const head = Buffer.alloc(SQLITE_HEADER.length);
    const n = readSync(fd, head, 0, head.length, 0);
    return n === 0 || head.equals(SQLITE_HEADER);
  } catch {
    return true; // unreadable or gone: the open that follows says what is wrong
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** The refusal for a file that is no SQLite database at all. */
function notSqlite(file: string): StoreError {
  return new StoreError(
    `${file} is not a creditmeter store (not an SQLite database at all): creditmeter leaves it as it is. Give --db another file; a store damaged past reading is deleted by hand (with its -wal and -shm files) and starts anew from the logs.`,
  );
}

/** The tables every creditmeter store has had since its first schema. */
const OWN_TABLES = ['meta', 'files', 'requests'];

/**
 * The tables of a database that some other program made (it has tables, and not creditmeter's;
 * or none, with a schema version creditmeter never leaves without its tables), or null for a
 * creditmeter store or an empty file. A `--db` mistyped onto another program's database must not
 * get creditmeter's tables added, nor be deleted by `--rebuild`.
 */
function foreignTables(db: Db): string[] | null {
  // The tables and the version are read in one transaction, from one state of the file: another
  // creditmeter process may be creating the store's tables and version at this moment (two first
  // runs at once), and reading the tables before its commit and the version after it would take
  // the new store for another program's database.
  const { tables, version } = db.transaction(() => ({
    tables: db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[],
    version: schemaVersion(db),
  }))();
  if (tables.length === 0) return version === 0 ? null : [];
  return OWN_TABLES.every((t) => tables.includes(t)) ? null : tables;
}

/**
 * Throws StoreError when `file` is another program's: no SQLite database at all, or one with
 * tables that are not creditmeter's. Looked at read-only, so such a file is left as it was. A file
 * that cannot be read as a database (a corrupt store, which `--rebuild` is for) passes.
 */
export function refuseForeignFile(file: string): void {
  if (!sqliteFile(file)) throw notSqlite(file);
  let foreign: string[] | null = null;
  let version = 0;
  let db: Db | null = null;
  try {
    db = newSqlite(file, { readonly: true, fileMustExist: true });
    foreign = foreignTables(db);
    version = schemaVersion(db);
  } catch {
    // not readable as a database: the rebuild replaces it
  } finally {
    db?.close();
  }
  if (foreign !== null) throw notOurs(file, foreign);
  // A newer creditmeter's store: every command refuses it (migrate), and a rebuild by this one would
  // carry over only what it knows how to read.
  if (version > MIGRATIONS.length)
    throw new StoreError(
      `The database ${file} was written by a newer creditmeter (schema ${version}); upgrade creditmeter. Nothing was deleted.`,
    );
}

/** The refusal for another program's database. */
function notOurs(file: string, tables: string[]): StoreError {
  const shown =
    tables.length === 0
      ? 'no tables, a schema version of its own'
      : `tables ${tables.length > 4 ? `${tables.slice(0, 4).join(', ')}, …` : tables.join(', ')}`;
  return new StoreError(
    `${file} is a database of another program (${shown}), not a creditmeter store: creditmeter leaves it as it is. Give --db another file.`,
  );
}

/**
 * Runs `fn` in a write transaction that takes the write lock up front (BEGIN IMMEDIATE): a
 * deferred transaction that upgrades to a write while another process writes fails with
 * SQLITE_BUSY at once, without waiting for the busy timeout.
 */
export function writeTransaction<T>(db: Db, fn: () => T): T {
  return db.transaction(fn).immediate();
}

/**
 * Runs `fn` (a write) without waiting for a lock another process holds: it throws SQLITE_BUSY at
 * once instead of after BUSY_TIMEOUT_MS, for a write that can be kept for later or left out rather
 * than hold a receiver or a screen.
 */
export function withoutWaiting<T>(db: Db, fn: () => T): T {
  db.pragma('busy_timeout = 0');
  try {
    return fn();
  } finally {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  }
}

/** The store file opened last in this process: disk errors name it and its disk. */
let lastOpened: string | null = null;

/** Free bytes on the disk holding `file`; null when unknown. */
function freeBytes(file: string | null): number | null {
  if (file === null) return null;
  try {
    const s = statfsSync(dirname(file));
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}

/** A disk I/O error on a disk with almost no room left is a full disk. */
function diskNearlyFull(file: string | null): boolean {
  const free = freeBytes(file);
  return free !== null && free < 64 * 1024 * 1024;
}

function freeText(file: string | null): string {
  const free = freeBytes(file);
  if (free === null) return '';
  return ` (${free < 1024 * 1024 ? `${Math.round(free / 1024)} KB` : `${Math.round(free / (1024 * 1024))} MB`} free on ${dirname(file!)})`;
}

/** What kind of failure a SQLite error is; null for anything that is not a SQLite error. */
export type StoreFailure = 'busy' | 'corrupt' | 'full' | 'io' | 'permission' | 'other';

/** The one place SQLite error codes are read: every layer asks this instead of matching text. */
export function classifyStoreError(err: unknown): StoreFailure | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return null;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'busy';
  if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB')) return 'corrupt';
  if (code.startsWith('SQLITE_FULL') || (code.startsWith('SQLITE_IOERR') && diskNearlyFull(lastOpened))) return 'full';
  if (code.startsWith('SQLITE_IOERR')) return 'io';
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_PERM'))
    return 'permission';
  return 'other';
}

/** True for SQLite's "database is locked" family (SQLITE_BUSY*, SQLITE_LOCKED*). */
export function isBusyError(err: unknown): boolean {
  return classifyStoreError(err) === 'busy';
}

/** How describeSqliteError's sentence for a busy store begins. */
const BUSY_SENTENCE = 'The database is busy';

/** Whether `text` is describeSqliteError's sentence for a busy store (another process held it). */
export function isBusySentence(text: string): boolean {
  return text.startsWith(BUSY_SENTENCE);
}

/** One sentence for a SQLite error a user can meet (damaged file, busy, disk full), or null. */
export function describeSqliteError(err: unknown): string | null {
  const kind = classifyStoreError(err);
  if (kind === null) return null;
  const detail = (err as Error).message;
  if (kind === 'corrupt') {
    const which = lastOpened === null ? 'The database' : `The database ${lastOpened}`;
    return `${which} is damaged (${detail}); run with --rebuild to start it anew from the logs.`;
  }
  if (kind === 'busy') {
    return `${BUSY_SENTENCE}: another process (another creditmeter, a sqlite3 shell) held it too long (${detail}); try again.`;
  }
  if (kind === 'full') {
    const where = lastOpened === null ? 'the database' : `the database ${lastOpened}`;
    return `The disk holding ${where} is full${freeText(lastOpened)}: it cannot grow; free some space and run again (${detail}).`;
  }
  if (kind === 'io')
    return `Reading or writing ${lastOpened ?? 'the database'} failed at the disk (${detail}); check the disk and its free space, and that no one removed its -wal or -shm file while a creditmeter had it open (quitting that one puts it right).`;
  if (kind === 'permission') {
    return `The database cannot be written (${detail}); check the permissions of its file and folder, or pick another with --db.`;
  }
  return `The database failed (${detail}).`;
}

/** Reads one value of the `meta` table. */
export function getMeta(db: Db, key: string): string | null {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value ?? null;
}

/** Writes one value of the `meta` table. */
export function setMeta(db: Db, key: string, value: string): void {
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(
    key,
    value,
  );
}
