/**
 * Keeps what Claude Code's status-line hook reports (the 5-hour and 7-day rate-limit windows and
 * each session's own cost) in a small owner-only file beside the store, so recording it on every
 * prompt never waits for the database. The dashboard and `report --by session` read it.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { replaceFile } from '../store/side-files.js';
import { recordHook, type HookInput, type OfficialLimits } from '../domain/official-limits.js';
import { plausibleUsd } from '../domain/plausible.js';

const EMPTY: OfficialLimits = { fiveHour: null, sevenDay: null, sessions: {} };

/** The file of a store's official figures; null for an in-memory store. */
export function officialPath(dbPath: string): string | null {
  return dbPath === ':memory:' ? null : `${dbPath}-official.json`;
}

const isWindow = (v: unknown): boolean =>
  v === null ||
  (typeof v === 'object' &&
    typeof (v as Record<string, unknown>).usedPercentage === 'number' &&
    typeof (v as Record<string, unknown>).seenAt === 'number');

/** The recorded figures (empty when none were recorded or the file is damaged). */
export function readOfficial(dbPath: string): OfficialLimits {
  const path = officialPath(dbPath);
  if (path === null) return EMPTY;
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as Partial<OfficialLimits>;
    if (!isWindow(v.fiveHour ?? null) || !isWindow(v.sevenDay ?? null)) return EMPTY;
    const sessions: OfficialLimits['sessions'] = {};
    for (const [id, s] of Object.entries(v.sessions ?? {})) {
      // (A figure past plausible, kept by an older build, is left out.)
      if (typeof s?.costUsd === 'number' && plausibleUsd(s.costUsd) && typeof s.seenAt === 'number') sessions[id] = s;
    }
    return { fiveHour: v.fiveHour ?? null, sevenDay: v.sevenDay ?? null, sessions };
  } catch {
    return EMPTY;
  }
}

/** Records what the hook reported; writes only when something changed. Never throws. */
export function recordOfficial(dbPath: string, hook: HookInput, nowMs: number): OfficialLimits {
  const path = officialPath(dbPath);
  const before = readOfficial(dbPath);
  const after = recordHook(before, hook, nowMs);
  if (path !== null && after !== before) {
    try {
      replaceFile(path, JSON.stringify(after));
    } catch {
      // A read-only data folder: the figures are simply not kept.
    }
  }
  return after;
}

/** The official figures' file as a name in the store's folder, for watchers of that folder. */
export function officialSideFiles(dbPath: string): string[] {
  const path = officialPath(dbPath);
  return path === null ? [] : [basename(path)];
}
