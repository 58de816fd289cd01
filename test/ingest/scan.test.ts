import { afterAll, describe, expect, it } from 'vitest';
import { closeSync, openSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { scanRange, ScanBuffer, type ScanResult } from '../../src/ingest/scan.js';
import { sampleHash } from '../../src/ingest/plan.js';
import { tempDir } from './helpers.js';
import { assistantLine, userLine } from './lines.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const S = '55555555-5555-4555-8555-555555555555';

function sample(): string {
  let text = '{"type":"queue-operation","operation":"enqueue","sessionId":"' + S + '"}\n';
  for (let i = 0; i < 30; i++) {
    text += userLine(S);
    text += assistantLine({ session: S, id: `M${i}`, output: i + 1, minute: i % 60 });
    if (i % 7 === 0) text += '\n';
  }
  return text;
}

/** Scans [0, size) cut at `cuts` into aligned ranges, as the workers do. */
function scanSplit(path: string, size: number, cuts: number[], bufferBytes: number): ScanResult[] {
  const bounds = [0, ...cuts, size];
  const out: ScanResult[] = [];
  for (let k = 0; k < bounds.length - 1; k++) {
    out.push(
      scanRange(
        { path, start: bounds[k]!, end: bounds[k + 1]!, limit: size, align: k > 0 },
        new ScanBuffer(bufferBytes),
      ),
    );
  }
  return out;
}

describe('scanRange', () => {
  it('split into newline-aligned ranges at any byte, reads every line exactly once', () => {
    const text = sample();
    const path = join(tmp.dir, 'split.jsonl');
    writeFileSync(path, text);
    const size = Buffer.byteLength(text);
    const whole = scanRange({ path, start: 0, end: size, limit: size, align: false });
    expect(whole.records.map((r) => r.messageId)).toEqual(Array.from({ length: 30 }, (_, i) => `M${i}`));
    expect(whole.signals.queueOperationFirst).toBe(true);
    expect(whole.endOffset).toBe(size);
    for (let cut = 1; cut < size; cut += 37) {
      for (const buffer of [256, 4096]) {
        const parts = scanSplit(path, size, [cut, Math.min(size - 1, cut + 911)], buffer);
        expect(parts.flatMap((p) => p.records.map((r) => r.key))).toEqual(whole.records.map((r) => r.key));
        expect(parts.reduce((n, p) => n + p.lines, 0)).toBe(whole.lines);
        expect(Math.max(...parts.map((p) => p.endOffset))).toBe(size);
        expect(parts.some((p) => p.signals.queueOperationFirst)).toBe(true);
      }
    }
  });

  it('grows the buffer for a long line, and skips one over the limit as line-too-long, keeping its head signal', () => {
    const path = join(tmp.dir, 'long.jsonl');
    const big = `{"type":"file-history-snapshot","messageId":"m","snapshot":{"blob":"${'x'.repeat(20_000)}"}}\n`;
    const text =
      assistantLine({ session: S, id: 'L1', output: 1 }) + big + assistantLine({ session: S, id: 'L2', output: 2 });
    writeFileSync(path, text);
    const size = Buffer.byteLength(text);
    const grown = scanRange({ path, start: 0, end: size, limit: size, align: false }, new ScanBuffer(1024));
    expect(grown.records.map((r) => r.messageId)).toEqual(['L1', 'L2']);
    expect(grown.skips).toEqual({});
    const capped = scanRange(
      { path, start: 0, end: size, limit: size, align: false, maxLineBytes: 4096 },
      new ScanBuffer(1024),
    );
    expect(capped.records.map((r) => r.messageId)).toEqual(['L1', 'L2']);
    expect(capped.skips).toEqual({ 'line-too-long': 1 });
    expect(capped.lines).toBe(3);
    expect(capped.signals.fileHistorySnapshot).toBe(true);
    expect(capped.endOffset).toBe(size);
  });

  it('split ranges count each byte of the file once, also around a long line read past a range end', () => {
    const path = join(tmp.dir, 'bytes.jsonl');
    const long = `{"type":"user","message":{"role":"user","content":"${'w'.repeat(30_000)}"}}\n`;
    const text =
      assistantLine({ session: S, id: 'Y1', output: 1 }) +
      long +
      assistantLine({ session: S, id: 'Y2', output: 2 }) +
      long;
    writeFileSync(path, text);
    const size = Buffer.byteLength(text);
    for (const cut of [500, 5_000, 20_000, 40_000, size - 100]) {
      for (const maxLineBytes of [undefined, 4096]) {
        const bounds = [0, cut, size];
        const parts = [0, 1].map((k) =>
          scanRange(
            { path, start: bounds[k]!, end: bounds[k + 1]!, limit: size, align: k > 0, maxLineBytes },
            new ScanBuffer(1024),
          ),
        );
        expect(parts.reduce((n, p) => n + p.bytes, 0)).toBe(size);
        expect(parts.flatMap((p) => p.records.map((r) => r.messageId))).toEqual(['Y1', 'Y2']);
      }
    }
  });

  it('a line larger than the default limit (64 MB) is skipped without running out of memory', () => {
    const path = join(tmp.dir, 'huge.jsonl');
    const fd = openSync(path, 'w');
    writeSync(fd, assistantLine({ session: S, id: 'H1', output: 1 }));
    writeSync(fd, '{"type":"file-history-snapshot","snapshot":"');
    const block = Buffer.alloc(8 * 1024 * 1024, 'y');
    for (let i = 0; i < 9; i++) writeSync(fd, block);
    writeSync(fd, '"}\n');
    writeSync(fd, assistantLine({ session: S, id: 'H2', output: 2 }));
    closeSync(fd);
    const { size } = statSync(path);
    const r = scanRange({ path, start: 0, end: size, limit: size, align: false });
    expect(r.records.map((x) => x.messageId)).toEqual(['H1', 'H2']);
    expect(r.skips).toEqual({ 'line-too-long': 1 });
    expect(r.signals.fileHistorySnapshot).toBe(true);
  });

  it('holds back an unterminated last line', () => {
    const path = join(tmp.dir, 'partial.jsonl');
    const done = assistantLine({ session: S, id: 'P1', output: 1 });
    const half = assistantLine({ session: S, id: 'P2', output: 2 }).slice(0, 80);
    writeFileSync(path, done + half);
    const size = Buffer.byteLength(done + half);
    const r = scanRange({ path, start: 0, end: size, limit: size, align: false });
    expect(r.records.map((x) => x.messageId)).toEqual(['P1']);
    expect(r.endOffset).toBe(Buffer.byteLength(done));
    expect(r.lines).toBe(1);
  });

  it('reads a whole last line whose newline is missing, and the newline that comes later ends it', () => {
    const path = join(tmp.dir, 'no-newline.jsonl');
    const first = assistantLine({ session: S, id: 'N1', output: 1 });
    const last = assistantLine({ session: S, id: 'N2', output: 2 }).trimEnd();
    writeFileSync(path, first + last);
    const size = Buffer.byteLength(first + last);
    const r = scanRange({ path, start: 0, end: size, limit: size, align: false });
    expect(r.records.map((x) => x.messageId)).toEqual(['N1', 'N2']);
    expect([r.endOffset, r.lines]).toEqual([size, 2]);
    // Its newline arrives with one more line: read from there, no blank line and no copy again.
    const more = assistantLine({ session: S, id: 'N3', output: 3 });
    writeFileSync(path, `${first}${last}\n${more}`);
    const total = Buffer.byteLength(`${first}${last}\n${more}`);
    const next = scanRange({ path, start: size, end: total, limit: total, align: false });
    expect(next.records.map((x) => x.messageId)).toEqual(['N3']);
    expect(next.skips).toEqual({});
    expect([next.endOffset, next.lines]).toEqual([total, 1]);
    // A blank line of the file's own after a complete line is still counted as one.
    writeFileSync(path, `${first}\n${more}`);
    const own = scanRange({
      path,
      start: Buffer.byteLength(first),
      end: Buffer.byteLength(`${first}\n${more}`),
      limit: Buffer.byteLength(`${first}\n${more}`),
      align: false,
    });
    expect(own.skips).toEqual({ 'blank-line': 1 });
  });

  it('reads a line that a writer continued after it was read without its newline as the reads of it did', () => {
    // {A} was read at the end of the file; {B}, then garbage, were written on after it, with no
    // newline between. A read of the whole file gives what those reads gave: A, B and the rest.
    const path = join(tmp.dir, 'continued.jsonl');
    const first = assistantLine({ session: S, id: 'C1', output: 1 });
    const a = assistantLine({ session: S, id: 'C2', output: 2 }).trimEnd();
    const b = assistantLine({ session: S, id: 'C3', output: 3 }).trimEnd();
    const c = userLine(S).trimEnd();
    const bad = '{"type":"assistant","message":{"usage":{"input_tokens":1}} trailing';
    // (The third step's two objects are not one whole object: held back until the newline comes.)
    const steps = [first + a, `${b}  `, `${c}${a.replace('C2', 'C4')}`, `${bad}\n`, first];
    let text = '';
    let offset = 0;
    const grown: ScanResult[] = [];
    for (const step of steps) {
      text += step;
      writeFileSync(path, text);
      const size = Buffer.byteLength(text);
      const r = scanRange({ path, start: offset, end: size, limit: size, align: false });
      grown.push(r);
      offset = r.endOffset;
    }
    expect(offset).toBe(Buffer.byteLength(text));
    const size = Buffer.byteLength(text);
    const whole = scanRange({ path, start: 0, end: size, limit: size, align: false });
    const ids = (rs: ScanResult[]) => rs.flatMap((r) => r.records.map((x) => x.messageId));
    expect(ids(grown)).toEqual(['C1', 'C2', 'C3', 'C4', 'C1']);
    expect(ids([whole])).toEqual(['C1', 'C2', 'C3', 'C4']); // within one read, C1's second copy merges
    const sum = (rs: ScanResult[], f: (r: ScanResult) => number) => rs.reduce((t, r) => t + f(r), 0);
    expect(whole.lines).toBe(sum(grown, (r) => r.lines));
    expect(whole.skips).toEqual({ 'malformed-json': 1 });
    expect(Object.assign({}, ...grown.map((r) => r.skips))).toEqual({ 'malformed-json': 1 });
  });

  it('reads a run of whole objects a writer left at the end without newlines, as its reads of them did', () => {
    const path = join(tmp.dir, 'run-at-end.jsonl');
    const a = assistantLine({ session: S, id: 'R1', output: 1 }).trimEnd();
    const b = assistantLine({ session: S, id: 'R2', output: 2 }).trimEnd();
    writeFileSync(path, a);
    const one = scanRange({ path, start: 0, end: Buffer.byteLength(a), limit: Buffer.byteLength(a), align: false });
    writeFileSync(path, a + b);
    const size = Buffer.byteLength(a + b);
    const two = scanRange({ path, start: one.endOffset, end: size, limit: size, align: false });
    const whole = scanRange({ path, start: 0, end: size, limit: size, align: false });
    expect([...one.records, ...two.records].map((x) => x.messageId)).toEqual(['R1', 'R2']);
    expect(whole.records.map((x) => x.messageId)).toEqual(['R1', 'R2']);
    expect([whole.endOffset, whole.lines]).toEqual([size, one.lines + two.lines]);
    // The last object not whole yet: the line waits for its newline, as a half-written one does.
    writeFileSync(path, a + b.slice(0, -3));
    const half = scanRange({ path, start: 0, end: size - 3, limit: size - 3, align: false });
    expect([half.records.length, half.endOffset]).toEqual([0, 0]);
  });

  it('reads a line of thousands of objects in one pass, losing none', () => {
    const path = join(tmp.dir, 'many-objects.jsonl');
    const a = assistantLine({ session: S, id: 'M1', output: 1 }).trimEnd();
    const b = assistantLine({ session: S, id: 'M2', output: 2 }).trimEnd();
    const text = `${a}${'{}'.repeat(20_000)}${b}\n`;
    writeFileSync(path, text);
    const size = Buffer.byteLength(text);
    const r = scanRange({ path, start: 0, end: size, limit: size, align: false });
    expect(r.records.map((x) => x.messageId)).toEqual(['M1', 'M2']);
    expect(r.skips).toEqual({});
    expect(r.lines).toBe(20_002);
  });

  it('reads such a line once when a split of the file falls inside it, and takes a CRLF after it as its end', () => {
    const path = join(tmp.dir, 'no-newline-split.jsonl');
    const first = assistantLine({ session: S, id: 'Q1', output: 1 });
    const last = assistantLine({ session: S, id: 'Q2', output: 2 }).trimEnd();
    writeFileSync(path, first + last);
    const size = Buffer.byteLength(first + last);
    for (const cut of [Buffer.byteLength(first) + 5, size - 3]) {
      const a = scanRange({ path, start: 0, end: cut, limit: size, align: false });
      const b = scanRange({ path, start: cut, end: size, limit: size, align: true });
      expect([...a.records, ...b.records].map((x) => x.messageId)).toEqual(['Q1', 'Q2']);
      expect(Math.max(a.endOffset, b.endOffset)).toBe(size);
    }
    // Its line end arrives as CRLF, with one more line.
    const more = assistantLine({ session: S, id: 'Q3', output: 3 });
    writeFileSync(path, `${first}${last}\r\n${more}`);
    const total = Buffer.byteLength(`${first}${last}\r\n${more}`);
    const next = scanRange({ path, start: size, end: total, limit: total, align: false });
    expect(next.records.map((x) => x.messageId)).toEqual(['Q3']);
    expect([next.lines, next.skips]).toEqual([1, {}]);
  });

  it('finds the fallback signals and the session in JSONL written with spaces around the colons', () => {
    // Python's json.dumps style: `"key": "value", ...`.
    const spaced = (o: unknown): string => `${JSON.stringify(o, null, 1).replace(/\n\s*/g, ' ')}\n`;
    const scan = (name: string, text: string): ScanResult => {
      const path = join(tmp.dir, name);
      writeFileSync(path, text);
      const size = Buffer.byteLength(text);
      return scanRange({ path, start: 0, end: size, limit: size, align: false });
    };
    const assistant = spaced(JSON.parse(assistantLine({ session: S, id: 'W1', output: 3 })));
    expect(assistant).toContain('"type": "assistant"');

    const queued = scan(
      'sp-queue.jsonl',
      spaced({ type: 'queue-operation', operation: 'enqueue', sessionId: S }) + assistant,
    );
    expect(queued.signals).toEqual({ fileHistorySnapshot: false, queueOperationFirst: true, promptSourceSdk: false });
    expect(queued.sessionHint).toBe(S);
    expect(queued.records.map((r) => r.messageId)).toEqual(['W1']);

    const snap = scan(
      'sp-fhs.jsonl',
      assistant + spaced({ type: 'file-history-snapshot', messageId: 'm', snapshot: {}, isSnapshotUpdate: false }),
    );
    expect(snap.signals).toEqual({ fileHistorySnapshot: true, queueOperationFirst: false, promptSourceSdk: false });

    const sdk = scan(
      'sp-sdk.jsonl',
      spaced({ type: 'user', promptSource: 'sdk', sessionId: S, message: { role: 'user', content: 'go' } }) + assistant,
    );
    expect(sdk.signals).toEqual({ fileHistorySnapshot: false, queueOperationFirst: false, promptSourceSdk: true });

    // The values alone, under other keys, are no signals.
    const other = scan(
      'sp-none.jsonl',
      spaced({ type: 'user', note: 'file-history-snapshot', kind: 'queue-operation', source: 'sdk' }) + assistant,
    );
    expect(other.signals).toEqual({ fileHistorySnapshot: false, queueOperationFirst: false, promptSourceSdk: false });
  });

  it('reads the fallback signals of the line itself, not of an object nested in it', () => {
    // Each both ways: the module's needle search and indexOf alone.
    const scan = (name: string, text: string, bufferBytes = 1 << 20, maxLineBytes?: number): ScanResult => {
      const path = join(tmp.dir, name);
      writeFileSync(path, text);
      const size = Buffer.byteLength(text);
      const task = { path, start: 0, end: size, limit: size, align: false, maxLineBytes };
      const [a, b] = [true, false].map((wasm) => scanRange(task, new ScanBuffer(bufferBytes, { wasm })));
      expect(a!.signals).toEqual(b!.signals);
      return a!;
    };
    const line = (o: unknown): string => `${JSON.stringify(o)}\n`;
    const assistant = assistantLine({ session: S, id: 'N1', output: 3 });
    const none = { fileHistorySnapshot: false, queueOperationFirst: false, promptSourceSdk: false };
    // A tool's result, a tool's input and an attachment that hold the signals' keys and values.
    const nested = [
      line({
        type: 'user',
        sessionId: S,
        toolUseResult: { promptSource: 'sdk' },
        message: { role: 'user', content: 'x' },
      }),
      line({
        type: 'assistant',
        sessionId: S,
        message: {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 't', name: 'Bash', input: { promptSource: 'sdk' } }],
        },
      }),
      line({ type: 'attachment', attachment: { type: 'x', content: { type: 'file-history-snapshot' } }, sessionId: S }),
      line({
        type: 'attachment',
        attachment: { content: { entrypoint: 'sdk-ts', promptSource: 'sdk' } },
        sessionId: S,
      }),
      line({ type: 'system', sessionId: S, promptSource: 'sdk' }),
      // Quoted braces do not hide a nesting: "{ }" inside a string.
      line({ type: 'user', sessionId: S, text: '} } ]', nested: { promptSource: 'sdk' } }),
    ];
    for (const [k, l] of nested.entries()) expect(scan(`nested-${k}.jsonl`, l + assistant).signals, l).toEqual(none);
    expect(scan('nested-first.jsonl', line({ x: { type: 'queue-operation' } }) + assistant).signals).toEqual(none);
    // Many nested candidates in one line, with quotes and braces in text between them, the line's
    // own field last: each line is scanned once along (not again from its start per candidate).
    const items = Array.from({ length: 3000 }, (_, i) => ({ promptSource: 'sdk', note: `"{[${i}` }));
    const crowded = { type: 'user', sessionId: S, toolUseResult: { items }, message: { role: 'user', content: 'z' } };
    expect(scan('crowded.jsonl', line(crowded) + assistant).signals).toEqual(none);
    expect(scan('crowded-own.jsonl', line({ ...crowded, promptSource: 'sdk' }) + assistant).signals).toEqual({
      ...none,
      promptSourceSdk: true,
    });
    // The line's own fields still are signals, whatever their place among its keys, also when the
    // line is not whole in the first chunk read.
    const own = line({
      sessionId: S,
      message: { role: 'user', content: 'y'.repeat(70_000) },
      type: 'user',
      promptSource: 'sdk',
    });
    for (const buffer of [1 << 20, 64 * 1024])
      expect(scan('own-sdk.jsonl', assistant + own + assistant, buffer).signals).toEqual({
        ...none,
        promptSourceSdk: true,
      });
    // A range that starts inside a line (the range before reads it whole) looks from the next line
    // on: read from the cut, `{"type":"user","promptSource":"sdk"}` nested in it would seem its own.
    const inner = line({ type: 'attachment', a: { type: 'user', promptSource: 'sdk' }, sessionId: S });
    const split = assistant + inner + assistant;
    const cutAt = Buffer.byteLength(assistant) + inner.indexOf('{"type":"user"');
    const splitPath = join(tmp.dir, 'split.jsonl');
    writeFileSync(splitPath, split);
    const size = Buffer.byteLength(split);
    for (const wasm of [true, false]) {
      const tail = scanRange(
        { path: splitPath, start: cutAt, end: size, limit: size, align: true },
        new ScanBuffer(1 << 20, { wasm }),
      );
      expect(tail.signals).toEqual(none);
    }
    // The file's last line without its newline, the only line, and a line too long to read.
    const ownLine = line({ type: 'user', sessionId: S, promptSource: 'sdk', message: { role: 'user', content: 'y' } });
    const sdk = { ...none, promptSourceSdk: true };
    expect(scan('own-last.jsonl', assistant + ownLine.trimEnd()).signals).toEqual(sdk);
    expect(scan('own-only.jsonl', ownLine.trimEnd()).signals).toEqual(sdk);
    const tooLong = line({
      type: 'user',
      sessionId: S,
      promptSource: 'sdk',
      message: { content: 'y'.repeat(300_000) },
    });
    expect(scan('own-long.jsonl', tooLong + assistant, 64 * 1024, 128 * 1024).signals).toEqual(sdk);
    expect(
      scan('own-fhs.jsonl', assistant + line({ type: 'file-history-snapshot', snapshot: { type: 'x' } })).signals,
    ).toEqual({
      ...none,
      fileHistorySnapshot: true,
    });
  });

  it("a file's last range carries the sample hash before its end, equal to reading it again", () => {
    const text = sample();
    const big = text.repeat(Math.ceil(200_000 / text.length)); // past the 64 KB hashed whole
    const cases: { name: string; body: string; buffer: number; cuts: (size: number) => number[] }[] = [
      { name: 'small', body: text, buffer: 1 << 20, cuts: () => [] },
      { name: 'sampled', body: big, buffer: 1 << 20, cuts: () => [] },
      // A buffer smaller than the file: the early spans are no longer held and are read again.
      { name: 'small-buffer', body: big, buffer: 16 * 1024, cuts: () => [] },
      { name: 'split', body: big, buffer: 1 << 20, cuts: (size) => [Math.floor(size / 3), Math.floor((2 * size) / 3)] },
      // An unterminated last line: the hash is taken before it, where the next read starts.
      { name: 'unterminated', body: big + '{"type":"user","half":', buffer: 1 << 20, cuts: () => [] },
    ];
    for (const c of cases) {
      const path = join(tmp.dir, `tail-${c.name}.jsonl`);
      writeFileSync(path, c.body);
      const size = statSync(path).size;
      const parts = scanSplit(path, size, c.cuts(size), c.buffer);
      const last = parts[parts.length - 1]!;
      for (const p of parts.slice(0, -1)) expect(p.tailHash, c.name).toBeNull();
      expect(last.tailHash, c.name).not.toBeNull();
      expect(last.tailHash, c.name).toBe(sampleHash(path, last.endOffset));
    }
    // An appended read (starting past 0) hashes the bytes before its start too.
    const path = join(tmp.dir, 'tail-appended.jsonl');
    writeFileSync(path, big);
    const from = big.lastIndexOf('\n', big.length / 2) + 1;
    const size = statSync(path).size;
    const r = scanRange({ path, start: from, end: size, limit: size, align: false }, new ScanBuffer(1 << 20));
    expect(r.tailHash).toBe(sampleHash(path, size));
  });

  it('keeps the sample hash of earlier versions (stored hashes still match after an upgrade)', () => {
    let text = '';
    for (let i = 0; text.length < 200_000; i++) text += `{"n":${i},"pad":"${'ab'.repeat(i % 50)}"}\n`;
    const path = join(tmp.dir, 'pinned.jsonl');
    writeFileSync(path, text);
    // Whole up to 64 KB, then 16 spans of 1 KB: values taken from the release before this change.
    expect(sampleHash(path, 40_000)).toBe('40000:504ba082e5556d31103adf55bcccfbd59a3c7143');
    expect(sampleHash(path, 150_001)).toBe('150001:f348c367ede46baf987f1c5bf3ff9e442df5a062');
    const size = statSync(path).size;
    const r = scanRange({ path, start: 0, end: size, limit: size, align: false }, new ScanBuffer(1 << 20));
    expect(r.tailHash).toBe(sampleHash(path, size));
  });

  it('counts lines that cannot be JSON objects and whitespace-only lines, without parsing the others', () => {
    const path = join(tmp.dir, 'odd.jsonl');
    const good = assistantLine({ session: S, id: 'G1', output: 5, minute: 1 });
    const text = [
      'garbage after a crash\n',
      // A line cut short, then ended: no "usage" in it, never billable.
      '{"type":"user","message":{"role":"user","content":"hal\n',
      '  \t \r\n',
      '\n',
      '[1, 2]\n',
      '"a string"\n',
      ' {"type":"user","sessionId":"' + S + '"} \r\n',
      // Open and close like objects: not parsed (the known limit), not counted. A cut line that
      // later writes continued is parsed, and counted, when the continuation is billable.
      '{"type":"user",,}\n',
      '{"type":"user","message":{"role":"user","content":"hal' + userLine(S),
      good,
    ].join('');
    writeFileSync(path, text);
    const size = Buffer.byteLength(text);
    for (const wasm of [true, false]) {
      const r = scanRange({ path, start: 0, end: size, limit: size, align: false }, new ScanBuffer(4096, { wasm }));
      expect(r.records.map((x) => x.messageId)).toEqual(['G1']);
      expect(r.skips).toEqual({ 'malformed-json': 2, 'blank-line': 2, 'not-an-object': 2 });
      expect(r.lines).toBe(10);
    }
  });

  it('reports an unreadable file as an error, never throws', () => {
    const r = scanRange({ path: join(tmp.dir, 'nope.jsonl'), start: 0, end: 10, limit: 10, align: false });
    expect(r.error).toMatch(/ENOENT/);
    expect(r.records).toEqual([]);
  });
});

