/**
 * A transcript a crash left padded with zero bytes, then appended to: the line after the zeros is
 * read, and a run of zeros alone is a line that cannot be read, counted.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { catchUp } from '../../src/ingest/pipeline.js';
import { openTestApp, tempDir, totals } from './helpers.js';
import { line } from './session-lines.js';

const tmp = tempDir('cm-nul-');
afterAll(() => tmp.cleanup());

describe('zero bytes before a line', () => {
  it('reads the line after them and counts a line of zeros alone', async () => {
    const root = join(tmp.dir, 'root');
    const dir = join(root, 'projects', '-home-u-project');
    mkdirSync(dir, { recursive: true });
    const zeros = '\0'.repeat(4096);
    const user = `${JSON.stringify({ type: 'user', sessionId: 'sess-n', message: { role: 'user', content: 'hi' } })}\n`;
    writeFileSync(
      join(dir, 'sess-n.jsonl'),
      line({ session: 'sess-n', id: 'n1', output: 10 }) +
        zeros +
        line({ session: 'sess-n', id: 'n2', output: 20 }) +
        `${zeros}\n` +
        zeros +
        user +
        line({ session: 'sess-n', id: 'n3', output: 30 }),
    );
    const ctx = openTestApp([root], join(tmp.dir, 'store.db'));
    try {
      const s = await catchUp(ctx);
      expect(totals(ctx.db)).toMatchObject({ requests: 3, output: 60 });
      expect(s.skipped).toEqual({ 'malformed-json': 1 });
      expect(s.lines).toBe(5);
    } finally {
      ctx.close();
    }
  });

  it("reads a line's own type after them (a snapshot line says the session is interactive)", async () => {
    const root = join(tmp.dir, 'signals');
    const dir = join(root, 'projects', '-home-u-project');
    mkdirSync(dir, { recursive: true });
    const snapshot = `${JSON.stringify({ type: 'file-history-snapshot', messageId: 'm', snapshot: {} })}\n`;
    writeFileSync(
      join(dir, 'sess-s.jsonl'),
      line({ session: 'sess-s', id: 's1', output: 10, entrypoint: null }) + '\0'.repeat(4096) + snapshot,
    );
    const ctx = openTestApp([root], join(tmp.dir, 'signals.db'));
    try {
      await catchUp(ctx);
      expect(ctx.db.prepare('SELECT class FROM requests').pluck().all()).toEqual(['interactive']);
    } finally {
      ctx.close();
    }
  });
});
