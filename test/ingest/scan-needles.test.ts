import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join, resolve } from 'node:path';
import { NeedleBuffer } from '../../src/ingest/scan-needles.js';
import { scanRange, ScanBuffer, type ScanTask } from '../../src/ingest/scan.js';
import { mulberry32 } from '../../src/domain/random.js';
import { tempDir } from './helpers.js';
import { assistantLine, userLine } from './lines.js';
import { buildCli, repo } from '../e2e/build-cli.js';

const tmp = tempDir('cm-needles-');
afterAll(() => tmp.cleanup());
const S = '66666666-6666-4666-8666-666666666666';

/** Every start of `needle` in b[start, end) with the whole needle before `end`, by indexOf. */
function starts(b: Buffer, needle: string, start: number, end: number): number[] {
  const view = b.subarray(0, end);
  const out: number[] = [];
  for (let at = view.indexOf(needle, start); at !== -1; at = view.indexOf(needle, at + 1)) out.push(at);
  return out;
}

function transcripts(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...transcripts(p));
    else if (e.name.endsWith('.jsonl')) out.push(p);
  }
  return out;
}

/** scanRange with and without the needle search, on the same task and buffer size. */
function bothWays(task: ScanTask, bytes?: number): void {
  const withIndexOf = scanRange(task, new ScanBuffer(bytes, { wasm: false }));
  const holder = new ScanBuffer(bytes);
  expect(holder.needles).not.toBeNull();
  expect(scanRange(task, holder)).toEqual(withIndexOf);
}

