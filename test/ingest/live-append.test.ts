import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendFileSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { catchUp } from '../../src/ingest/pipeline.js';
import { coverage } from '../../src/store/coverage.js';
import { openTestApp, tempDir, totals } from './helpers.js';
import { assistantLine, userLine } from './lines.js';

const S1 = '11111111-1111-4111-8111-111111111111';
const S2 = '22222222-2222-4222-8222-222222222222';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

/** Everything ever written, file by file, so a cold read of it all is the reference. */
class History {
  private readonly versions: string[] = [];
  record(content: string): void {
    this.versions.push(content);
  }
  writeTree(root: string): void {
    const dir = join(root, 'projects', 'all');
    mkdirSync(dir, { recursive: true });
    this.versions.forEach((c, i) => writeFileSync(join(dir, `v${i}.jsonl`), c));
  }
}

describe('live appends end with the totals of a cold read of everything the files held', () => {
  it('placeholder then final copy, partial line, truncation, replacement, new and deleted files', async () => {
    const root = join(tmp.dir, 'root');
    const dir = join(root, 'projects', '-home-u-live');
    mkdirSync(dir, { recursive: true });
    const f1 = join(dir, `${S1}.jsonl`);
    const f2 = join(dir, `${S2}.jsonl`);
    const ctx = openTestApp([root], join(tmp.dir, 'live.db'));
    const history = new History();
    const output = (id: string): number | undefined =>
      (
        ctx.db.prepare('SELECT output_tokens AS o FROM requests WHERE message_id = ?').get(id) as
          { o: number } | undefined
      )?.o;

    // 1. A placeholder copy of A, and half of B's line.
    const b = assistantLine({ session: S1, id: 'B', output: 40, minute: 2 });
    writeFileSync(f1, userLine(S1) + assistantLine({ session: S1, id: 'A', output: 3, minute: 1 }) + b.slice(0, 50));
    let s = await catchUp(ctx);
    expect(s.requestsAdded).toBe(1);
    expect(output('A')).toBe(3);
    expect(output('B')).toBeUndefined();

    // 2. The rest of B arrives, then A's final copy: it replaces the placeholder.
    appendFileSync(f1, b.slice(50));
    appendFileSync(f1, assistantLine({ session: S1, id: 'A', output: 300, minute: 1 }));
    s = await catchUp(ctx);
    expect(s.filesRead).toBe(1);
    expect(s.requestsAdded).toBe(1);
    expect(s.duplicatesReplaced).toBe(1);
    expect(output('A')).toBe(300);
    expect(output('B')).toBe(40);

    // 3. A new file appears.
    writeFileSync(f2, userLine(S2) + assistantLine({ session: S2, id: 'C', output: 70, minute: 3 }));
    s = await catchUp(ctx);
    expect(s.requestsAdded).toBe(1);

    // 4. f1 is truncated and rewritten shorter: re-read from 0; A and B stay billed.
    history.record(readAll(f1));
    writeFileSync(f1, assistantLine({ session: S1, id: 'D', output: 9, minute: 4 }));
    s = await catchUp(ctx);
    expect(s.requestsAdded).toBe(1);
    expect(output('A')).toBe(300);

    // 5. f2 is replaced (another inode) by a file of the same size.
    history.record(readAll(f2));
    const replacement = userLine(S2) + assistantLine({ session: S2, id: 'E', output: 71, minute: 5 });
    writeFileSync(`${f2}.tmp`, replacement);
    renameSync(`${f2}.tmp`, f2);
    s = await catchUp(ctx);
    expect(s.requestsAdded).toBe(1);
    expect(output('C')).toBe(70);

    // 6. f2 is deleted: its rows stay, the file is marked missing.
    history.record(readAll(f2));
    rmSync(f2);
    s = await catchUp(ctx);
    expect(coverage(ctx.db).missingFiles).toBe(1);
    history.record(readAll(f1));

    const live = totals(ctx.db);
    ctx.close();
    const coldRoot = join(tmp.dir, 'cold');
    history.writeTree(coldRoot);
    const cold = openTestApp([coldRoot], join(tmp.dir, 'cold.db'));
    await catchUp(cold);
    expect(live).toEqual(totals(cold.db));
    expect(live.requests).toBe(5);
    cold.close();
  });

  it('a file rewritten in place with the same size but other first bytes is re-read', async () => {
    const root = join(tmp.dir, 'root');
    const dir = join(root, 'projects', 'p');
    mkdirSync(dir, { recursive: true });
    const f = join(dir, `${S1}.jsonl`);
    const ctx = openTestApp([root], join(tmp.dir, 'same-size.db'));
    writeFileSync(f, assistantLine({ session: S1, id: 'X1', output: 11 }));
    await catchUp(ctx);
    writeFileSync(f, assistantLine({ session: S1, id: 'X2', output: 11 }));
    const s = await catchUp(ctx);
    expect(s.requestsAdded).toBe(1);
    expect(totals(ctx.db).requests).toBe(2);
    ctx.close();
  });

  it('a snapshot line (no sessionId) appended after the first request makes the session interactive, as a cold read does', async () => {
    const root = join(tmp.dir, 'root');
    const dir = join(root, 'projects', 'p');
    mkdirSync(dir, { recursive: true });
    // A name that is no session id: the session comes from the lines only.
    const f = join(dir, 'agent-a1.jsonl');
    const ctx = openTestApp([root], join(tmp.dir, 'late-signal.db'));
    writeFileSync(f, assistantLine({ session: S1, id: 'Q1', output: 5 }));
    await catchUp(ctx);
    expect(totals(ctx.db, 'unknown').requests).toBe(1);
    appendFileSync(
      f,
      '{"type":"file-history-snapshot","messageId":"m1","snapshot":{"trackedFileBackups":{}},"isSnapshotUpdate":false}\n',
    );
    await catchUp(ctx);
    const live = totals(ctx.db, 'interactive');
    expect(live.requests).toBe(1);
    ctx.close();

    const cold = openTestApp([root], join(tmp.dir, 'late-signal-cold.db'));
    await catchUp(cold);
    expect(totals(cold.db, 'interactive')).toEqual(live);
    cold.close();
  });

  it('after a restart only the appended bytes are read', async () => {
    const root = join(tmp.dir, 'root');
    const dir = join(root, 'projects', 'p');
    mkdirSync(dir, { recursive: true });
    const f = join(dir, `${S1}.jsonl`);
    const dbFile = join(tmp.dir, 'restart.db');
    writeFileSync(f, userLine(S1) + assistantLine({ session: S1, id: 'R1', output: 5 }));
    const first = openTestApp([root], dbFile);
    await catchUp(first);
    first.close();
    const appended = assistantLine({ session: S1, id: 'R2', output: 6 });
    appendFileSync(f, appended);
    const second = openTestApp([root], dbFile);
    const s = await catchUp(second);
    expect(s.bytesRead).toBe(Buffer.byteLength(appended));
    expect(s.lines).toBe(1);
    expect(totals(second.db).requests).toBe(2);
    const third = await catchUp(second);
    expect(third.bytesRead).toBe(0);
    expect(third.filesRead).toBe(0);
    second.close();
  });
});

function readAll(path: string): string {
  return readFileSync(path, 'utf8');
}
