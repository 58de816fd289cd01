/**
 * Notices commits that other processes make to the store (a `serve` receiving telemetry, an
 * `ingest` run): the file system reports writes to the database or its WAL, and SQLite's
 * `data_version` tells whether another connection committed since the last look. Nothing runs
 * while the store is idle; where the folder cannot be watched, `data_version` is read once a second.
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { Db } from '../store/database.js';

export interface StoreWatch {
  close(): void;
}

/** Quiet time after the last file event before looking (a commit writes in a burst). */
const SETTLE_MS = 40;
const FALLBACK_POLL_MS = 1000;

/**
 * Calls `onCommit` after another connection committed to the store at `file`, or after another
 * process replaced one of `sideFiles` (names in the store's folder, such as the figures the status
 * line keeps from Claude Code), which no commit announces.
 */
export function watchStore(db: Db, file: string, onCommit: () => void, sideFiles: readonly string[] = []): StoreWatch {
  const version = (): number => db.pragma('data_version', { simple: true }) as number;
  let last = version();
  let timer: NodeJS.Timeout | null = null;
  let sideTimer: NodeJS.Timeout | null = null;
  const look = (): void => {
    timer = null;
    let now: number;
    try {
      now = version();
    } catch {
      return; // closed or busy: the next event looks again
    }
    if (now !== last) {
      last = now;
      onCommit();
    }
  };
  const path = resolve(file);
  const name = basename(path);
  let watcher: FSWatcher | null = null;
  let poll: NodeJS.Timeout | null = null;
  try {
    watcher = watch(dirname(path), { persistent: false }, (_event, changed) => {
      if (changed !== null && !String(changed).startsWith(name)) return;
      if (changed !== null && sideFiles.includes(String(changed))) {
        if (sideTimer) clearTimeout(sideTimer);
        sideTimer = setTimeout(() => {
          sideTimer = null;
          onCommit();
        }, SETTLE_MS);
        return;
      }
      if (timer) clearTimeout(timer);
      timer = setTimeout(look, SETTLE_MS);
    });
    watcher.on('error', () => {
      watcher?.close();
      watcher = null;
      poll ??= setInterval(look, FALLBACK_POLL_MS);
    });
  } catch {
    poll = setInterval(look, FALLBACK_POLL_MS);
  }
  poll?.unref();
  return {
    close() {
      watcher?.close();
      if (timer) clearTimeout(timer);
      if (sideTimer) clearTimeout(sideTimer);
      if (poll) clearInterval(poll);
    },
  };
}
