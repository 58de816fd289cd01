/**
 * The history a rebuild cannot read again survives `--rebuild`: Claude Code deletes transcripts
 * after 30 days, and a rebuild reads only the logs still there, under this run's roots. The file
 * rows of the other transcripts and their requests are read from the old store before it is
 * deleted and written into the new one, with their ids, before the new store reads anything: a copy
 * of one of their requests in a file still read then merges into it, as it did in the old store.
 */
import { getMeta, setMeta, writeTransaction, type Db } from './database.js';
import { copyRows } from './copy-rows.js';
import { USAGE_COLUMNS } from './request-row.js';
import { MAX_PLAUSIBLE_COUNT, plausibleTs } from '../domain/plausible.js';

export interface GoneTranscripts {
  files: Record<string, unknown>[];
  requests: Record<string, unknown>[];
  /** The entrypoint → class mapping the kept rows were classified by (`class_mapping` in meta). */
  classMapping: string | null;
  /** Rows left behind because they read as damaged (see wholeRow). */
  damaged: number;
}

/**
 * The file rows of the store's transcripts a rebuild will not read again (`readAgain` says which
 * it will), and their requests (`tables`: the tables the store has); throws when they cannot be
 * read. A kept file no longer on disk is marked missing.
 */
export function goneTranscriptsOf(
  db: Db,
  tables: ReadonlySet<string>,
  readAgain: (path: string) => boolean,
  onDisk: (path: string) => boolean,
): GoneTranscripts {
  const none: GoneTranscripts = { files: [], requests: [], classMapping: null, damaged: 0 };
  if (!tables.has('files') || !tables.has('requests')) return none;
  const files = (
    db.prepare("SELECT * FROM files WHERE kind = 'transcript' ORDER BY id").all() as Record<string, unknown>[]
  ).filter((f) => typeof f.path === 'string' && !readAgain(f.path));
  if (files.length === 0) return none;
  const columns = (db.prepare("SELECT name FROM pragma_table_info('requests')").pluck().all() as string[]).filter((c) =>
    (USAGE_COLUMNS as readonly string[]).includes(c),
  );
  const plausible = columns.map((c) => `coalesce(${c}, 0) <= ${MAX_PLAUSIBLE_COUNT}`).join(' AND ');
  const requests = db
    .prepare(
      `SELECT * FROM requests WHERE file_id IN (SELECT value FROM json_each(?))${plausible ? ` AND ${plausible}` : ''} ORDER BY rowid`,
    )
    .all(JSON.stringify(files.map((f) => f.id))) as Record<string, unknown>[];
  const whole = requests.filter(wholeRow);
  return {
    files: files.map((f) => (onDisk(f.path as string) ? f : { ...f, missing: 1 })),
    requests: whole,
    classMapping: tables.has('meta') ? getMeta(db, 'class_mapping') : null,
    damaged: requests.length - whole.length,
  };
}

/** Text a damaged page can turn a name into: control characters, or bytes that were no UTF-8. */
const GARBLED = /[\u0000-\u001f\u007f-\u009f\ufffd]/;

/**
 * Whether a request row read from a store about to be deleted reads as one creditmeter wrote: a
 * damaged page can hold a row SQLite still reads, with bytes of its text or numbers changed. Such
 * a row is left behind rather than carried into the new store for good (its transcript is gone).
 */
function wholeRow(r: Record<string, unknown>): boolean {
  const text = (v: unknown, nullable = true): boolean =>
    (v === null && nullable) || (typeof v === 'string' && v !== '' && !GARBLED.test(v));
  return (
    text(r.key, false) &&
    text(r.model, false) &&
    text(r.session_id) &&
    text(r.project) &&
    (r.class === 'programmatic' || r.class === 'interactive' || r.class === 'unknown') &&
    (r.source === 'line' || r.source === 'progress') &&
    typeof r.ts === 'number' &&
    plausibleTs(r.ts)
  );
}

/**
 * Writes the kept rows into a new (migrated, empty) store, in the columns it has, with the mapping
 * they were classified by: a run whose mapping differs classifies them again with the rest.
 */
export function restoreGoneTranscripts(db: Db, kept: GoneTranscripts): void {
  writeTransaction(db, () => {
    copyRows(db, 'files', kept.files);
    copyRows(db, 'requests', kept.requests);
    if (kept.classMapping !== null) setMeta(db, 'class_mapping', kept.classMapping);
  });
}
