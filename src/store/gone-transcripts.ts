/**
 * The history of transcripts that are no longer on disk survives `--rebuild`: Claude Code deletes
 * transcripts after 30 days, and a rebuild reads only the logs still there. Their file rows and
 * their requests are read from the old store before it is deleted and written into the new one,
 * with their ids, before the new store reads anything: a copy of one of their requests in a file
 * still there then merges into it, as it did in the old store.
 */
import { existsSync } from 'node:fs';
import { newSqlite } from './sqlite.js';
import { writeTransaction, type Db } from './database.js';

export interface GoneTranscripts {
  files: Record<string, unknown>[];
  requests: Record<string, unknown>[];
}

/**
 * The file rows of the store's transcripts that are no longer on disk, and their requests; an
 * error sentence when the store cannot be read.
 */
export function readGoneTranscripts(file: string): { kept: GoneTranscripts | null; error: string | null } {
  let db: Db | null = null;
  try {
    db = newSqlite(file, { readonly: true, fileMustExist: true });
    const tables = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
    if (!tables.has('files') || !tables.has('requests')) return { kept: { files: [], requests: [] }, error: null };
    const files = (
      db.prepare("SELECT * FROM files WHERE kind = 'transcript' ORDER BY id").all() as Record<string, unknown>[]
    ).filter((f) => typeof f.path === 'string' && !existsSync(f.path));
    if (files.length === 0) return { kept: { files: [], requests: [] }, error: null };
    const requests = db
      .prepare('SELECT * FROM requests WHERE file_id IN (SELECT value FROM json_each(?)) ORDER BY rowid')
      .all(JSON.stringify(files.map((f) => f.id))) as Record<string, unknown>[];
    return { kept: { files: files.map((f) => ({ ...f, missing: 1 })), requests }, error: null };
  } catch (err) {
    return { kept: null, error: (err as Error).message };
  } finally {
    db?.close();
  }
}

/** Writes the kept rows into a new (migrated, empty) store, in the columns it has. */
export function restoreGoneTranscripts(db: Db, kept: GoneTranscripts): void {
  writeTransaction(db, () => {
    insertRows(db, 'files', kept.files);
    insertRows(db, 'requests', kept.requests);
  });
}

function insertRows(db: Db, table: 'files' | 'requests', rows: Record<string, unknown>[]): void {
  if (rows.length === 0) return;
  const columns = new Set(db.prepare(`SELECT name FROM pragma_table_info('${table}')`).pluck().all() as string[]);
  const cols = Object.keys(rows[0]!).filter((c) => columns.has(c));
  const insert = db.prepare(
    `INSERT OR IGNORE INTO ${table} (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
  );
  for (const row of rows) insert.run(...cols.map((c) => row[c] as string | number | bigint | Buffer | null));
}
