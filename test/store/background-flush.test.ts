import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { flushInBackground } from '../../src/store/background-flush.js';

/** Lets the thread pool's syncs finish and their callbacks run. */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 5));
};

/** The POSIX locks this process holds on `file` (Linux: /proc/locks names them by inode). */
const locksOn = (file: string): string[] => {
  const inode = `:${statSync(file).ino} `;
  return (
    readFileSync('/proc/locks', 'utf8')
      .split('\n')
      .filter((l) => l.includes(` ${process.pid} `) && l.includes(inode))
      // Without the line's number in the kernel's list, which other processes' locks move.
      .map((l) => l.replace(/^\d+:\s*/, ''))
  );
};

describe('flushInBackground', () => {
  it.runIf(existsSync('/proc/locks'))(
    "keeps SQLite's locks on the store: closing a descriptor of the file would drop them all",
    async () => {
      const file = path.join(mkdtempSync(path.join(tmpdir(), 'cm-flush-')), 'usage.db');
      const db = openDatabase(file);
      db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('a', '1');
      const held = locksOn(file);
      // A WAL-mode connection keeps a shared lock on the database file while it is open.
      expect(held.length).toBeGreaterThan(0);
      for (let i = 0; i < 3; i++) {
        flushInBackground(file);
        await settle();
        expect(locksOn(file)).toEqual(held);
      }
      expect(db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get('a')).toBe('1');
      db.close();
      expect(existsSync(`${file}-wal`)).toBe(false);
    },
  );

  it('does nothing for a store in memory or a file that is not there', async () => {
    expect(() => flushInBackground(':memory:')).not.toThrow();
    expect(() => flushInBackground(path.join(tmpdir(), 'cm-no-such-dir', 'x.db'))).not.toThrow();
    await settle();
  });
});
