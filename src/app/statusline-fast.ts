/**
 * The status line's short way: Claude Code runs the hook on every prompt, and most of the time
 * nothing changed since the last one. The last line drawn for each session is kept beside the
 * store with what it depended on (the store's files, the session's transcript, the settings, how
 * long its forecast and "today" hold); when all of that is unchanged the line is printed again
 * without opening the database. Only `node:fs` is loaded here (and the store's side-file helpers).
 */
import { readFileSync } from 'node:fs';
import { fileStamp, replaceFile, storeStamp } from '../store/side-files.js';

interface LineEntry {
  /** The transcript the hook named, as it was when the line was drawn; null when none. */
  transcript: string | null;
  color: boolean;
  /** What Claude Code told and the line shows (the session's own cost, the 5-hour and 7-day use). */
  official?: string;
  line: string;
  drawnAt: number;
  /** The line holds until then: the forecast's reuse window, the next local midnight, the cycle end. */
  validUntil: number;
}

interface LineCache {
  v: 2;
  key: string;
  /** Size and mtime of the store and its WAL when the lines were drawn. */
  stamp: string;
  sessions: Record<string, LineEntry>;
}

/** The line cache of a store; null for an in-memory store. */
export function lineCachePath(dbPath: string): string | null {
  return dbPath === ':memory:' ? null : `${dbPath}-statusline-line.json`;
}

/** The transcript the hook named and its stamp (null when it named none). */
function transcriptStamp(path: string | null): string | null {
  return path === null ? null : `${path}|${fileStamp(path)}`;
}

function readCache(path: string): LineCache | null {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as Partial<LineCache>;
    return v.v === 2 && typeof v.key === 'string' && typeof v.stamp === 'string' && typeof v.sessions === 'object'
      ? (v as LineCache)
      : null;
  } catch {
    return null;
  }
}

export interface LineQuery {
  dbPath: string;
  /** Everything the line depends on besides the store: plan, prices, version. */
  key: string;
  session: string;
  transcript: string | null;
  color: boolean;
  /** Claude Code's figures the line shows, as recorded (officialKey): a new one redraws it. */
  official: string;
  nowMs: number;
}

/** The line drawn last for this session when nothing it depends on changed since; else null. */
export function cachedLine(q: LineQuery): string | null {
  const path = lineCachePath(q.dbPath);
  if (path === null) return null;
  const cache = readCache(path);
  if (cache === null || cache.key !== q.key) return null;
  const entry = cache.sessions[q.session];
  if (entry === undefined || entry.color !== q.color || entry.official !== q.official) return null;
  if (q.nowMs < entry.drawnAt || q.nowMs >= entry.validUntil) return null;
  if (entry.transcript !== transcriptStamp(q.transcript)) return null;
  return cache.stamp === storeStamp(q.dbPath) ? entry.line : null;
}

/**
 * Keeps a freshly drawn line. Lines of other sessions stay while the store is unchanged (the
 * stamp is the same); otherwise they are dropped, as they may show old figures.
 */
export function keepLine(q: LineQuery, line: string, validUntil: number): void {
  const path = lineCachePath(q.dbPath);
  if (path === null) return;
  const stamp = storeStamp(q.dbPath);
  const old = readCache(path);
  const sessions = old !== null && old.key === q.key && old.stamp === stamp ? old.sessions : {};
  sessions[q.session] = {
    transcript: transcriptStamp(q.transcript),
    color: q.color,
    official: q.official,
    line,
    drawnAt: q.nowMs,
    validUntil,
  };
  const cache: LineCache = { v: 2, key: q.key, stamp, sessions };
  try {
    replaceFile(path, JSON.stringify(cache));
  } catch {
    // A read-only data folder only costs speed.
  }
}
