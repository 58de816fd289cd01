/**
 * What `--rebuild` carries from the store it deletes into the new one, read in one opening of the
 * old file: received telemetry (telemetry-keep.ts) and the history of transcripts it does not read
 * again (gone-transcripts.ts). Each part that cannot be read says why; the other is still kept.
 */
import { newSqlite } from './sqlite.js';
import type { Db } from './database.js';
import { keptTelemetryOf, type KeptTelemetry } from './telemetry-keep.js';
import { goneTranscriptsOf, type GoneTranscripts } from './gone-transcripts.js';

export interface RebuildKeep {
  telemetry: KeptTelemetry | null;
  gone: GoneTranscripts | null;
  /** Why a part could not be read, by part; empty when both were. */
  errors: { telemetry?: string; gone?: string };
}

/** Reads what a rebuild keeps of the store `file` (see gone-transcripts.ts for `readAgain` and `onDisk`). */
export function readRebuildKeep(
  file: string,
  readAgain: (path: string) => boolean,
  onDisk: (path: string) => boolean,
): RebuildKeep {
  const out: RebuildKeep = { telemetry: null, gone: null, errors: {} };
  let db: Db | null = null;
  try {
    db = newSqlite(file, { readonly: true, fileMustExist: true });
    const tables = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
    const open = db;
    const part = <T>(read: () => T, name: 'telemetry' | 'gone'): T | null => {
      try {
        return read();
      } catch (err) {
        out.errors[name] = (err as Error).message;
        return null;
      }
    };
    out.telemetry = part(() => keptTelemetryOf(open, tables), 'telemetry');
    out.gone = part(() => goneTranscriptsOf(open, tables, readAgain, onDisk), 'gone');
  } catch (err) {
    out.errors = { telemetry: (err as Error).message, gone: (err as Error).message };
  } finally {
    db?.close();
  }
  return out;
}
