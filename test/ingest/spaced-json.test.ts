import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { catchUp } from '../../src/ingest/pipeline.js';
import { readHistory } from '../../src/ingest/history.js';
import { openTestApp, tempDir, totals } from './helpers.js';
import { assistantLine } from './lines.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** A line as Python's json.dumps writes it: a space after each colon and comma. */
const spaced = (o: unknown): string => `${JSON.stringify(o, null, 1).replace(/\n\s*/g, ' ')}\n`;
const spacedAssistant = (session: string, id: string): string =>
  spaced(JSON.parse(assistantLine({ session, id, output: 4 })));

describe('transcripts written with spaces around the colons', () => {
  it('classify their entrypoint-less requests by the same fallback signals as compact ones', async () => {
    const root = join(tmp.dir, 'root');
    const dir = join(root, 'projects', 'p');
    mkdirSync(dir, { recursive: true });
    const snapshot = spaced({ type: 'file-history-snapshot', messageId: 'm', snapshot: {}, isSnapshotUpdate: false });
    writeFileSync(join(dir, 'snap.jsonl'), spacedAssistant('sess-snap', 'A1') + snapshot);
    writeFileSync(
      join(dir, 'queue.jsonl'),
      spaced({ type: 'queue-operation', operation: 'enqueue', sessionId: 'sess-queue' }) +
        spacedAssistant('sess-queue', 'A2'),
    );
    writeFileSync(
      join(dir, 'sdk.jsonl'),
      spacedAssistant('sess-sdk', 'A3') +
        spaced({ type: 'user', promptSource: 'sdk', sessionId: 'sess-sdk', message: { role: 'user', content: 'go' } }),
    );
    writeFileSync(join(dir, 'hist.jsonl'), spacedAssistant('sess-hist', 'A4'));
    writeFileSync(
      join(root, 'history.jsonl'),
      spaced({ display: 'go', pastedContents: {}, timestamp: 1, project: '/p', sessionId: 'sess-hist' }),
    );
    const ctx = openTestApp([root], join(tmp.dir, 'spaced.db'));
    await catchUp(ctx);
    const classOf = (id: string): unknown =>
      ctx.db.prepare('SELECT class FROM requests WHERE message_id = ?').pluck().get(id);
    expect([classOf('A1'), classOf('A2'), classOf('A3'), classOf('A4')]).toEqual([
      'interactive',
      'programmatic',
      'programmatic',
      'interactive',
    ]);
    expect(totals(ctx.db, 'unknown').requests).toBe(0);
    ctx.close();
  });

  it('history.jsonl lists its session ids with or without spaces', () => {
    const path = join(tmp.dir, 'history.jsonl');
    writeFileSync(
      path,
      spaced({ display: 'a', sessionId: 's-one' }) +
        '{"display":"b","sessionId":"s-two"}\n' +
        '{"display":"c","sessionId" :\t"s-three"}\n',
    );
    const read = readHistory(path, 0, statSync(path).size);
    expect([...read.sessionIds]).toEqual(['s-one', 's-two', 's-three']);
    expect(read.lines).toBe(3);
  });
});
