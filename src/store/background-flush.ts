/**
 * Starts writing a store's pages to disk in the background (an `fsync` on libuv's thread pool)
 * while this thread goes on: a bulk load runs without fsync (request-writer.ts), so SQLite's own
 * sync when the store is closed had the whole load to write out, 35-45 ms for 1 GB of logs with
 * nothing else to do meanwhile. Started before the index builds, that writing overlaps them, and
 * the sync at close finds little left. Durability is unchanged: SQLite still syncs as it always does.
 *
 * The database file's descriptor is opened once per path and never closed: closing any descriptor
 * of a file drops every POSIX lock this process holds on it, SQLite's included. The WAL file
 * carries no lock (WAL mode locks the database and its `-shm` file), so its descriptor is closed
 * after each sync. Not on Windows, where a flush needs write access to the file.
 */
import { closeSync, fsync, openSync } from 'node:fs';

/** Descriptors of database files, by path, kept open for the process (see above). */
const databaseFds = new Map<string, number | null>();

/** Syncs under way, by path: a second request for a path meanwhile is not queued behind the first. */
const inFlight = new Set<string>();

function databaseFd(path: string): number | null {
  let fd = databaseFds.get(path);
  if (fd === undefined) {
    try {
      fd = openSync(path, 'r');
    } catch {
      fd = null;
    }
    databaseFds.set(path, fd);
  }
  return fd;
}

function syncInBackground(path: string, fd: number, close: boolean): void {
  inFlight.add(path);
  fsync(fd, () => {
    // A failed sync is not reported here: SQLite's own sync at close meets the same error.
    inFlight.delete(path);
    if (close) {
      try {
        closeSync(fd);
      } catch {
        // Already closed: nothing to do.
      }
    }
  });
}

/** Starts syncing the database file `path` and its WAL in the background (no-op in memory or on Windows). */
export function flushInBackground(path: string): void {
  if (path === '' || path === ':memory:' || process.platform === 'win32') return;
  if (!inFlight.has(path)) {
    const fd = databaseFd(path);
    if (fd !== null) syncInBackground(path, fd, false);
  }
  const wal = `${path}-wal`;
  if (!inFlight.has(wal)) {
    let fd: number;
    try {
      fd = openSync(wal, 'r');
    } catch {
      return;
    }
    syncInBackground(wal, fd, true);
  }
}
