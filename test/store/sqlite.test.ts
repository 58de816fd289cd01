/** The SQLite loader opens the addon require() would find, without asking require.resolve. */
import { describe, expect, it } from 'vitest';
import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { addonPath, newSqlite } from '../../src/store/sqlite.js';

describe('the SQLite loader', () => {
  it('finds the addon of the package require() resolves from here, and opens a database with it', () => {
    const resolved = createRequire(import.meta.url).resolve('better-sqlite3/package.json');
    const expected = join(dirname(resolved), 'build', 'Release', 'better_sqlite3.node');
    expect(realpathSync(addonPath()!)).toBe(realpathSync(expected));
    const db = newSqlite(':memory:');
    expect(db.prepare('SELECT 6 * 7 AS n').get()).toEqual({ n: 42 });
    db.close();
  });
});
