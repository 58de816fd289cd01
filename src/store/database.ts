import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS } from './migrations.js';

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
  if (!memory && !options.readonly && !existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    closeSync(openSync(file, 'a', 0o600));
    chmodSync(file, 0o600);
  }
  let db: Db;
  try {
    db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  } catch (err) {
    throw new StoreError(`Cannot open the database ${file}: ${(err as Error).message}.`);
  }
  try {
    if (!memory) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = OFF');
    if (!options.readonly) migrate(db);
    else if (schemaVersion(db) < MIGRATIONS.length) {
      throw new StoreError(`The database ${file} is from an older creditmeter; open it once without read-only mode.`);
    }
  } catch (err) {
    db.close();
    if (err instanceof StoreError) throw err;
    throw new StoreError(
      `The database ${file} is corrupt or not a creditmeter database (${(err as Error).message}); run with --rebuild to start it anew from the logs.`,
    );
  }
  return db;
}

/** The schema version recorded in the file (`user_version`). */
export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies the migrations the file has not seen yet, each in its own transaction. */
export function migrate(db: Db): void {
  const current = schemaVersion(db);
  if (current > MIGRATIONS.length) {
    throw new StoreError(`The database was written by a newer creditmeter (schema ${current}); upgrade creditmeter.`);
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    const sql = MIGRATIONS[v]!;
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

/** Reads one value of the `meta` table. */
export function getMeta(db: Db, key: string): string | null {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value ?? null;
}

/** Writes one value of the `meta` table. */
export function setMeta(db: Db, key: string, value: string): void {
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}