describe('the needle search (scan-needles.wat)', () => {
  it('finds every "usage" and "sdk" that indexOf finds, between any start and end', () => {
    const rng = mulberry32(11);
    // An alphabet the needles are made of, so they (and near misses) occur often, and at every alignment.
    const alphabet = ['"', 'u', 's', 'a', 'g', 'e', 'd', 'k', '"usage"', '"sdk"', '"usag"', '"sd"', '\\"sdk\\"', 'x'];
    const size = 20_000;
    const needles = NeedleBuffer.create(size);
    expect(needles).not.toBeNull();
    const nb = needles!;
    let hits = 0;
    for (let round = 0; round < 40; round++) {
      let text = '';
      while (text.length < size) text += alphabet[Math.floor(rng() * alphabet.length)]!;
      nb.buf.write(text.slice(0, size), 'latin1');
      for (let k = 0; k < 10; k++) {
        const start = Math.floor(rng() * size);
        const end = start + Math.floor(rng() * (size - start + 1));
        expect(nb.find(start, end)).toBe(true);
        const usage = Array.from(nb.usage.subarray(0, nb.usageCount));
        const sdk = Array.from(nb.sdk.subarray(0, nb.sdkCount));
        expect(usage).toEqual(starts(nb.buf, '"usage"', start, end));
        expect(sdk).toEqual(starts(nb.buf, '"sdk"', start, end));
        hits += usage.length + sdk.length;
      }
    }
    expect(hits).toBeGreaterThan(10_000);
  });

  it('a needle that would end past `end`, or in the bytes after the data, is not a hit', () => {
    const nb = NeedleBuffer.create(64)!;
    nb.buf.fill(0x78);
    nb.buf.write('"usage"', 57, 'latin1');
    expect(nb.find(0, 64)).toBe(true);
    expect(Array.from(nb.usage.subarray(0, nb.usageCount))).toEqual([57]);
    expect(nb.find(0, 63)).toBe(true);
    expect(nb.usageCount).toBe(0);
    nb.buf.write('"sdk"', 59, 'latin1');
    expect(nb.find(50, 64)).toBe(true);
    expect(Array.from(nb.sdk.subarray(0, nb.sdkCount))).toEqual([59]);
  });

  it('says so when a chunk holds more hits than one call returns, and the scan then searches itself', () => {
    const nb = NeedleBuffer.create(1 << 20)!;
    const many = '"sdk"'.repeat(20_000);
    nb.buf.write(many, 'latin1');
    expect(nb.find(0, many.length)).toBe(false);
    // A file whose lines hold that many needles reads the same as with indexOf alone.
    const path = join(tmp.dir, 'many.jsonl');
    const noisy = `{"type":"user","promptSource":"sdk","message":{"role":"user","content":"${'"usage" "sdk" '.replace(/"/g, '\\"').repeat(12_000)}"}}\n`;
    writeFileSync(
      path,
      assistantLine({ session: S, id: 'N1', output: 1 }) + noisy + assistantLine({ session: S, id: 'N2', output: 2 }),
    );
    const size = statSync(path).size;
    const task = { path, start: 0, end: size, limit: size, align: false };
    bothWays(task);
    bothWays(task, 4096);
    const r = scanRange(task);
    expect(r.records.map((x) => x.messageId)).toEqual(['N1', 'N2']);
    expect(r.signals.promptSourceSdk).toBe(true);
  });

  it('scanRange reads the same with the needle search as with indexOf: fixtures, real transcripts, small buffers, split ranges, long lines', () => {
    const files = [...transcripts(resolve('fixtures')), ...transcripts(resolve('..', 'shared', 'real-logs'))];
    expect(files.length).toBeGreaterThan(20);
    let records = 0;
    for (const path of files) {
      const size = statSync(path).size;
      const task = { path, start: 0, end: size, limit: size, align: false };
      bothWays(task);
      bothWays(task, 1024);
      records += scanRange(task).records.length;
      if (size > 4096) {
        const cut = Math.floor(size / 3);
        bothWays({ path, start: 0, end: cut, limit: size, align: false }, 2048);
        bothWays({ path, start: cut, end: size, limit: size, align: true }, 2048);
      }
    }
    expect(records).toBeGreaterThan(100);
    // A line longer than the buffer grows the module's memory, keeping what it held; a signal in a
    // user line and a billable line on either side are found as before.
    const path = join(tmp.dir, 'long.jsonl');
    const text =
      assistantLine({ session: S, id: 'G1', output: 1 }) +
      userLine(S).replace('{', '{"promptSource":"sdk",') +
      `{"type":"user","message":{"role":"user","content":"${'z'.repeat(300_000)}"}}\n` +
      assistantLine({ session: S, id: 'G2', output: 2 });
    writeFileSync(path, text);
    const size = statSync(path).size;
    const task = { path, start: 0, end: size, limit: size, align: false };
    bothWays(task, 1024);
    bothWays({ ...task, maxLineBytes: 8192 }, 1024);
    const grown = scanRange(task, new ScanBuffer(1024));
    expect(grown.records.map((x) => x.messageId)).toEqual(['G1', 'G2']);
    expect(grown.signals.promptSourceSdk).toBe(true);
  });

  it('without WebAssembly (node --jitless) the built scanner searches with indexOf and reads the same', () => {
    buildCli();
    const path = resolve('..', 'shared', 'real-logs', 'spotter');
    const file = transcripts(path).sort((a, b) => statSync(b).size - statSync(a).size)[0]!;
    const size = statSync(file).size;
    const task = { path: file, start: 0, end: size, limit: size, align: false };
    const scan = pathToFileURL(join(repo, 'dist', 'lib', 'ingest', 'scan.js')).href;
    const r = spawnSync(
      process.execPath,
      [
        '--jitless',
        '--input-type=module',
        '-e',
        `import { scanRange, ScanBuffer } from ${JSON.stringify(scan)};
         const holder = new ScanBuffer();
         process.stdout.write(JSON.stringify({ needles: holder.needles, result: scanRange(${JSON.stringify(task)}, holder) }));`,
      ],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { needles: unknown; result: unknown };
    expect(out.needles).toBeNull();
    const here = scanRange(task, new ScanBuffer());
    expect(here.records.length).toBeGreaterThan(10);
    expect(out.result).toEqual(JSON.parse(JSON.stringify(here)));
  });
});
