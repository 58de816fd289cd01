/** Side files are written whole or not at all, and a failed write leaves nothing behind. */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { replaceFile } from '../../src/store/side-files.js';
import { tempDir } from '../ingest/helpers.js';

const tmp = tempDir('cm-side-files-');
afterAll(() => tmp.cleanup());

describe('replaceFile', () => {
  it('replaces a file whole, and takes its temporary file away when the write fails', () => {
    const path = join(tmp.dir, 'store.db-dirs.json');
    writeFileSync(path, 'old');
    replaceFile(path, 'new');
    expect(readFileSync(path, 'utf8')).toBe('new');
    // A name the rename cannot take (a folder with something in it), as a full disk fails a write.
    const taken = join(tmp.dir, 'taken');
    mkdirSync(join(taken, 'inside'), { recursive: true });
    expect(() => replaceFile(taken, 'x')).toThrow();
    expect(readdirSync(tmp.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
