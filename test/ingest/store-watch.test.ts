import { afterAll, describe, expect, it } from 'vitest';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, setMeta } from '../../src/store/database.js';
import { watchStore } from '../../src/ingest/store-watch.js';
import { tempDir } from './helpers.js';

const tmp = tempDir('cm-storewatch-');
afterAll(() => tmp.cleanup());

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('watchStore', () => {
  it('reports commits of another connection, not its own, and nothing while idle', async () => {
    const file = join(tmp.dir, 'store.db');
    const mine = openDatabase(file);
    const other = openDatabase(file);
    let calls = 0;
    const w = watchStore(mine, file, () => calls++);
    try {
      await sleep(300);
      expect(calls).toBe(0);
      setMeta(mine, 'own', '1');
      await sleep(300);
      expect(calls).toBe(0);
      setMeta(other, 'theirs', '1');
      const t0 = Date.now();
      while (calls === 0 && Date.now() - t0 < 2000) await sleep(20);
      expect(calls).toBe(1);
      expect(Date.now() - t0).toBeLessThan(1000);
      await sleep(300);
      expect(calls).toBe(1);
    } finally {
      w.close();
      mine.close();
      other.close();
    }
  });

  it("reports a side file replaced by another process (the status line's figures), and no other file", async () => {
    const file = join(tmp.dir, 'side.db');
    const mine = openDatabase(file);
    let calls = 0;
    const w = watchStore(mine, file, () => calls++, ['side.db-official.json']);
    try {
      await sleep(200);
      writeFileSync(join(tmp.dir, 'side.db-other.json'), '{}');
      await sleep(300);
      expect(calls).toBe(0);
      // Written as replaceFile writes it: a temporary file, then a rename onto the name.
      writeFileSync(join(tmp.dir, 'side.db-official.json.tmp'), '{"fiveHour":null}');
      renameSync(join(tmp.dir, 'side.db-official.json.tmp'), join(tmp.dir, 'side.db-official.json'));
      const t0 = Date.now();
      while (calls === 0 && Date.now() - t0 < 2000) await sleep(20);
      expect(calls).toBe(1);
    } finally {
      w.close();
      mine.close();
    }
  });
});
