import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateHistory, type GenerationManifest } from '../../src/demo/index.js';
import { modelInfo, UNKNOWN_MODEL_ID } from '../../src/demo/models.js';
import { countTree, walk } from './count-tree.js';

const START = Date.parse('2026-08-10T00:00:00Z');
const END = Date.parse('2026-10-10T00:00:00Z');
// Range and size chosen so the tree has old builds too: every subagent layout, lines without entrypoint.
const OPTIONS = { seed: 11, startMs: START, endMs: END, targetBytes: 6_000_000, activity: 0.1 };

let dir: string;
let manifest: GenerationManifest;

function digest(root: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of walk(root)) {
    if (basename(file) === 'creditmeter-manifest.json') continue;
    out.set(relative(root, file), createHash('sha256').update(readFileSync(file)).digest('hex'));
  }
  return out;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cm-gen-'));
  manifest = await generateHistory({ ...OPTIONS, outDir: join(dir, 'a') });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('generateHistory', () => {
  it('writes the same bytes for the same seed, and other bytes for another seed', async () => {
    await generateHistory({ ...OPTIONS, outDir: join(dir, 'b') });
    const a = digest(join(dir, 'a'));
    expect(a.size).toBeGreaterThan(10);
    expect(digest(join(dir, 'b'))).toEqual(a);
    await generateHistory({ ...OPTIONS, seed: 12, outDir: join(dir, 'c') });
    expect(digest(join(dir, 'c'))).not.toEqual(a);
  });

  it('reports sizes that match the files on disk', () => {
    const count = countTree(join(dir, 'a'));
    expect(count.files.length).toBe(manifest.files);
    expect(count.bytes).toBe(manifest.bytes);
    expect(count.lines).toBe(manifest.lines);
  });

  it('has a manifest truth equal to an independent de-duplicated count of the files', () => {
    const count = countTree(join(dir, 'a'));
    expect(count.total).toEqual(manifest.totals);
    expect(count.byClass).toEqual(manifest.byClass);
    expect(count.byModel).toEqual(manifest.byModel);
    expect(count.noIdLines).toBe(manifest.noIdLines);
    expect(manifest.requests).toBe(count.total.requests);
    // The tree is not trivial: duplicates to remove and every class present.
    expect(manifest.duplicateCopies).toBeGreaterThan(manifest.requests / 2);
    expect(manifest.byClass.programmatic.requests).toBeGreaterThan(0);
    expect(manifest.byClass.interactive.requests).toBeGreaterThan(0);
    expect(manifest.byClass.unknown.requests).toBeGreaterThan(0);
    expect(manifest.totals.cacheWrite5mTokens).toBeGreaterThan(0);
    expect(manifest.totals.cacheWrite1hTokens).toBeGreaterThan(0);
  });

  it('keeps every timestamp inside the requested range', () => {
    const count = countTree(join(dir, 'a'));
    expect(count.minTs).toBeGreaterThanOrEqual(START);
    expect(count.maxTs).toBeLessThan(END);
    const history = readFileSync(join(dir, 'a', 'history.jsonl'), 'utf8')
      .trim()
      .split('\n');
    for (const line of history) {
      const ts = (JSON.parse(line) as { timestamp: number }).timestamp;
      expect(ts >= START && ts < END).toBe(true);
    }
  });

  it('writes subagents in all three layouts, compaction files and history.jsonl', () => {
    const files = walk(join(dir, 'a', 'projects')).map((p) => relative(join(dir, 'a', 'projects'), p).split(sep));
    const folder = files.filter(
      (parts) => parts.length === 4 && parts[2] === 'subagents' && /^agent-a[0-9a-f]{6}\.jsonl$/.test(parts[3] ?? ''),
    );
    const compaction = files.filter(
      (parts) => parts.length === 4 && /^agent-acompact-[0-9a-f]{6}\.jsonl$/.test(parts[3] ?? ''),
    );
    const beside = files.filter((parts) => parts.length === 2 && /^agent-a[0-9a-f]{6}\.jsonl$/.test(parts[1] ?? ''));
    expect(folder.length).toBeGreaterThan(0);
    expect(compaction.length).toBeGreaterThan(0);
    expect(beside.length).toBeGreaterThan(0);
    const inline = walk(join(dir, 'a', 'projects')).filter(
      (p) =>
        !basename(p).startsWith('agent-') &&
        basename(dirname(p)) !== 'subagents' &&
        readFileSync(p, 'utf8').includes('"isSidechain":true'),
    );
    expect(inline.length).toBeGreaterThan(0);
    expect(manifest.shapes.subagentRuns.inline).toBeGreaterThan(0);
    expect(existsSync(join(dir, 'a', 'history.jsonl'))).toBe(true);
    expect(manifest.historyLines).toBeGreaterThan(0);
  });

  it('writes both programmatic and interactive signals the way real builds do', () => {
    const mains = walk(join(dir, 'a', 'projects')).filter((p) => /^[0-9a-f-]{36}\.jsonl$/.test(basename(p)));
    const firstLines = mains.map(
      (p) => JSON.parse(readFileSync(p, 'utf8').split('\n')[0] ?? '{}') as { type?: string },
    );
    expect(firstLines.some((l) => l.type === 'queue-operation')).toBe(true);
    expect(firstLines.some((l) => l.type === 'file-history-snapshot')).toBe(true);
    const all = mains.map((p) => readFileSync(p, 'utf8')).join('');
    expect(all).toContain('"promptSource":"sdk"');
    expect(all).toContain('"entrypoint":"sdk-cli"');
    expect(all).toContain('"model":"<synthetic>"');
    expect(all).toContain('"type":"agent_progress"');
    expect(all).toContain('"speed":"standard"');
  });

  it('uses only models released by the day of each request (and the one unknown id)', () => {
    let checked = 0;
    for (const file of walk(join(dir, 'a', 'projects'))) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (!line.includes('"type":"assistant","uuid"')) continue;
        const o = JSON.parse(line) as { timestamp: string; message: { model: string } };
        const model = o.message.model;
        if (model === '<synthetic>' || model === UNKNOWN_MODEL_ID) continue;
        expect(modelInfo(model)?.fromMs ?? Infinity).toBeLessThanOrEqual(Date.parse(o.timestamp));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(Object.keys(manifest.byModel).length).toBeGreaterThan(4);
  });

  it('refuses to write over a config root it did not generate', async () => {
    const real = join(dir, 'real');
    mkdirSync(join(real, 'projects', '-home-me-app'), { recursive: true });
    writeFileSync(join(real, 'projects', '-home-me-app', 'keep.jsonl'), '{}\n');
    await expect(generateHistory({ ...OPTIONS, outDir: real })).rejects.toThrow(/not generated here/);
    expect(readFileSync(join(real, 'projects', '-home-me-app', 'keep.jsonl'), 'utf8')).toBe('{}\n');
  });

  it('rejects an empty range', async () => {
    await expect(generateHistory({ outDir: join(dir, 'x'), startMs: END, endMs: START })).rejects.toThrow(
      /after its start/,
    );
  });

  it('writes one file in single-file mode, close to the asked size', async () => {
    const m = await generateHistory({
      outDir: join(dir, 'single'),
      seed: 3,
      startMs: START,
      endMs: END,
      targetBytes: 3_000_000,
      singleFile: true,
    });
    expect(m.files).toBe(1);
    expect(walk(join(dir, 'single', 'projects'))).toHaveLength(1);
    expect(m.bytes).toBeGreaterThanOrEqual(3_000_000);
    expect(m.bytes).toBeLessThan(3_600_000);
    expect(countTree(join(dir, 'single')).total).toEqual(m.totals);
  });
});