describe('record codec', () => {
  it('packs and unpacks request copies field for field', async () => {
    const { packRecords, unpackRecords } = await import('../../src/ingest/record-codec.js');
    const { parseLine } = await import('../../src/domain/parse-line.js');
    const texts = [
      assistantLine({ session: S, id: 'C1', output: 7, entrypoint: 'sdk-ts' }),
      assistantLine({ session: S, id: null, output: 8, uuid: 'u-x' }),
      JSON.stringify({
        type: 'progress',
        sessionId: S,
        timestamp: '2025-10-15T10:00:00.000Z',
        data: {
          type: 'agent_progress',
          agentId: 'a9',
          message: {
            type: 'assistant',
            timestamp: '2025-10-15T10:00:01.000Z',
            requestId: 'r9',
            message: {
              id: 'm9',
              model: 'x',
              usage: {
                input_tokens: 4,
                output_tokens: 3,
                cache_creation: { ephemeral_1h_input_tokens: 5 },
                speed: 'fast',
                inference_geo: 'us',
                server_tool_use: { web_search_requests: 2, web_fetch_requests: 1 },
              },
            },
          },
        },
      }),
    ];
    const records = texts.map((t) => {
      const p = parseLine(t);
      if (p.kind !== 'request') throw new Error('not a request');
      return p.record;
    });
    expect(unpackRecords(packRecords(records))).toEqual(records);
    expect(unpackRecords(packRecords([]))).toEqual([]);
  });
});
